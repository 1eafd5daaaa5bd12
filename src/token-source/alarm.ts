// setTimeout stores its delay in 32 bits: anything above this fires at once. Long waits are cut
// into pieces of at most this size and re-armed.
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * A one-shot timer for a point in time (epoch ms) rather than a delay: `set(undefined)` clears it.
 * It fires only once the clock has reached the time, however the timer was cut up.
 */
export function createAlarm(onFire: () => void): (at: number | undefined) => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = (at: number) => {
    timer = setTimeout(
      () => (Date.now() >= at ? onFire() : arm(at)),
      Math.min(Math.max(0, at - Date.now()), MAX_TIMEOUT),
    );
  };
  return (at) => {
    clearTimeout(timer);
    timer = undefined;
    if (at !== undefined) arm(at);
  };
}
