// The facts tabs write into lock names: encoding, decoding and reading, by table.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { decodeMarker, encodeMarker, readMarkers } from '../.pure/markers.mjs';

const KEY = 'widget-token:https://app.example/token#user:1';
const T = 1_800_000_000_000;
const token = (tab, fetchedAt, expiresAt) =>
  encodeMarker(KEY, { kind: 'token', tab, fetchedAt, expiresAt });
const failure = (
  tab,
  failedAt,
  { retryAt = failedAt + 5000, blocked = false, failures = 1, status = 503 } = {},
) =>
  encodeMarker(KEY, {
    kind: 'failure',
    tab,
    failure: {
      failedAt,
      retryAt: blocked ? undefined : retryAt,
      blocked,
      failures,
      code: blocked ? 'unauthorized' : 'request_failed',
      status,
    },
  });

describe('markers: encode and decode', () => {
  const cases = [
    ['a token with expiry', { kind: 'token', tab: 'a1', fetchedAt: T, expiresAt: T + 60_000 }],
    ['a token without expiry', { kind: 'token', tab: 'a1', fetchedAt: T, expiresAt: undefined }],
    [
      'a backoff',
      {
        kind: 'failure',
        tab: 'b2',
        failure: {
          failedAt: T,
          retryAt: T + 4321.5,
          blocked: false,
          failures: 3,
          code: 'request_failed',
          status: 503,
        },
      },
    ],
    [
      'a network failure (no status)',
      {
        kind: 'failure',
        tab: 'b2',
        failure: {
          failedAt: T,
          retryAt: T + 100,
          blocked: false,
          failures: 1,
          code: 'request_failed',
          status: undefined,
        },
      },
    ],
    [
      'a block (401): no retry time, said in words',
      {
        kind: 'failure',
        tab: 'c3',
        failure: {
          failedAt: T,
          retryAt: undefined,
          blocked: true,
          failures: 0,
          code: 'unauthorized',
          status: 401,
        },
      },
    ],
  ];
  for (const [name, marker] of cases) {
    test(`round trip: ${name}`, () => {
      assert.deepEqual(decodeMarker(KEY, encodeMarker(KEY, marker)), marker);
    });
  }
  test('a block is written as "blocked", not as an infinite time', () => {
    assert.match(failure('c3', T, { blocked: true, status: 401 }), /:blocked$/);
  });

  const foreign = [
    ['the main lock itself', KEY],
    ['another key', token('a1', T, T + 1).replace(KEY, `${KEY}x`)],
    ['an unknown kind', `${KEY}#tabs`],
    ['a token marker missing a field', `${KEY}#token:a1:${T}`],
    ['a token marker with a garbled time', `${KEY}#token:a1:soon:`],
    [
      'a failure marker with a garbled retry time',
      `${KEY}#failed:b2:${T}:1:request_failed:503:later`,
    ],
    ['a failure marker with a garbled status', `${KEY}#failed:b2:${T}:1:request_failed:x:${T}`],
    ['a failure marker without a tab', `${KEY}#failed::${T}:1:request_failed:503:${T}`],
    // decodeMarker keeps a name only if encoding what it read gives that name back, with a tab,
    // a code and no NaN: each row below is refused by one of those checks.
    ['a token marker whose fetch time is NaN', `${KEY}#token:a1:NaN:`],
    ['a failure marker whose retry time is NaN', `${KEY}#failed:b2:${T}:1:request_failed:503:NaN`],
    ['a number not written as encodeMarker writes it', `${KEY}#token:a1:${T / 1000}e3:`],
    ['another key of the same length', token('a1', T, T + 1).replace(KEY, `${KEY.slice(0, -1)}2`)],
    ['a token marker without a tab', `${KEY}#token::${T}:${T + 1}`],
    ['a token marker with no fetch time', `${KEY}#token:a1::${T + 1}`],
    ['a token marker with a garbled fetch time', `${KEY}#token:a1:soon:${T + 1}`],
    ['a token marker with a garbled expiry', `${KEY}#token:a1:${T}:soon`],
    ['a token marker whose expiry says "blocked"', `${KEY}#token:a1:${T}:blocked`],
    ['a token marker with an extra field', `${KEY}#token:a1:${T}:${T + 1}:x`],
    ["an unknown kind with a token's fields", `${KEY}#tokens:a1:${T}:${T + 1}`],
    ["an unknown kind with a failure's fields", `${KEY}#failure:b2:${T}:1:request_failed:503:${T}`],
    ["a token kind with a failure's fields", `${KEY}#token:b2:${T}:1:request_failed:503:${T}`],
    ['a failure marker with no failure time', `${KEY}#failed:b2::1:request_failed:503:${T}`],
    [
      'a failure marker with a garbled failure time',
      `${KEY}#failed:b2:x:1:request_failed:503:${T}`,
    ],
    ['a failure marker with no failure count', `${KEY}#failed:b2:${T}::request_failed:503:${T}`],
    [
      'a failure marker with a garbled failure count',
      `${KEY}#failed:b2:${T}:x:request_failed:503:${T}`,
    ],
    ['a failure marker with no code', `${KEY}#failed:b2:${T}:1::503:${T}`],
    ['a failure marker with no retry time', `${KEY}#failed:b2:${T}:1:request_failed:503:`],
    ['a failure marker with an extra field', `${KEY}#failed:b2:${T}:1:request_failed:503:${T}:x`],
  ];
  for (const [name, lockName] of foreign) {
    test(`ignored: ${name}`, () => assert.equal(decodeMarker(KEY, lockName), undefined));
  }
});

