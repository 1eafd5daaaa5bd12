// Injected into the cross-tab bundle (test/node/build-pure.mjs): the timers, the clock and
// BroadcastChannel that the real cross-tab code uses come from the two-tab model's world
// (cross-tab-world.mjs), which plays the browser on a fake clock.
const world = () => globalThis.__widgetTokenTabs;

function setTimeout_(callback, ms) {
  return world().setTimer(callback, ms);
}
function clearTimeout_(id) {
  world().clearTimer(id);
}
export { setTimeout_ as setTimeout, clearTimeout_ as clearTimeout };

export const Date = { now: () => world().now };

export class BroadcastChannel {
  constructor(name) {
    world().channels.open(this, name);
  }
  postMessage(data) {
    world().channels.post(this, data);
  }
  close() {
    world().channels.close(this);
  }
}
