// planRefresh is a pure function: the table is the rule. Times in ms; `now` is 0.
import { expect } from 'chai';
import { planRefresh, refreshMargin } from '../../src/token-source/expiry.js';

const margin = { ratio: 0.2, min: 5_000, max: 300_000, jitter: 0.1 };
const retry = { attempts: 3, baseDelay: 1_000, maxDelay: 60_000, maxRetryAfter: 600_000 };
const S = 1_000;
const MIN = 60 * S;
const H = 60 * MIN;

describe('planRefresh', () => {
  // [case, expiresAt, lifetime, short-lived streak, draws {margin, backoff}, refreshAt, tooShortLived]
  const table: [string, number, number | undefined, number, [number, number], number, boolean][] = [
    ['60 s token, no jitter: 20 % margin', 60 * S, 60 * S, 0, [0, 0], 48 * S, false],
    [
      '60 s token, most jitter: + 10 % of the lifetime',
      60 * S,
      60 * S,
      0,
      [0.999, 0],
      42_006,
      false,
    ],
    ['20 s token: the 5 s floor wins over 20 %', 20 * S, 20 * S, 0, [0, 0], 15 * S, false],
    ['1 h token: 5 min cap', H, H, 0, [0, 0], 55 * MIN, false],
    [
      '1 h token, most jitter: jitter capped at 5 min too',
      H,
      H,
      0,
      [0.999, 0],
      H - 5 * MIN - 299_700,
      false,
    ],
    [
      '40-day token: margin and jitter both capped at 5 min',
      40 * 24 * H,
      40 * 24 * H,
      0,
      [0.5, 0],
      40 * 24 * H - 450 * S,
      false,
    ],
    [
      'a peer token with 25 s left keeps its 60 s lifetime: 12 s margin',
      25 * S,
      60 * S,
      0,
      [0, 0],
      13 * S,
      false,
    ],
    ['unknown lifetime: sized on the time left', 25 * S, undefined, 0, [0, 0], 20 * S, false],
    ['10 s left: still refreshed at the margin (2 × min)', 10 * S, 10 * S, 0, [0, 0], 5 * S, false],
    ['9 s left: too short; margin 4.5 s beats backoff 0.1 s', 9 * S, 9 * S, 0, [0, 0], 4_500, true],
    [
      '4 s left, first such token, backoff draw 0.999: up to 1 s',
      4 * S,
      4 * S,
      1,
      [0, 0.999],
      2 * S,
      true,
    ],
    [
      '4 s left, 5th in a row, backoff draw 0.999: ~16 s',
      4 * S,
      4 * S,
      5,
      [0, 0.999],
      15_984,
      true,
    ],
    ['4 s left, 10th in a row: backoff capped at 60 s', 4 * S, 4 * S, 10, [0, 0.999], 59_940, true],
  ];
  for (const [name, expiresAt, lifetime, streak, [m, b], refreshAt, tooShortLived] of table) {
    it(name, () => {
      const plan = planRefresh(
        0,
        { expiresAt, lifetime },
        streak,
        { refreshMargin: margin, retry },
        m,
        b,
      );
      expect(plan.refreshAt).to.be.closeTo(refreshAt, 1);
      expect(plan.tooShortLived).to.equal(tooShortLived);
    });
  }

  it('plans every refreshable token between 40 % of its life and its expiry', () => {
    for (const lifetime of [10 * S, 11 * S, MIN, H, 24 * H, 400 * 24 * H]) {
      for (const draw of [0, 0.5, 0.999]) {
        const at = lifetime - refreshMargin(lifetime, margin, draw);
        // Margin at most half the lifetime, jitter at most a tenth.
        expect(at, `${lifetime} ms, draw ${draw}`).to.be.within(0.4 * lifetime - 1, lifetime - 1);
      }
    }
  });
});