describe('markers: what one tab reads from the held locks', () => {
  const me = { tab: 'me', now: T, heldFetchedAt: T - 10_000, ownLatest: T - 10_000 };
  const rows = [
    // [name, names, reader changes, newerToken, peer failure's failedAt or undefined]
    ['nothing held', [], {}, false, undefined],
    // The main lock and any other lock held on the origin are not markers: skipped, not read.
    [
      'locks that are not markers, among markers',
      [KEY, 'another-app-lock', token('p1', T - 5_000, T + 60_000), `${KEY}#tabs`],
      {},
      true,
      undefined,
    ],
    // Same instant is not newer: asking that tab for its token would bring nothing new.
    [
      "another tab's token fetched at the same instant as this tab's",
      [token('p1', T - 10_000, T + 60_000)],
      {},
      false,
      undefined,
    ],
    // #18, 1: a lone tab's own marker, once its token lapsed, is not another tab's newer token.
    [
      "this tab's own marker, its token lapsed",
      [token('me', T - 10_000, T - 1)],
      { heldFetchedAt: T - 10_000 },
      false,
      undefined,
    ],
    [
      "this tab's own marker, newer than what it holds",
      [token('me', T - 5_000, T + 60_000)],
      {},
      false,
      undefined,
    ],
    ["another tab's newer valid token", [token('p1', T - 5_000, T + 60_000)], {}, true, undefined],
    [
      "another tab's newer token without expiry",
      [token('p1', T - 5_000, undefined)],
      {},
      true,
      undefined,
    ],
    [
      "another tab's newer token that has lapsed",
      [token('p1', T - 5_000, T)],
      {},
      false,
      undefined,
    ],
    ["another tab's older token", [token('p1', T - 20_000, T + 60_000)], {}, false, undefined],
    [
      'a new tab (no token) and another tab with one',
      [token('p1', T - 20_000, T + 60_000)],
      { heldFetchedAt: undefined },
      true,
      undefined,
    ],
    [
      "another tab's failure after this tab's last request",
      [failure('p1', T - 1_000)],
      {},
      false,
      T - 1_000,
    ],
    ["this tab's own failure", [failure('me', T - 1_000)], {}, false, undefined],
    [
      "another tab's failure before this tab's last request",
      [failure('p1', T - 11_000)],
      {},
      false,
      undefined,
    ],
    [
      'a failure followed by a token (any tab)',
      [failure('p1', T - 2_000), token('p2', T - 1_000, T - 1)],
      {},
      false,
      undefined,
    ],
    [
      'a token followed by a failure',
      [token('p2', T - 3_000, T + 1), failure('p1', T - 2_000)],
      {},
      true,
      T - 2_000,
    ],
    [
      'the newest of two failures',
      [failure('p1', T - 3_000), failure('p2', T - 2_000)],
      {},
      false,
      T - 2_000,
    ],
    [
      'the newest of two failures, listed first',
      [failure('p2', T - 2_000), failure('p1', T - 3_000)],
      {},
      false,
      T - 2_000,
    ],
    // Requests are serialized by the lock; should two start at one instant, the token wins: a tab
    // that holds a fresh token never backs off on its account.
    [
      'a failure and a token from requests started at the same instant',
      [failure('p1', T - 2_000), token('p2', T - 2_000, T + 60_000)],
      {},
      true,
      undefined,
    ],
    [
      "another tab's failure from a request started at the instant of this tab's",
      [failure('p1', T - 10_000)],
      {},
      false,
      undefined,
    ],
    [
      'a block from another tab',
      [failure('p1', T - 1_000, { blocked: true, status: 401 })],
      {},
      false,
      T - 1_000,
    ],
  ];
  for (const [name, names, changes, newerToken, failedAt] of rows) {
    test(name, () => {
      const reading = readMarkers(KEY, names, { ...me, ...changes });
      assert.equal(reading.newerToken !== undefined, newerToken, 'newerToken');
      assert.equal(reading.peerFailure?.failedAt, failedAt, 'peerFailure');
    });
  }
});
