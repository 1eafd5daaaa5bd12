// setTimeout stores its delay in 32 bits: anything above this fires at once. Long waits are cut
// into pieces of at most this size and re-armed.
const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * A one-shot timer for a point in time (epoch ms) rather than a delay. Because it remembers when it
 * is due, a caller that suspects timers were skipped (sleep, background tab) can ask `fireIfDue()`.
 */
/** Why an alarm fired: its own timer, or a caller that found it due (`check`) or forced it (`now`). */
export type AlarmCause = 'timer' | 'check' | 'now';

export interface Alarm {
  set(dueAt: number): void;
  clear(): void;
  /** Fires now if the due time has passed; true if it fired. */
  fireIfDue(): boolean;
  /** Fires now if set at all; true if it fired. */
  fireNow(): boolean;
  readonly dueAt: number | undefined;
}

export function createAlarm(onFire: (cause: AlarmCause) => void): Alarm {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let dueAt: number | undefined;

  const clear = () => {
    clearTimeout(timer);
    timer = undefined;
    dueAt = undefined;
  };
  const fire = (cause: AlarmCause) => {
    clear();
    onFire(cause);
  };
  const arm = (at: number) => {
    timer = setTimeout(
      () => (Date.now() >= at ? fire('timer') : arm(at)),
      Math.min(Math.max(0, at - Date.now()), MAX_TIMEOUT),
    );
  };

  return {
    set(at) {
      clear();
      dueAt = at;
      arm(at);
    },
    clear,
    fireIfDue() {
      if (dueAt === undefined || Date.now() < dueAt) return false;
      fire('check');
      return true;
    },
    fireNow() {
      if (dueAt === undefined) return false;
      fire('now');
      return true;
    },
    get dueAt() {
      return dueAt;
    },
  };
}
