// Decisions of `transition` the random model does not reach, by table: the numbers the visitor's
// host reads in the "already expired" and "too short-lived" errors, tokens without expiry, and
// the exact instants where a token lapses or a refresh falls due (`<` against `<=`).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  PEER_RETRY_STAGGER,
  initialState,
  isRetriable,
  peerError,
  phaseOf,
  tokenStatus,
  transition,
} from '../.pure/transition.mjs';
import {
  ConfigurationError,
  StoppedError,
  TokenRequestError,
  TokenResponseError,
  TokenTimeoutError,
  UnauthorizedError,
} from '../.pure/errors.mjs';
import { POLICY, expectedDelay, expectedRefreshAt } from './model-world.mjs';

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
          `(${seconds} s ago): the server's clock, or a cached token?`,
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
          `short to refresh safely: a TTL too short, or the server's clock?`,
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

describe('what the random model rarely reaches', () => {
  const lifetime = 10 * MINUTE;
  const held = () => {
    const it = source();
    it.fetch(T, { expiresAt: T + lifetime, lifetime });
    return it;
  };
  const offline = () => new TokenRequestError('offline');
  const down = () => new TokenRequestError('down', { status: 500 });

  test('the held token status: none, valid, expired', () => {
    const it = source();
    assert.equal(tokenStatus(it.state), 'none');
    it.fetch(T, { expiresAt: T + lifetime, lifetime });
    assert.equal(tokenStatus(it.state), 'valid');
    it.step({ type: 'expired' }, T + lifetime);
    assert.equal(tokenStatus(it.state), 'expired');
    assert.equal(phaseOf(it.state), 'idle');
  });

  test('which errors are retried: timeouts yes; stop and bad options no', () => {
    assert.equal(isRetriable(new TokenTimeoutError(POLICY.url, 10 * S)), true);
    assert.equal(isRetriable(new StoppedError()), false);
    assert.equal(isRetriable(new ConfigurationError('bad')), false);
  });

  test("another tab's failure, as this tab reports it", () => {
    const failure = { failedAt: T, retryAt: T + S, blocked: false, failures: 1 };
    const withStatus = peerError({ ...failure, code: 'request_failed', status: 503 }, POLICY.url);
    assert.equal(
      withStatus.message,
      `[widget-token] Another tab's request to ${POLICY.url} failed (status 503); this tab follows its backoff.`,
    );
    const noStatus = peerError({ ...failure, code: 'timeout', status: undefined }, POLICY.url);
    assert.match(noStatus.message, /failed \(timeout\); this tab/);
    const blocked = { ...failure, blocked: true, retryAt: undefined, code: 'unauthorized' };
    assert.equal(peerError({ ...blocked, status: undefined }, POLICY.url).status, 401);
    assert.equal(peerError({ ...blocked, status: 403 }, POLICY.url).status, 403);
  });

  test('stop(): the `stopped` event carries the logout flag; later inputs do nothing', () => {
    const it = held();
    it.step({ type: 'stop', logout: true, broadcast: false }, T + S);
    assert.deepEqual(it.events('stopped'), [{ logout: true }]);
    for (const input of [{ type: 'due', cause: 'wake' }, { type: 'expired' }]) {
      assert.deepEqual(it.step(input, T + lifetime + S), [], `${input.type} after stop()`);
    }
  });

  test('stop() after the expiry instant: only `stopped`, no late `expired`', () => {
    const it = held();
    it.step({ type: 'stop', logout: false, broadcast: false }, T + lifetime + S);
    const events = it.effects.filter((e) => e.type === 'emit').map((e) => e.event);
    assert.deepEqual(events, ['stopped']);
  });

  test('a backoff falls due at its exact instant for getToken(), not one millisecond before', () => {
    const it = source();
    it.send(T);
    it.step({ type: 'failed', error: down(), startedAt: T }, T);
    const retryAt = it.last('alarm').at;
    assert.equal(retryAt, T + expectedDelay(1, DRAW));
    it.step({ type: 'demand' }, retryAt - 1);
    assert.equal(it.has('start'), false);
    it.step({ type: 'demand' }, retryAt);
    assert.deepEqual(it.events('refreshing'), [{ reason: 'wake', attempt: 2 }]);
  });

  test("another tab's backoff: followed until its retry time, then the request goes out", () => {
    const peer = {
      failedAt: T - S,
      retryAt: T + 5 * S,
      blocked: false,
      failures: 2,
      code: 'request_failed',
      status: 503,
    };
    const before = source();
    before.step({ type: 'demand' }, T);
    before.step({ type: 'lock-held', peerFailure: peer }, T);
    assert.equal(before.has('send'), false);
    // It wakes a little after that tab: the draw times the stagger.
    assert.equal(before.last('alarm').at, peer.retryAt + DRAW * PEER_RETRY_STAGGER);
    const at = source();
    at.step({ type: 'demand' }, peer.retryAt);
    at.step({ type: 'lock-held', peerFailure: peer }, peer.retryAt);
    assert.ok(at.has('send'), 'at its retry time the backoff is over');
  });

  test('too short-lived tokens in a row: each backs off one step more; a good one resets', () => {
    const it = source();
    // 4 s left of a 10 min lifetime: the margin is far larger, so the backoff decides.
    const short = (now) => ({ expiresAt: now + 4 * S, lifetime });
    let now = T;
    it.fetch(now, short(now));
    const retryIns = [it.events('error')[0].retryIn];
    const refetch = (token) => {
      now = it.state.dueAt;
      it.step({ type: 'due', cause: 'timer' }, now);
      it.step({ type: 'lock-held', peerFailure: undefined }, now);
      assert.ok(it.has('send'));
      it.step({ type: 'fetched', token: { token: `tk${now}`, fetchedAt: now, ...token } }, now);
    };
    refetch(short(T + 500));
    retryIns.push(it.events('error')[0].retryIn);
    // Another tab's token, not short-lived, does not end this tab's streak.
    it.step(
      {
        type: 'peer-token',
        token: { token: 'peer', fetchedAt: now, expiresAt: now + 3 * S, lifetime },
      },
      now,
    );
    refetch(short(now + expectedDelay(2, DRAW)));
    retryIns.push(it.events('error')[0].retryIn);
    assert.deepEqual(
      retryIns,
      [1, 2, 3].map((n) => expectedDelay(n, DRAW)),
    );
    refetch({ expiresAt: now + 2 * expectedDelay(3, DRAW) + lifetime, lifetime });
    assert.equal(it.events('error').length, 0);
    refetch(short(it.state.dueAt));
    assert.equal(it.events('error')[0].retryIn, expectedDelay(1, DRAW), 'streak reset');
  });

  test('a background refresh fails with nobody waiting; a caller who waits later gives up after `retry.attempts`', () => {
    const it = held();
    const refreshAt = it.state.dueAt;
    it.step({ type: 'due', cause: 'timer' }, refreshAt);
    it.step({ type: 'lock-held', peerFailure: undefined }, refreshAt);
    it.step({ type: 'failed', error: down(), startedAt: refreshAt }, refreshAt);
    assert.equal(it.has('settle'), false);
    // The token lapses; a caller now waits for the retries.
    let now = T + lifetime;
    it.step({ type: 'demand' }, now);
    const settled = [];
    for (let attempt = 1; attempt <= POLICY.retry.attempts; attempt++) {
      if (phaseOf(it.state) !== 'fetching') {
        now = Math.max(now, it.state.dueAt);
        it.step({ type: 'due', cause: 'timer' }, now);
      }
      it.step({ type: 'lock-held', peerFailure: undefined }, now);
      it.step({ type: 'failed', error: down(), startedAt: now }, now);
      settled.push(it.last('settle')?.result.error?.code);
    }
    assert.deepEqual(settled, [undefined, undefined, 'request_failed']);
  });

  test("another tab's token while this tab waits for the lock: it stays `fetching`, then uses it", () => {
    const it = source();
    it.step({ type: 'demand' }, T);
    it.step(
      {
        type: 'peer-token',
        token: { token: 'peer', fetchedAt: T, expiresAt: T + lifetime, lifetime },
      },
      T,
    );
    assert.equal(phaseOf(it.state), 'fetching');
    assert.equal(it.last('settle').result.token, 'peer');
    it.step({ type: 'lock-held', peerFailure: undefined }, T);
    assert.equal(it.has('send'), false);
    assert.equal(phaseOf(it.state), 'holding');
  });

  test('stray inputs: a second lock-held, a response or failure without a request, the same peer token again', () => {
    const it = source();
    it.send(T);
    it.step({ type: 'lock-held', peerFailure: undefined }, T);
    assert.equal(it.has('send'), false, 'sent once');
    it.step(
      { type: 'fetched', token: { token: 'tk', fetchedAt: T, expiresAt: T + lifetime, lifetime } },
      T,
    );
    const stray = { token: 'late', fetchedAt: T + S, expiresAt: T + lifetime, lifetime };
    assert.deepEqual(it.step({ type: 'fetched', token: stray }, T + S), []);
    assert.deepEqual(it.step({ type: 'failed', error: down(), startedAt: T }, T + S), []);
    assert.deepEqual(it.step({ type: 'lock-held', peerFailure: undefined }, T + S), []);
    const peer = { token: 'peer', fetchedAt: T + S, expiresAt: T + lifetime, lifetime };
    it.step({ type: 'peer-token', token: peer }, T + S);
    assert.equal(it.events('token').length, 1);
    assert.deepEqual(it.step({ type: 'peer-token', token: peer }, T + 2 * S), []);
  });

  test('back online after a failed refresh(): a token still fresh is kept, no request', () => {
    const it = held();
    it.step({ type: 'refresh' }, T + S);
    it.step({ type: 'lock-held', peerFailure: undefined }, T + S);
    it.step({ type: 'failed', error: offline(), startedAt: T + S }, T + S);
    it.step({ type: 'due', cause: 'online' }, T + 2 * S);
    assert.deepEqual(it.events('refreshing'), [{ reason: 'wake', attempt: 2 }]);
    it.step({ type: 'lock-held', peerFailure: undefined }, T + 2 * S);
    assert.equal(it.has('send'), false);
    assert.equal(it.last('settle').result.token, 'tk');
    assert.equal(it.last('alarm').at, it.state.token.refreshAt);
  });

  test('the retry of a failed refresh() goes out though the token is still fresh', () => {
    const it = held();
    it.step({ type: 'refresh' }, T + S);
    it.step({ type: 'lock-held', peerFailure: undefined }, T + S);
    it.step({ type: 'failed', error: down(), startedAt: T + S }, T + S);
    const retryAt = it.state.dueAt;
    it.step({ type: 'due', cause: 'timer' }, retryAt);
    assert.deepEqual(it.events('refreshing'), [{ reason: 'retry', attempt: 2 }]);
    it.step({ type: 'lock-held', peerFailure: undefined }, retryAt);
    assert.ok(it.has('send'));
  });

  test('back online after a failed refresh(), a token without expiry held: kept, no request', () => {
    const it = source();
    it.fetch(T, { expiresAt: undefined, lifetime: undefined });
    it.step({ type: 'refresh' }, T + S);
    it.step({ type: 'lock-held', peerFailure: undefined }, T + S);
    it.step({ type: 'failed', error: offline(), startedAt: T + S }, T + S);
    it.step({ type: 'due', cause: 'online' }, T + 2 * S);
    it.step({ type: 'lock-held', peerFailure: undefined }, T + 2 * S);
    assert.equal(it.has('send'), false);
    assert.equal(it.last('settle').result.token, 'tk');
  });

  test('back online after a 500: the backoff stands (only a network failure ends it early)', () => {
    const it = source();
    it.send(T);
    it.step({ type: 'failed', error: down(), startedAt: T }, T);
    it.step({ type: 'due', cause: 'online' }, T + 1);
    assert.equal(it.has('start'), false);
  });

  for (const [what, error] of [
    ['a timeout', new TokenTimeoutError(POLICY.url, 10 * S)],
    ['an unusable answer', new TokenResponseError('not a token')],
  ]) {
    test(`back online after ${what} (no status either): the backoff stands`, () => {
      const it = source();
      it.send(T);
      it.step({ type: 'failed', error, startedAt: T }, T);
      it.step({ type: 'due', cause: 'online' }, T + 1);
      assert.equal(it.has('start'), false);
    });
  }

  test('blocked by a 401: getToken() is answered at once with that error', () => {
    const it = source();
    it.send(T);
    const error = new UnauthorizedError(401, POLICY.url);
    it.step({ type: 'failed', error, startedAt: T }, T);
    it.step({ type: 'demand' }, T + S);
    assert.equal(it.last('answer')?.result.error, error);
    assert.equal(it.has('start'), false);
  });

  test("this tab's own response, older than another tab's token received meanwhile, is dropped", () => {
    const it = source();
    it.send(T);
    const peer = { token: 'peer', fetchedAt: T + 1, expiresAt: T + lifetime, lifetime };
    it.step({ type: 'peer-token', token: peer }, T + 100);
    const own = { token: 'own', fetchedAt: T, expiresAt: T + lifetime, lifetime };
    it.step({ type: 'fetched', token: own }, T + 200);
    assert.equal(it.state.token.token, 'peer');
    assert.equal(it.events('token').length, 0);
  });
});
