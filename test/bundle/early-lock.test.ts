import { expect } from 'chai';
import { freshJwt } from '../helpers/jwt.js';
import { STAND_INS } from '../helpers/stand-ins.js';

// The script-tag files ask for the token's cross-tab lock in their first statement
// (src/script-tag/early-lock.ts), so that a lone tab's first token request does not wait for a
// Web Locks round trip after the library has started up. These tests load the built file in a
// same-origin frame (one origin's locks: the frame and this page are two "tabs"), with the frame's
// fetch answered here and its lock requests recorded.

// Absolute: the frame is about:blank (this page's origin), against which a path resolves to nothing.
const TOKEN_URL = new URL('/early-lock-token', location.href).href;
const LOCK = `widget-token:${TOKEN_URL}`;

type Happening =
  | { what: 'lock'; name: string; mode: string; ifAvailable: boolean }
  | { what: 'granted'; name: string; free: boolean }
  | { what: 'warn' }
  | { what: 'fetch'; lockHeld: boolean };

interface Frame {
  happenings: Happening[];
  fetches(): number;
  remove(): Promise<void>;
}

/** Busy-waits (in real time: locks and frames are the browser's own work) until `condition`. */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let attempt = 0; attempt < 400; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function loadTag(attributes: Record<string, string>): Promise<Frame> {
  const frame = document.createElement('iframe');
  document.body.append(frame);
  const page = frame.contentWindow as Window & typeof globalThis & { WidgetToken?: any };
  const happenings: Happening[] = [];
  const locks = page.navigator.locks;
  const request = locks.request.bind(locks);
  (locks as { request: unknown }).request = (name: string, ...rest: unknown[]) => {
    const options = (rest.length > 1 ? rest[0] : {}) as LockOptions;
    happenings.push({
      what: 'lock',
      name,
      mode: options.mode ?? 'exclusive',
      ifAvailable: options.ifAvailable === true,
    });
    const callback = rest[rest.length - 1] as LockGrantedCallback<unknown>;
    rest[rest.length - 1] = (lock: Lock | null) => {
      happenings.push({ what: 'granted', name, free: lock !== null });
      return callback(lock);
    };
    return (request as (...args: unknown[]) => Promise<unknown>)(name, ...rest);
  };
  page.console.warn = () => happenings.push({ what: 'warn' });
  page.console.error = () => {};
  page.fetch = async () => {
    const { held = [] } = await navigator.locks.query();
    happenings.push({
      what: 'fetch',
      lockHeld: held.some((lock) => lock.name === LOCK && lock.mode === 'exclusive'),
    });
    return new Response(JSON.stringify({ token: freshJwt(600) }), {
      headers: { 'content-type': 'application/json' },
    });
  };
  await new Promise<void>((resolve, reject) => {
    const script = page.document.createElement('script');
    for (const [name, value] of Object.entries(attributes)) script.setAttribute(name, value);
    script.src = '/dist/widget-token.dg-chat.iife.js';
    script.onload = () => resolve();
    script.onerror = () => reject(new Error('dist/ missing: run npm run build'));
    page.document.head.append(script);
  });
  return {
    happenings,
    fetches: () => happenings.filter(({ what }) => what === 'fetch').length,
    async remove() {
      await page.WidgetToken?.widget?.destroy();
      page.WidgetToken?.tokens?.stop();
      frame.remove();
    },
  };
}

const dgTag = {
  'data-widget': 'dg-chat',
  'data-widget-id': 'w-1',
  'data-env': 'eu',
  'data-script-url': `${STAND_INS}/dg-chat.js`,
  'data-hints': 'false',
  'data-token-url': TOKEN_URL,
  // The frame is about:blank, whose location.origin is "null": every URL is another origin to it.
  'data-allow-cross-origin': '',
};

/** Whether this page could take the token's lock at once (no tab holds it). */
const lockIsFree = () =>
  navigator.locks.request(LOCK, { ifAvailable: true }, (lock) => lock !== null);

const exclusiveRequests = (happenings: Happening[]) =>
  happenings.filter(
    (happening) =>
      happening.what === 'lock' && happening.name === LOCK && happening.mode === 'exclusive',
  );

describe("the script tag's early lock", () => {
  it('is asked for before the tag is read, and the token source takes it over: one lock request, held during the token request', async () => {
    // A misspelled attribute: its warning is the first thing the tag's start-up does.
    const frame = await loadTag({ ...dgTag, 'data-tokn-method': 'POST' });
    try {
      await until(() => frame.fetches() > 0, 'the token request');
      const { happenings } = frame;
      expect(happenings[0]).to.deep.equal({
        what: 'lock',
        name: LOCK,
        mode: 'exclusive',
        ifAvailable: true,
      });
      expect(happenings.findIndex(({ what }) => what === 'warn')).to.be.greaterThan(0);
      // Not a second request under another name or after the first: the source used this one.
      expect(exclusiveRequests(happenings)).to.have.length(1);
      expect(happenings.find(({ what }) => what === 'fetch')).to.deep.equal({
        what: 'fetch',
        lockHeld: true,
      });
      await until(lockIsFree, 'the lock let go after the token');
    } finally {
      await frame.remove();
    }
  });

  it('takes nothing while another tab holds the lock: the tag waits its turn, then makes one request', async () => {
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    let granted!: () => void;
    const holding = new Promise<void>((resolve) => (granted = resolve));
    const other = navigator.locks.request(LOCK, () => (granted(), held));
    await holding;
    const frame = await loadTag(dgTag);
    try {
      // The early request found the lock taken; the source then queued for it the usual way.
      await until(() => exclusiveRequests(frame.happenings).length === 2, 'the queued request');
      expect(frame.happenings).to.deep.include({ what: 'granted', name: LOCK, free: false });
      expect(frame.fetches(), 'no request while another tab holds the lock').to.equal(0);
      letGo();
      await other;
      await until(() => frame.fetches() > 0, 'the token request');
      expect(frame.happenings.filter(({ what }) => what === 'fetch')).to.deep.equal([
        { what: 'fetch', lockHeld: true },
      ]);
    } finally {
      letGo();
      await frame.remove();
    }
  });

  it('is let go when the tag fails to start, so no tab waits for it', async () => {
    // data-env missing: the widget refuses to start, after the early lock was asked for.
    const { 'data-env': _, ...withoutEnv } = dgTag;
    const frame = await loadTag(withoutEnv);
    try {
      expect(frame.happenings[0]).to.deep.include({ what: 'lock', name: LOCK, ifAvailable: true });
      await until(
        () => frame.happenings.some((happening) => happening.what === 'granted'),
        'the early lock granted',
      );
      await until(lockIsFree, 'the early lock let go');
      expect(frame.fetches()).to.equal(0);
    } finally {
      await frame.remove();
    }
  });
});
