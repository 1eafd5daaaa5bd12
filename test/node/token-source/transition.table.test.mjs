// Decisions of `transition` the random model does not reach, by table: the numbers the visitor's
// host reads in the "already expired" and "too short-lived" errors, tokens without expiry, and
// the exact instants where a token lapses or a refresh falls due (`<` against `<=`).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { initialState, phaseOf, transition } from '../.pure/transition.mjs';
import { POLICY, expectedRefreshAt } from './model-world.mjs';

const S = 1000;
const MINUTE = 60 * S;
const T = Date.UTC(2026, 10, 23, 12, 0, 0);
const DRAW = 0.5; // every random draw: the jitter and the backoff, so the model can reckon them

/** A source driven by hand; `step` feeds one input at `now` and keeps the effects. */
function source() {
  const it = { state: initialState(POLICY), effects: [] };
  it.step = (input, now) => {
    const result = transition(it.state, input, now, () => DRAW);
    it.state = result.state;
    it.effects = result.effects;
    return result.effects;
  };
  it.events = (name) =>
    it.effects.filter((e) => e.type === 'emit' && e.event === name).map((e) => e.payload);
  it.has = (type) => it.effects.some((e) => e.type === type);
  it.last = (type) => it.effects.filter((e) => e.type === type).at(-1);
  /** getToken() at `now` with nothing held: the request goes out at once. */
  it.send = (now) => {
    it.step({ type: 'demand' }, now);
    it.step({ type: 'lock-held', peerFailure: undefined }, now);
    assert.ok(it.has('send'), 'the request went out');
  };
  it.fetch = (now, token) => {
    it.send(now);
    return it.step({ type: 'fetched', token: { token: 'tk', fetchedAt: now, ...token } }, now);
  };
  return it;
}

describe('the "already expired" error says how long ago, in whole seconds', () => {
  const rows = [
    // [expired this long before it arrived (ms), seconds in the message]
    [0, 0],
    [1, 0],
    [499, 0],
    [500, 1],
    [1_499, 1],
    [1_500, 2],
    [2 * MINUTE, 120],
  ];
  for (const [ago, seconds] of rows) {
    test(`expired ${ago} ms before arrival: "${seconds} s ago"`, () => {
      const it = source();
      it.fetch(T, { expiresAt: T - ago, lifetime: MINUTE });
      const [{ error, willRetry }] = it.events('error');
      assert.equal(
        error.message,
        `[widget-token] The token endpoint returned a token that had already expired ` +
          `(${seconds} s ago). Likely causes: the server's clock, or a cached token.`,
      );
      assert.equal(error.code, 'bad_response');
      assert.equal(willRetry, true);
      assert.equal(it.events('token').length, 0, 'no token delivered');
      assert.equal(it.state.token, undefined);
      assert.equal(phaseOf(it.state), 'backing-off');
    });
  }
  test('a token that expires one millisecond after it arrives is delivered', () => {
    const it = source();
    it.fetch(T, { expiresAt: T + 1, lifetime: 1 });
    assert.equal(it.events('token').length, 1);
  });
});

describe('the "too short-lived" error says how long the token is valid, in whole seconds', () => {
  const { min } = POLICY.refreshMargin;
  const rows = [
    // [valid for (ms), seconds in the message]; under twice the minimum margin is too short.
    [1, 0],
    [499, 0],
    [500, 1],
    [4_499, 4],
    [4_500, 5],
    [2 * min - 1, 10],
  ];
  for (const [validFor, seconds] of rows) {
    test(`valid for ${validFor} ms: "only ${seconds} s"`, () => {
      const it = source();
      const token = { expiresAt: T + validFor, lifetime: validFor };
      it.fetch(T, token);
      const [{ error, willRetry, retryIn }] = it.events('error');
      assert.equal(
        error.message,
        `[widget-token] The token endpoint returned a token valid for only ${seconds} s, too ` +
          `short to refresh safely. Likely causes: a TTL that is too short, or the server's clock.`,
      );
      assert.equal(willRetry, true);
      const plan = expectedRefreshAt({ now: T, ...token }, 1, [DRAW, DRAW]);
      assert.equal(plan.tooShort, true);
      assert.equal(retryIn, plan.refreshAt - T, 'retryIn is when the refresh is planned');
      assert.equal(it.last('alarm').at, plan.refreshAt);
      assert.equal(it.events('token').length, 1, 'the token is still delivered');
    });
  }
  test('valid for exactly twice the minimum margin: no error, refreshed at the margin', () => {
    const it = source();
    const token = { expiresAt: T + 2 * min, lifetime: 2 * min };
    it.fetch(T, token);
    assert.equal(it.events('error').length, 0);
    assert.equal(it.last('alarm').at, expectedRefreshAt({ now: T, ...token }, 1, [DRAW]).refreshAt);
  });
});

