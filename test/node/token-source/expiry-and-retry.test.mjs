// The pure timing rules, by table: expiry on the local clock, the refresh margin, Retry-After.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { computeExpiry, planRefresh, refreshMargin } from '../.pure/expiry.mjs';
import { parseRetryAfter, retryDelay } from '../.pure/retry-policy.mjs';

const T = 1_800_000_000_000; // local time the request started
const S = 1000;
const facts = (claims = {}) => ({ facts: claims });

describe('computeExpiry: the server said, converted to the local clock', () => {
  const rows = [
    ['nothing said, no ttl', { ...facts() }, undefined, undefined],
    ['nothing said, ttl 30 s', { ...facts() }, 30 * S, { expiresAt: T + 30 * S, lifetime: 30 * S }],
    [
      'ttl ignored when the token says',
      { ...facts({ exp: 2_000, iat: 1_000 }) },
      5 * S,
      { expiresAt: T + 1_000 * S, lifetime: 1_000 * S },
    ],
    // Server clock 1 h behind: exp − iat is what counts, anchored at the request start.
    [
      'exp and iat, server clock off',
      { ...facts({ iat: 100, exp: 160 }) },
      undefined,
      { expiresAt: T + 60 * S, lifetime: 60 * S },
    ],
    // A cached token: iat is old, the Date header is the server's now; lifetime stays exp − iat.
    [
      'a cached token: Date later than iat',
      { ...facts({ iat: 100, exp: 160 }), serverDate: 130 * S },
      undefined,
      { expiresAt: T + 30 * S, lifetime: 60 * S },
    ],
    [
      'iat later than Date',
      { ...facts({ iat: 100, exp: 160 }), serverDate: 90 * S },
      undefined,
      { expiresAt: T + 60 * S, lifetime: 60 * S },
    ],
    [
      'exp only, Date header',
      { ...facts({ exp: 160 }), serverDate: 100 * S },
      undefined,
      { expiresAt: T + 60 * S, lifetime: 60 * S },
    ],
    [
      'exp only, local clock',
      { ...facts({ exp: (T + 45 * S) / 1000 }) },
      undefined,
      { expiresAt: T + 45 * S, lifetime: 45 * S },
    ],
    [
      'expiresIn',
      { ...facts(), expiresIn: 90 * S },
      undefined,
      { expiresAt: T + 90 * S, lifetime: 90 * S },
    ],
    [
      'expiresAt on the server clock',
      { ...facts(), expiresAt: 200 * S, serverDate: 100 * S },
      undefined,
      { expiresAt: T + 100 * S, lifetime: 100 * S },
    ],
    [
      'expiresAt on the local clock',
      { ...facts(), expiresAt: T + 20 * S },
      undefined,
      { expiresAt: T + 20 * S, lifetime: 20 * S },
    ],
    // They disagree: the earlier expiry is the one that can hurt.
    [
      'token says 60 s, response 30 s',
      { ...facts({ iat: 100, exp: 160 }), expiresIn: 30 * S },
      undefined,
      { expiresAt: T + 30 * S, lifetime: 30 * S },
    ],
    [
      'token says 60 s, response 90 s',
      { ...facts({ iat: 100, exp: 160 }), expiresIn: 90 * S },
      undefined,
      { expiresAt: T + 60 * S, lifetime: 60 * S },
    ],
    // A tie: the token's own exp and iat size the lifetime (60 s), not the response (30 s left).
    [
      'token and response agree on the expiry: the token gives the lifetime',
      { ...facts({ iat: 100, exp: 160 }), expiresAt: 160 * S, serverDate: 130 * S },
      undefined,
      { expiresAt: T + 30 * S, lifetime: 60 * S },
    ],
  ];
  for (const [name, fetched, ttl, expected] of rows) {
    test(name, () => assert.deepEqual(computeExpiry({ token: 'x', ...fetched }, T, ttl), expected));
  }
});

