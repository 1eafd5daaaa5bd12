// The cross-tab lock: one small function, as auth0-spa-js keeps its own, plus the shared locks that
// carry markers. Nothing else lives here.

/**
 * Runs `callback` while this tab holds the exclusive Web Lock `name`. A holder that keeps it longer
 * than `wait` ms is frozen or gone, so past that the lock is stolen. Where the locks API refuses (an
 * opaque or sandboxed origin, a partitioned frame) `callback` runs without it: what a single tab
 * does anyway. Resolves undefined when `signal` aborts before the lock is held.
 */
export async function withLock<T>(
  locks: LockManager,
  name: string,
  wait: number,
  signal: AbortSignal,
  callback: () => Promise<T>,
): Promise<T | undefined> {
  let entered = false;
  const run = () => {
    entered = true;
    return callback();
  };
  const waited = new AbortController();
  // Steal only from a holder seen holding the lock for a whole `wait`: a tab queued behind two
  // others must not steal it from one that has only just taken it. Where the lock manager names
  // no holder, the wait counts from the request, as before.
  const holderOf = () =>
    locks.query().then(
      (state) => state.held?.find((lock) => lock.name === name)?.clientId,
      () => undefined,
    );
  let holder = holderOf();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const arm = () => {
    timer = setTimeout(async () => {
      const before = await holder;
      const now = await (holder = holderOf());
      // Done waiting: the lock was entered (or run without it), or the caller gave up.
      if (entered || signal.aborted) return;
      if (now !== undefined && now !== before) arm();
      else waited.abort();
    }, wait);
  };
  arm();
  const onAbort = () => waited.abort();
  signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await locks.request(name, { signal: waited.signal }, () => {
      clearTimeout(timer);
      return run();
    });
  } catch (error) {
    if (entered) throw error;
    if (signal.aborted) return undefined;
    if (waited.signal.aborted) return await locks.request(name, { steal: true }, run);
    return run();
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', onAbort);
  }
}

/**
 * Holds a shared lock under `name` until released. `granted` resolves once the lock manager lists
 * it (or refused it), so a caller can let go of the main lock only after that.
 */
export function holdShared(
  locks: LockManager,
  name: string,
): { granted: Promise<void>; release(): void } {
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const granted = new Promise<void>((resolve) => {
    locks
      .request(name, { mode: 'shared' }, () => {
        resolve();
        return held;
      })
      .catch(() => resolve());
  });
  return { granted, release };
}
