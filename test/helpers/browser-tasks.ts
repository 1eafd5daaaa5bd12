// Web Locks and BroadcastChannel messages settle in real browser tasks, which a sinon clock does
// not run. Tests of cross-tab behaviour under a fake clock step the clock and let those tasks run
// in between. No wall-clock waiting: a task is whatever the browser has queued, run at once.
import type sinon from 'sinon';

// Captured at import, before any test fakes setTimeout.
const realSetTimeout = globalThis.setTimeout.bind(globalThis);

/** Lets the tasks the browser has queued (lock grants, messages) run. */
export async function browserTask(): Promise<void> {
  await new Promise<void>((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
  await new Promise((resolve) => realSetTimeout(resolve, 0));
}

/** Runs browser tasks until `condition` holds; fails after `limit` tasks. */
export async function untilSettled(
  condition: () => boolean,
  what: string,
  limit = 2000,
): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (condition()) return;
    await browserTask();
  }
  if (!condition()) throw new Error(`Timed out waiting for ${what}`);
}

/** Advances the fake clock by `ms` in steps of `step`, letting browser tasks run after each. */
export async function advance(clock: sinon.SinonFakeTimers, ms: number, step = 250): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += step) {
    await clock.tickAsync(Math.min(step, ms - elapsed));
    for (let i = 0; i < 4; i++) await browserTask();
  }
}

/**
 * Advances the fake clock by `ms`, a `step` at a time; after each step, while a request of
 * `tokens` is under way (its cross-tab Web Lock, the body being read), lets browser tasks run
 * without moving the clock. A refresh then always ends before its token's expiry comes round,
 * however loaded the machine or slow the engine: load makes the test slower, never different.
 * `until`: what else must have happened before the clock moves on (a widget's delivery, whose
 * re-injected vendor script loads in real time: fake seconds racing by meanwhile would time the
 * load out, and the late script would then run after its tag was gone).
 * Only for tests whose backend answers (a hung request would wait for the clock to time it out).
 */
export async function advanceUnhurried(
  clock: sinon.SinonFakeTimers,
  tokens: { readonly activity: string },
  ms: number,
  { step = 1000, until = () => true }: { step?: number; until?: () => boolean } = {},
): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += step) {
    await clock.tickAsync(Math.min(step, ms - elapsed));
    await untilSettled(
      () => tokens.activity !== 'fetching' && until(),
      'the request or delivery under way',
      20_000,
    );
  }
}