describe('a token without expiry: no refresh planned, valid until stop()', () => {
  const LATER = T + 400 * 24 * 60 * MINUTE; // more than a year on
  const noExpiry = { expiresAt: undefined, lifetime: undefined };

  test('fetched: delivered, no refresh and no expiry timer, published as is', () => {
    const it = source();
    it.fetch(T, noExpiry);
    assert.deepEqual(it.events('token'), [{ token: 'tk', expiresAt: undefined }]);
    assert.equal(it.last('alarm').at, undefined, 'no refresh planned');
    assert.equal(it.last('expiry').at, undefined, 'no expiry timer');
    assert.equal(it.events('error').length, 0);
    assert.deepEqual(it.last('publish').outcome, {
      token: { token: 'tk', fetchedAt: T, ...noExpiry },
    });
    assert.equal(phaseOf(it.state), 'holding');
  });

  test('still valid a year later: getToken() answers at once, wake-ups request nothing', () => {
    const it = source();
    it.fetch(T, noExpiry);
    for (const cause of ['timer', 'wake', 'online']) {
      it.step({ type: 'due', cause }, LATER);
      assert.equal(it.has('start'), false, `no request on ${cause}`);
      assert.equal(it.events('expired').length, 0);
    }
    it.step({ type: 'expired' }, LATER);
    assert.equal(it.events('expired').length, 0, 'never lapses');
    it.step({ type: 'demand' }, LATER);
    assert.deepEqual(it.last('answer').result, { token: 'tk' });
    assert.equal(it.has('start'), false);
    assert.equal(phaseOf(it.state), 'holding');
  });

  test('stop() drops it: getToken() is refused afterwards', () => {
    const it = source();
    it.fetch(T, noExpiry);
    it.step({ type: 'stop', logout: false, broadcast: false }, LATER);
    assert.equal(it.state.token, undefined);
    it.step({ type: 'demand' }, LATER);
    assert.equal(it.last('answer').result.error.code, 'stopped');
  });

  test("another tab's token without expiry is taken, and held without a refresh", () => {
    const it = source();
    it.step({ type: 'peer-token', token: { token: 'peer', fetchedAt: T, ...noExpiry } }, T);
    assert.deepEqual(it.events('token'), [{ token: 'peer', expiresAt: undefined }]);
    assert.equal(it.last('alarm').at, undefined);
    it.step({ type: 'demand' }, LATER);
    assert.deepEqual(it.last('answer').result, { token: 'peer' });
  });

  test('a refresh() with one held still fetches, and the new one replaces it', () => {
    const it = source();
    it.fetch(T, noExpiry);
    it.step({ type: 'refresh' }, LATER);
    assert.deepEqual(it.events('refreshing'), [{ reason: 'manual', attempt: 1 }]);
    it.step({ type: 'lock-held', peerFailure: undefined }, LATER);
    assert.ok(it.has('send'));
    it.step({ type: 'fetched', token: { token: 'tk2', fetchedAt: LATER, ...noExpiry } }, LATER);
    assert.equal(it.last('settle').result.token, 'tk2');
  });
});

describe('exact instants: a token lapses at its expiry, a refresh is due at its time', () => {
  const lifetime = 10 * MINUTE;
  const token = { expiresAt: T + lifetime, lifetime };
  const held = () => {
    const it = source();
    it.fetch(T, token);
    return it;
  };
  const refreshAt = expectedRefreshAt({ now: T, ...token }, 1, [DRAW]).refreshAt;

  test('getToken() one millisecond before expiry gets the token', () => {
    const it = held();
    it.step({ type: 'demand' }, token.expiresAt - 1);
    assert.deepEqual(it.last('answer').result, { token: 'tk' });
  });
  test('getToken() at the expiry instant: it lapsed, a request starts', () => {
    const it = held();
    it.step({ type: 'demand' }, token.expiresAt);
    assert.equal(it.events('expired').length, 1);
    assert.deepEqual(it.events('expired')[0], { expiredAt: token.expiresAt });
    assert.equal(it.has('answer'), false);
    assert.ok(it.has('start'));
  });
  test('the expiry timer one millisecond early lapses nothing', () => {
    const it = held();
    it.step({ type: 'expired' }, token.expiresAt - 1);
    assert.equal(it.events('expired').length, 0);
    assert.equal(phaseOf(it.state), 'holding');
  });
  test('a wake-up one millisecond before the refresh time requests nothing', () => {
    const it = held();
    it.step({ type: 'due', cause: 'wake' }, refreshAt - 1);
    assert.equal(it.has('start'), false);
  });
  test('a wake-up at the refresh time requests, as a wake-up', () => {
    const it = held();
    it.step({ type: 'due', cause: 'wake' }, refreshAt);
    assert.deepEqual(it.events('refreshing'), [{ reason: 'wake', attempt: 1 }]);
  });
  test('getToken() after a skipped refresh time, token still valid: answered, no request', () => {
    const it = held();
    it.step({ type: 'demand' }, refreshAt);
    assert.deepEqual(it.last('answer').result, { token: 'tk' });
    assert.equal(it.has('start'), false);
  });
  test('the lock is held at the refresh instant: the token is no longer fresh, it fetches', () => {
    const it = held();
    it.step({ type: 'due', cause: 'timer' }, refreshAt);
    assert.deepEqual(it.events('refreshing'), [{ reason: 'scheduled', attempt: 1 }]);
    it.step({ type: 'lock-held', peerFailure: undefined }, refreshAt);
    assert.ok(it.has('send'));
  });
  test("another tab's token expiring at this instant is refused; one millisecond later, taken", () => {
    const it = source();
    const peer = { token: 'peer', fetchedAt: T - MINUTE, lifetime: MINUTE };
    it.step({ type: 'peer-token', token: { ...peer, expiresAt: T } }, T);
    assert.equal(it.state.token, undefined);
    it.step({ type: 'peer-token', token: { ...peer, expiresAt: T + 1 } }, T);
    assert.equal(it.state.token?.token, 'peer');
  });
  test("another tab's token fetched at the same instant as the held one replaces it", () => {
    const it = held();
    it.step({ type: 'peer-token', token: { ...token, token: 'peer', fetchedAt: T } }, T + S);
    assert.equal(it.state.token.token, 'peer');
  });
});
