// Bugs the two-tab model (cross-tab-world.mjs) found in the cross-tab code, each pinned by name.
// The world checks every rule on the way; the assertions here name what went wrong.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createTabsWorld } from './cross-tab-world.mjs';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

function tabs(count, seed = 1) {
  const world = createTabsWorld(seed);
  globalThis.__widgetTokenTabs = world;
  return [world, Array.from({ length: count }, () => world.openTab())];
}

/** [start, end] of every request, in fake ms: no two may overlap. */
function overlapping(world, answeredAfter) {
  const spans = world.requests.map((r) => [r.at, r.at + answeredAfter]);
  return spans.some(([start], i) => spans.some(([s, e], j) => j !== i && start > s && start < e));
}

describe('cross-tab: sequences that found bugs (two-tab model)', () => {
  test('a tab queued behind two others does not steal the lock from one that has just taken it', async () => {
    const [world, [a, b, c]] = tabs(3);
    world.answer = 'hang'; // every request times out after 10 s: each holds the lock that long
    a.call('demand');
    b.call('refresh');
    c.call('demand');
    await world.runUntil(world.now + MINUTE);
    // Before the fix, c stole the lock 12 s after it asked, 2 s into b's request: two at once.
    assert.ok(!overlapping(world, 10 * SECOND), 'two requests out at once');
    assert.deepEqual(
      world.requests.slice(0, 2).map((r) => [r.tab, r.at - world.requests[0].at]),
      [
        [0, 0],
        [1, 10 * SECOND],
      ],
    );
  });

  test("an older token one tab sends to another does not end a third tab's 401 block", async () => {
    const [world, [a, b]] = tabs(2);
    a.call('demand');
    await world.runUntil(world.now + SECOND);
    b.call('demand'); // b asks a for its token
    await world.settle();
    world.answer = '401';
    await world.runUntil(Math.min(a.alarm.at, b.alarm.at) + SECOND); // the refresh gets a 401
    const blocked = world.tabs.find((tab) => tab.state.activity === 'blocked');
    assert.ok(blocked, 'a tab blocked by the 401');
    const requests = world.requests.length;
    // A third tab asks for a token: both tabs answer with the token fetched before the 401, and
    // each receives the other's answer. Before the fix, that dropped the 401's marker, and the
    // next refresh of any tab went out while the origin was blocked.
    world.openTab().call('demand');
    await world.runUntil(world.now + 10 * MINUTE);
    assert.equal(world.requests.length, requests, 'a request while the origin is blocked');
    assert.ok(
      world.locks.held().some((name) => name.includes('#failed:')),
      'the 401 is still marked',
    );
  });
  test('an older token that arrives while a tab asks for a newer one does not end its wait', async () => {
    const [world, [a, b, c]] = tabs(3);
    a.call('demand');
    await world.runUntil(world.now + SECOND);
    const due = a.alarm.at; // a's refresh of token-0001
    world.channelDelay = 100;
    await world.runUntil(due - 100);
    // c asks a for its token, under the lock; b's refresh() waits behind it, and a's refresh
    // falls due behind b. When a's answer reaches c and b, c lets go, b takes the lock and asks
    // too, and the same answer ends b's question: b fetches token-0002 while a and c still answer
    // it with token-0001, answers that reach a just as it takes the lock and asks for token-0002.
    c.call('demand');
    b.call('refresh');
    await world.runUntil(due + 10 * SECOND);
    assert.equal(a.state.token.token, 'token-0002', "a took b's newer token");
    // Before the fix, the older token ended a's question and a fetched again for one refresh
    // (the world fails on the spot: "a scheduled request while tab 1 holds a newer valid token").
    assert.deepEqual(
      world.requests.map((r) => [r.tab, r.reason]),
      [
        [0, 'demand'],
        [1, 'manual'],
      ],
    );
  });
});
