// Regressions of issue 18 ("The token source as one transition function"): each test failed on the
// code before it, and pins what a host sees.
import { expect } from 'chai';
import sinon from 'sinon';
import { createTokenSource, type TokenSource } from '../../src/index.js';
import { browserTask, untilSettled } from '../helpers/browser-tasks.js';
import { HOUR, SECOND, useHarness } from '../helpers/harness.js';
import { makeJwt } from '../helpers/jwt.js';

let issued = 0;
/** A JWS valid for `lifetime` s from now, different from every other one. */
const uniqueJwt = (lifetime: number) => {
  const iat = Math.floor(Date.now() / 1000);
  return makeJwt({ sub: 'user-1', iat, exp: iat + lifetime, n: ++issued });
};

/** A lock and channel name no other test uses. */
const ownTabsKey = () => ({ crossTab: { key: crypto.randomUUID() } });

describe('a lone tab with cross-tab on (#18, 1)', () => {
  const harness = useHarness();

  // Its own `#fetched:` marker read as "a newer token in another tab" once its token had lapsed,
  // and it waited 500 ms for an answer no tab could give before every request.
  for (const [name, call] of [
    ['refresh()', 'refresh'],
    ['getToken()', 'getToken'],
  ] as const) {
    it(`sends ${name} after its token lapsed without waiting for other tabs`, async () => {
      const { backend, tokens, clock } = harness.start(
        () => ({ json: { token: uniqueJwt(60) } }),
        ownTabsKey(),
      );
      await tokens.getToken();
      clock.setSystemTime(Date.now() + 2 * HOUR); // sleep: the token lapsed, no timer ran
      const pending = tokens[call]();
      // No fake time passes: a request that waits on a timer (the 500 ms) never goes out.
      await untilSettled(() => backend.requests.length === 2, 'the second request', 400);
      await clock.tickAsync(0);
      expect(await pending).to.be.a('string');
    });
  }

  it('after a wake from sleep, requests without waiting for other tabs', async () => {
    const { backend, tokens, clock } = harness.start(
      () => ({ json: { token: uniqueJwt(60) } }),
      ownTabsKey(),
    );
    await tokens.getToken();
    clock.setSystemTime(Date.now() + 2 * HOUR);
    window.dispatchEvent(new Event('focus'));
    await untilSettled(() => backend.requests.length === 2, 'the request after waking', 400);
    expect(tokens.activity).to.be.oneOf(['fetching', 'idle']);
  });
});

describe('phase events come after the event that caused them (#18, 2)', () => {
  const harness = useHarness();

  it('`refreshing` before `phase: fetching`, `stopped` before `phase: stopped`', async () => {
    const { tokens, events } = harness.start(() => ({ json: { token: uniqueJwt(60) } }));
    await tokens.getToken();
    tokens.stop();
    const names = events.map(([type, detail]) =>
      type === 'phase' ? `phase:${(detail as { phase: string }).phase}` : type,
    );
    expect(names).to.deep.equal([
      'refreshing',
      'phase:fetching',
      'token',
      'phase:holding',
      'stopped',
      'phase:stopped',
    ]);
  });
});

describe('phases and activity as documented (#18, 3)', () => {
  const harness = useHarness();

  it('a source whose token lapsed with nothing under way is `idle` again, token `expired`', async () => {
    // A 4 s token is too short-lived to refresh at its margin: its refresh backs off (up to
    // baseDelay), here past its expiry, so it lapses with nothing under way.
    sinon.stub(Math, 'random').returns(0.999);
    const { tokens, clock, events } = harness.start(() => ({ json: { token: uniqueJwt(4) } }), {
      retry: { baseDelay: 10 * SECOND },
    });
    await tokens.getToken();
    expect([tokens.phase, tokens.tokenStatus, tokens.activity]).to.deep.equal([
      'holding',
      'valid',
      'idle',
    ]);
    await clock.tickAsync(4 * SECOND + 100);
    expect([tokens.phase, tokens.tokenStatus, tokens.activity]).to.deep.equal([
      'idle',
      'expired',
      'idle',
    ]);
    expect(tokens.refreshAt).to.be.greaterThan(Date.now());
    const tail = events
      .filter(([type]) => type === 'phase' || type === 'expired')
      .map(([type, detail]) => (type === 'phase' ? (detail as { phase: string }).phase : type));
    expect(tail.slice(-2)).to.deep.equal(['expired', 'idle']);
  });

  it('a 404 blocks, as the docs now say, and refresh() is the way out', async () => {
    let status = 404;
    const { tokens, backend } = harness.start(() =>
      status === 200 ? { json: { token: uniqueJwt(60) } } : { status },
    );
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect((error as { status?: number }).status).to.equal(404);
    expect([tokens.phase, tokens.activity, tokens.tokenStatus]).to.deep.equal([
      'blocked',
      'blocked',
      'none',
    ]);
    await tokens.getToken().catch(() => {});
    expect(backend.requests).to.have.length(1);
    status = 200;
    await tokens.refresh();
    expect(tokens.phase).to.equal('holding');
  });
});

describe('bugs that passed every test (#22)', () => {
  const harness = useHarness();
  let other: TokenSource | undefined;
  afterEach(() => other?.stop());

  it('the lock goes only once the outcome is published: a source waiting for it takes that token', async () => {
    const shared = ownTabsKey();
    const { backend, tokens, clock } = harness.start(
      () => ({ json: { token: uniqueJwt(60) }, delay: SECOND }),
      shared,
    );
    other = createTokenSource({ url: '/token', ...shared });
    const first = tokens.getToken();
    await untilSettled(() => backend.requests.length === 1, 'the first request');
    // The second source queues for the lock while the first one's request is out.
    const second = other.getToken();
    for (let i = 0; i < 20; i++) await browserTask();
    await clock.tickAsync(SECOND);
    const token = await first;
    let received: string | undefined;
    void second.then((value) => (received = value));
    await untilSettled(() => received !== undefined, 'the second source’s token');
    expect(received).to.equal(token);
    expect(backend.requests).to.have.length(1);
  });
});
