// The widget model (run by widgets-<n>.model.test.ts): for every adapter with its stand-in, random sequences of backend answers (ok,
// 401, 500, offline, hang), waits up to several lifetimes, sleeps (the clock jumps and timers fire
// late, once), the vendor's own events (warnings, dropped sessions, pulls), logout, destroy and
// recreate. After each sequence the backend answers normally (and the host signs in again if it had
// been refused) for SETTLE; then the vendor session must hold a token the model's backend issued and
// that has not expired by the model's own record. Throughout: no vendor call after destroy, no
// unhandled rejection, no refusal for exceeding a vendor's rate, and `ready` settles.
//
// Time is sinon's fake clock only. Vendor scripts come from the stand-in server over the network:
// the model waits (in real time, without moving the fake clock) until every script tag it sees has
// loaded, so a busy machine only makes the run slower, never different.
import { expect } from 'chai';
import fc from 'fast-check';
import sinon from 'sinon';
import { createTokenSource, type TokenSource, type WidgetHandle } from '../../src/index.js';
import { fakeBackend, type FakeBackend, type Reply } from '../helpers/fake-backend.js';
import { NOW } from '../helpers/harness.js';
import { STAND_INS, standIn } from '../helpers/stand-ins.js';
import { VENDORS, lastToken, type VendorCase } from '../helpers/vendor-cases.js';

const RUNS = (window as unknown as { MODEL_RUNS?: number }).MODEL_RUNS ?? 300;
// Sequences per adapter: a few hundred in all for `npm test`, more with test:fuzz.
const RUNS_PER_ADAPTER = Math.max(2, Math.ceil(RUNS / VENDORS.length));
/**
 * The adapters are spread over WIDGET_MODEL_FILES test files (widgets-<n>.model.test.ts), each
 * within the runner's time per file; an adapter added to VENDORS lands in one of them by itself.
 */
export const WIDGET_MODEL_FILES = 12;
const LIFETIME = 60;
// Long enough for the slowest way back: a backoff of 60 s at most, a hung request's 10 s timeout,
// then one lifetime for a pulling vendor to ask.
const SETTLE = 150_000;
const STEP = 10_000;
const realSetTimeout = window.setTimeout.bind(window);

type Answer = 'ok' | '401' | '500' | 'offline' | 'hang';

type Command =
  | { kind: 'backend'; answer: Answer }
  | { kind: 'wait'; ms: number }
  | { kind: 'sleep'; ms: number }
  | { kind: 'vendor'; event: string }
  | { kind: 'logout' }
  | { kind: 'recreate' };

function commands(vendor: VendorCase): fc.Arbitrary<Command[]> {
  const events = Object.keys(vendor.vendorEvents ?? {});
  const command: fc.Arbitrary<Command> = fc.oneof(
    fc.record({
      kind: fc.constant('backend' as const),
      answer: fc.constantFrom<Answer>('ok', '401', '500', 'offline', 'hang'),
    }),
    fc.record({
      kind: fc.constant('wait' as const),
      ms: fc.integer({ min: 1, max: 4 * LIFETIME }).map((s) => s * 1000),
    }),
    fc.record({
      kind: fc.constant('sleep' as const),
      ms: fc.integer({ min: 10, max: 5 * LIFETIME }).map((s) => s * 1000),
    }),
    ...(events.length
      ? [fc.record({ kind: fc.constant('vendor' as const), event: fc.constantFrom(...events) })]
      : []),
    fc.constant<Command>({ kind: 'logout' }),
    fc.constant<Command>({ kind: 'recreate' }),
  );
  return fc.array(command, { minLength: 1, maxLength: 10 });
}

/** Script tags of stand-ins that have not finished loading. */
const pendingScripts = new Set<HTMLScriptElement>();
const scriptWatcher = new MutationObserver((records) => {
  for (const record of records) {
    for (const node of record.addedNodes) {
      if (node instanceof HTMLScriptElement && node.src.includes('/stand-ins/')) {
        pendingScripts.add(node);
        const done = () => pendingScripts.delete(node);
        node.addEventListener('load', done, { once: true });
        node.addEventListener('error', done, { once: true });
      }
    }
    for (const node of record.removedNodes) pendingScripts.delete(node as HTMLScriptElement);
  }
});

