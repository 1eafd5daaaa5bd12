// Bugs that were planted in the token source and passed every test (#22), each pinned by name.
// They drive the transition through the model's world, with its own expectations.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { createWorld, expectedDelay } from './model-world.mjs';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

describe('bugs that passed every test (#22)', () => {
  test("a peer's older token is refused; the newer one held stays", () => {
    const world = createWorld(1);
    world.call('demand');
    world.runUntil(world.now + SECOND);
    const held = world.state.token;
    assert.ok(held, 'a token');
    const older = {
      token: 'peer-older',
      fetchedAt: held.fetchedAt - MINUTE,
      expiresAt: world.now + 10 * MINUTE,
      lifetime: 11 * MINUTE,
    };
    world.dispatch({ type: 'peer-token', token: older });
    assert.equal(world.state.token.token, held.token);
    const newer = { ...older, token: 'peer-newer', fetchedAt: world.now };
    world.dispatch({ type: 'peer-token', token: newer });
    assert.equal(world.state.token.token, 'peer-newer');
  });

  test('a success resets the failure count: the next outage starts at the first backoff step', () => {
    const world = createWorld(2);
    world.answer = '500';
    world.call('demand');
    // Five failures in a row: each response, then the retry it planned.
    const step = () => world.runUntil(world.alarmAt ?? world.inFlight.respondAt);
    while (world.model.failures < 5) step();
    assert.equal(world.state.failures, 5);
    world.answer = 'ok';
    step();
    step();
    assert.ok(world.state.token, 'recovered');
    // The next outage: the refresh fails; its retry is drawn from the first step (≤ 1 s).
    world.answer = '500';
    step();
    step();
    const retryIn = world.alarmAt - world.now;
    assert.ok(retryIn <= expectedDelay(1, 0.999999), `first-step backoff, got ${retryIn} ms`);
    assert.equal(world.state.failures, 1);
  });
});