describe('refreshMargin and planRefresh', () => {
  const margin = { ratio: 0.2, min: 5 * S, max: 300 * S, jitter: 0.1 };
  const retry = { attempts: 3, baseDelay: S, maxDelay: 60 * S, maxRetryAfter: 600 * S };
  const rows = [
    // [lifetime, draw, margin]
    [60 * S, 0, 12 * S], // ratio
    [60 * S, 0.5, 15 * S], // + jitter share of the lifetime
    [10 * S, 0, 5 * S], // min, below half the lifetime
    [6 * S, 0, 3 * S], // never more than half the lifetime
    [3 * 3600 * S, 0, 300 * S], // max
    [40 * 24 * 3600 * S, 0.999, 300 * S + 0.999 * 300 * S], // jitter capped at max too
  ];
  for (const [lifetime, draw, expected] of rows) {
    test(`a ${lifetime / S} s token, draw ${draw}: margin ${expected / S} s`, () => {
      assert.equal(refreshMargin(lifetime, margin, draw), expected);
    });
  }
  const plan = (expiresAt, lifetime, streak = 1, draws = { margin: 0, backoff: 0.5 }) =>
    planRefresh(
      T,
      { expiresAt, lifetime },
      streak,
      { refreshMargin: margin, retry },
      draws.margin,
      draws.backoff,
    );
  test('the margin comes from the full lifetime, not the time left', () => {
    // 10 min token with 3 min left: margin 2 min (20 % of 10 min), not 36 s.
    assert.deepEqual(plan(T + 180 * S, 600 * S), { refreshAt: T + 60 * S, tooShortLived: false });
  });
  test('an unknown lifetime: the time left sizes the margin', () => {
    assert.deepEqual(plan(T + 100 * S, undefined), { refreshAt: T + 80 * S, tooShortLived: false });
  });
  test('exactly twice the minimum margin left is not too short', () => {
    assert.equal(plan(T + 10 * S, 10 * S).tooShortLived, false);
  });
  test('a token with less than twice the minimum margin left backs off instead', () => {
    // 4 s token: margin 2 s (half), backoff 0.5 × 1 s: refresh at +2 s, the later of the two.
    assert.deepEqual(plan(T + 4 * S, 4 * S), { refreshAt: T + 2 * S, tooShortLived: true });
    // The third such token in a row: backoff 0.9 × 4 s = 3.6 s, but never before the margin time.
    assert.deepEqual(plan(T + 9 * S, 9 * S, 3, { margin: 0, backoff: 0.9 }), {
      refreshAt: T + 4.5 * S,
      tooShortLived: true,
    });
    assert.deepEqual(plan(T + 4 * S, 4 * S, 4, { margin: 0, backoff: 0.9 }), {
      refreshAt: T + 7.2 * S,
      tooShortLived: true,
    });
  });
});

describe('retryDelay and Retry-After', () => {
  const policy = { attempts: 3, baseDelay: S, maxDelay: 60 * S, maxRetryAfter: 600 * S };
  const rows = [
    // [failures, draw, retryAfter, delay]
    [1, 0.5, undefined, 500],
    [2, 0.5, undefined, 1000],
    [3, 0.5, undefined, 2000],
    [0, 0.5, undefined, 500], // as the first
    [20, 0.5, undefined, 30 * S], // capped at maxDelay
    [1, 0, undefined, 100], // the floor
    [1, 0.5, 20 * S, 20 * S], // Retry-After wins when longer
    [6, 0.9, 20 * S, 28.8 * S], // backoff wins when longer
    [1, 0.5, 3600 * S, 600 * S], // Retry-After capped
  ];
  for (const [failures, draw, retryAfter, delay] of rows) {
    test(`failure ${failures}, draw ${draw}, Retry-After ${retryAfter}: ${delay} ms`, () => {
      assert.equal(retryDelay(failures, policy, retryAfter, draw), delay);
    });
  }
  const headers = [
    [null, undefined],
    ['20', 20 * S],
    [' 7 ', 7 * S],
    ['0', 0],
    ['soon', undefined],
    ['in 20', undefined], // digits at the end only
    ['20 s', undefined], // digits at the start only
    [new Date(T + 90 * S).toUTCString(), 90 * S],
    [new Date(T - 90 * S).toUTCString(), 0], // a date in the past: now
  ];
  for (const [header, expected] of headers) {
    test(`Retry-After ${JSON.stringify(header)}: ${expected}`, () => {
      assert.equal(parseRetryAfter(header, T), expected);
    });
  }
});