/** Declares the model for the adapters of file `part` (0 … WIDGET_MODEL_FILES − 1). */
export function describeWidgetModel(part: number): void {
  for (const vendor of VENDORS.filter((_, index) => index % WIDGET_MODEL_FILES === part)) {
    describeFor(vendor);
  }
}

function describeFor(vendor: VendorCase) {
  describe(`the widget model: ${vendor.name}`, () => {
    const lifetime = Math.max(LIFETIME, vendor.minLifetime ?? 0);

    before(() => scriptWatcher.observe(document, { childList: true, subtree: true }));
    after(() => scriptWatcher.disconnect());

    it(`comes back with a valid token after any outage, refusal or sleep (${RUNS_PER_ADAPTER} sequences)`, async function () {
      this.timeout(0);
      await fc.assert(
        fc.asyncProperty(commands(vendor), (sequence) => runNamed(vendor, lifetime, sequence)),
        { numRuns: RUNS_PER_ADAPTER, endOnFailure: true },
      );
    });
  });
}

/**
 * Runs one sequence against `vendor`'s adapter and stand-in (the model's own check, also used by
 * regression tests for counterexamples it found). A failure names the invariant and the sequence:
 * fast-check's report alone may not show which expectation failed.
 */
export async function runWidgetSequence(vendor: VendorCase, sequence: Command[]): Promise<void> {
  scriptWatcher.observe(document, { childList: true, subtree: true });
  try {
    await runNamed(vendor, Math.max(LIFETIME, vendor.minLifetime ?? 0), sequence);
  } finally {
    scriptWatcher.disconnect();
  }
}

export type { Command as WidgetModelCommand };

async function runNamed(vendor: VendorCase, lifetime: number, sequence: Command[]): Promise<void> {
  try {
    await run(vendor, lifetime, sequence);
  } catch (error) {
    const invariant = error instanceof Error ? error.message : String(error);
    throw new Error(
      `${vendor.name}: invariant failed: ${invariant}\n  sequence: ${JSON.stringify(sequence)}`,
      { cause: error },
    );
  }
}

async function run(vendor: VendorCase, lifetime: number, sequence: Command[]): Promise<void> {
  delete (window as unknown as { __standIns?: unknown }).__standIns;
  const clock = sinon.useFakeTimers({ now: NOW, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const unhandled: unknown[] = [];
  const onUnhandled = (event: PromiseRejectionEvent) => unhandled.push(event.reason);
  window.addEventListener('unhandledrejection', onUnhandled);

  // The model's own record of the backend: what it answers now, what it issued and when it expires.
  let answer: Answer = 'ok';
  let refusedSinceOk = false;
  const issued = new Map<string, number>();
  let serial = 0;
  const backend: FakeBackend = fakeBackend(() => {
    const now: Answer = answer;
    if (now === '401') {
      refusedSinceOk = true;
      return { status: 401 };
    }
    if (now === '500') return { status: 500 };
    if (now === 'offline') return { networkError: true };
    if (now === 'hang') return { hang: true } as Reply;
    refusedSinceOk = false;
    const { token, reply } = vendor.issue(++serial, lifetime);
    issued.set(token, Date.now() + lifetime * 1000);
    return reply;
  });

  const scriptUrl = `${STAND_INS}/${vendor.standIn}.js`;
  let tokens: TokenSource = createTokenSource({ url: '/token', crossTab: false });
  let widget: WidgetHandle | undefined;
  let readySettled = false;
  let started = false;
  const create = () => {
    readySettled = started = false;
    widget = vendor.create(tokens, scriptUrl);
    widget.ready.then(
      () => (readySettled = started = true),
      () => (readySettled = true),
    );
  };
  /** Lets promises, script loads and vendor timers due now run, without moving the clock. */
  const settle = async () => {
    for (let round = 0; round < 1000; round++) {
      await clock.tickAsync(0);
      if (pendingScripts.size === 0) return;
      await new Promise((resolve) => realSetTimeout(resolve, 5));
    }
    throw new Error('a stand-in script never loaded');
  };
  const advance = async (ms: number) => {
    for (let done = 0; done < ms; done += STEP) {
      await clock.tickAsync(Math.min(STEP, ms - done));
      await settle();
    }
  };
  /** Everything the stand-in recorded: nothing may be added once the widget is destroyed. */
  const footprint = () => {
    const record = standIn(vendor.standIn);
    return JSON.stringify([record?.tokens.length, record?.calls]);
  };
  /** Waits for `promise`, moving the clock 100 ms at a time if it needs timers (a script's readiness poll). */
  const untilDone = async (promise: Promise<unknown>) => {
    let done = false;
    void promise.then(
      () => (done = true),
      () => (done = true),
    );
    for (let step = 0; !done; step++) {
      if (step > 600) throw new Error('did not settle within 60 s of fake time');
      await settle();
      if (!done) await clock.tickAsync(100);
    }
  };
  const destroyAndCheckSilence = async () => {
    await untilDone(widget!.destroy());
    await settle();
    document.getElementById('bell')?.remove(); // the host's mount point (Engagespot)
    const after = footprint();
    await advance(2 * lifetime * 1000);
    expect(footprint(), 'a vendor call after destroy()').to.equal(after);
  };
  const removeSdkTags = () => {
    for (const script of document.querySelectorAll(`script[src*="/stand-ins/"]`)) script.remove();
  };

  try {
    create();
    await settle();
    for (const command of sequence) {
      switch (command.kind) {
        case 'backend':
          answer = command.answer;
          break;
        case 'wait':
          await advance(command.ms);
          break;
        case 'sleep':
          // A sleeping laptop: the clock jumps, each due timer fires once, late; the page then
          // regains focus.
          clock.jump(command.ms);
          await settle();
          window.dispatchEvent(new Event('focus'));
          await settle();
          break;
        case 'vendor':
          // Only a live session sends events; what the SDK does with a failed pull is its own.
          if (started && !widget!.destroyed) {
            // Not awaited: answering may need the clock (a hung request's timeout).
            void Promise.resolve(vendor.vendorEvents![command.event]!()).catch(() => {});
            await settle();
          }
          break;
        case 'logout':
          // In this tab or another: the source stops with logout, and the widget ends the session.
          tokens.stop({ logout: true });
          for (let waited = 0; !widget!.destroyed && waited < 60_000; waited += 1000) {
            await advance(1000);
          }
          expect(widget!.destroyed, 'a logout destroys the widget').to.equal(true);
          await destroyAndCheckSilence();
          tokens = createTokenSource({ url: '/token', crossTab: false });
          create();
          await settle();
          break;
        case 'recreate':
          await destroyAndCheckSilence();
          create();
          await settle();
          break;
      }
    }

    // The backend answers normally from now on; a host that was refused signs the visitor in again.
    answer = 'ok';
    if (refusedSinceOk || tokens.phase === 'blocked') void tokens.refresh().catch(() => {});
    await advance(SETTLE);
    expect(readySettled, '`ready` settles').to.equal(true);
    if (!started) {
      // A start that failed (a 401 at start, an outage longer than its attempts) is the host's to
      // retry: it creates the widget again, which must then come up by itself.
      await untilDone(widget!.destroy());
      create();
      await advance(SETTLE);
      expect(started, 'a widget created once the backend answers starts').to.equal(true);
    }
    if (vendor.asksWhenever) await untilDone(vendor.asksWhenever());
    await settle();
    const held = vendor.held ? vendor.held() : lastToken(vendor.standIn);
    const now = Date.now();
    expect(held, 'the vendor session holds a token').to.be.a('string');
    expect(issued.has(held!), 'the token it holds is one the backend issued').to.equal(true);
    expect(issued.get(held!)!, 'the token it holds has not expired').to.be.above(now);
    const rateRefusals = (standIn(vendor.standIn)?.calls ?? []).filter(
      (call) => (call.detail as { reason?: string } | undefined)?.reason === 'rate limit',
    );
    expect(rateRefusals, "the vendor's rate is kept").to.deep.equal([]);
    expect(unhandled.map(String), 'no unhandled rejection').to.deep.equal([]);
  } finally {
    if (widget) await untilDone(widget.destroy()).catch(() => {});
    tokens.stop();
    backend.restore();
    clock.restore();
    window.removeEventListener('unhandledrejection', onUnhandled);
    document.getElementById('bell')?.remove();
    removeSdkTags();
  }
}
