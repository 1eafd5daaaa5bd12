// One token request per token lifetime for the whole origin, however many tabs are open.
// A Web Lock per token key serializes fetching: whoever holds it fetches, and every tab that gets it
// afterwards first re-checks whether a token broadcast by another tab has made its own fresh. Tokens
// travel on a same-origin BroadcastChannel only, never through storage.

/** A token as tabs share it. Times are epoch ms on this machine's clock, the same in every tab. */
export interface SharedToken {
  token: string;
  expiresAt: number | undefined;
  lifetime: number | undefined;
}

type Message = { type: 'token'; token: SharedToken } | { type: 'request' } | { type: 'logout' };

export interface CrossTabHandlers {
  /** A token another tab fetched, or shared on request. */
  receive(token: SharedToken): void;
  /** The valid token this tab can give to a tab that asks, if any. */
  share(): SharedToken | undefined;
  /** Another tab logged out. */
  logout(): void;
}

export interface CrossTab {
  /**
   * Runs `fetch` while holding the lock for this key, unless `isFresh()` is true once the lock is
   * held (another tab's token arrived meanwhile); then resolves undefined. With `askPeers`, first
   * asks the other tabs, if there are any, for the token they hold.
   */
  exclusive<T>(
    options: { isFresh: () => boolean; askPeers: boolean; signal: AbortSignal },
    fetch: () => Promise<T>,
  ): Promise<T | undefined>;
  publish(token: SharedToken): void;
  broadcastLogout(): void;
  close(): void;
}

// How long a new tab waits for another tab to answer "who has a token?".
const PEER_ANSWER_WAIT = 500;

function delay(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}

/** Resolves after the tasks already queued (messages included) have run; fake clocks don't touch it. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(undefined);
  });
}

/**
 * Creates the coordination for one channel name, or returns undefined where Web Locks or
 * BroadcastChannel are missing: the source then works per tab, which is always correct.
 * `lockWait` bounds how long a tab waits for another tab's lock: a frozen or hung tab must not
 * block the others, so past it the lock is stolen.
 */
export function createCrossTab(
  name: string,
  handlers: CrossTabHandlers,
  lockWait: number,
): CrossTab | undefined {
  const locks = globalThis.navigator?.locks;
  if (typeof BroadcastChannel !== 'function' || typeof locks?.request !== 'function') {
    return undefined;
  }
  const channel = new BroadcastChannel(name);
  // A second endpoint in this tab hears what this tab sends: the lock is let go only once a
  // published token has come back through it, i.e. has been dispatched to every tab.
  const echo = new BroadcastChannel(name);
  let awaitingEcho: { token: string; heard: () => void } | undefined;
  echo.onmessage = (event: MessageEvent<Message>) => {
    if (event.data?.type === 'token' && event.data.token.token === awaitingEcho?.token) {
      awaitingEcho.heard();
    }
  };
  let pendingEcho: Promise<void> | undefined;
  const presenceName = `${name}#tabs`;
  // The tab that fetched a token holds a shared lock named after its expiry, taken before the main
  // lock is let go. The lock manager orders the two, so the next holder learns from it, even before
  // the broadcast reaches it, that a newer token exists.
  const markPrefix = `${name}#fetched:`;
  let releaseMark: (() => void) | undefined;
  let pendingMark: Promise<void> | undefined;
  let answered: (() => void) | undefined;

  channel.onmessage = (event: MessageEvent<Message>) => {
    const message = event.data;
    if (message?.type === 'token') {
      handlers.receive(message.token);
      answered?.();
    } else if (message?.type === 'request') {
      const token = handlers.share();
      if (token) channel.postMessage({ type: 'token', token } satisfies Message);
    } else if (message?.type === 'logout') {
      handlers.logout();
    }
  };

  // Every tab with an active source holds this shared lock, so a new tab can tell whether any
  // other tab could answer before it waits for an answer.
  let leave!: () => void;
  let markJoined!: () => void;
  const present = new Promise<void>((resolve) => (leave = resolve));
  const joined = new Promise<void>((resolve) => (markJoined = resolve));
  locks
    .request(presenceName, { mode: 'shared' }, () => {
      markJoined();
      return present;
    })
    .catch(markJoined);

  async function othersPresent(): Promise<boolean> {
    const state = await locks.query();
    const holders = (state.held ?? []).filter((lock) => lock.name === presenceName).length;
    // Our own presence lock may already be held: more than one holder means another tab.
    return holders > 1;
  }

  async function newestMark(): Promise<number | undefined> {
    const state = await locks.query();
    const expiries = (state.held ?? [])
      .map((lock) => lock.name ?? '')
      .filter((lockName) => lockName.startsWith(markPrefix))
      .map((lockName) => Number(lockName.slice(markPrefix.length)));
    return expiries.length ? Math.max(...expiries) : undefined;
  }

  async function askPeers(signal: AbortSignal, force = false): Promise<void> {
    await joined;
    if (!force && !(await othersPresent())) return;
    const waiting = new AbortController();
    answered = () => waiting.abort();
    signal.addEventListener('abort', () => waiting.abort(), { once: true });
    channel.postMessage({ type: 'request' } satisfies Message);
    await delay(PEER_ANSWER_WAIT, waiting.signal);
    answered = undefined;
  }

  return {
    async exclusive({ isFresh, askPeers: ask, signal }, fetch) {
      if (ask) {
        // Asking is an optimisation: if the locks API refuses, just fetch.
        await askPeers(signal).catch(() => {});
        if (isFresh() || signal.aborted) return undefined;
      }
      let fetching = false;
      const underLock = async () => {
        // A token the previous holder published just before letting go may still be queued for
        // this tab: let it in before deciding.
        await nextTask();
        if (isFresh() || signal.aborted) return undefined;
        const newest = await newestMark().catch(() => undefined);
        if (newest !== undefined && newest > (handlers.share()?.expiresAt ?? 0)) {
          // Another tab has fetched a newer token that has not reached this tab yet: ask for it.
          await askPeers(signal, true);
          if (isFresh() || signal.aborted) return undefined;
        }
        fetching = true;
        const result = await fetch();
        await Promise.all([pendingEcho, pendingMark]);
        pendingEcho = undefined;
        pendingMark = undefined;
        return result;
      };
      const waited = new AbortController();
      const timer = setTimeout(() => waited.abort(), lockWait);
      const onAbort = () => waited.abort();
      signal.addEventListener('abort', onAbort, { once: true });
      try {
        return await locks.request(name, { signal: waited.signal }, async () => {
          clearTimeout(timer);
          return underLock();
        });
      } catch (error) {
        if (fetching) throw error;
        if (signal.aborted) return undefined;
        // The holder has not let go within lockWait: it is frozen or gone. Take the lock over.
        if (waited.signal.aborted) return locks.request(name, { steal: true }, underLock);
        // The locks API refused (an opaque or sandboxed origin, a partitioned frame): fetching
        // without it is what a single tab does anyway.
        return underLock();
      } finally {
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      }
    },
    publish(token) {
      releaseMark?.();
      releaseMark = undefined;
      if (token.expiresAt !== undefined) {
        const held = new Promise<void>((resolve) => (releaseMark = resolve));
        pendingMark = new Promise<void>((granted) => {
          locks
            .request(`${markPrefix}${token.expiresAt}`, { mode: 'shared' }, () => {
              granted();
              return held;
            })
            .catch(() => granted());
        });
      }
      pendingEcho = new Promise<void>((resolve) => {
        awaitingEcho = { token: token.token, heard: resolve };
      }).then(() => {
        awaitingEcho = undefined;
      });
      channel.postMessage({ type: 'token', token } satisfies Message);
    },
    broadcastLogout() {
      channel.postMessage({ type: 'logout' } satisfies Message);
    },
    close() {
      leave();
      releaseMark?.();
      awaitingEcho?.heard();
      channel.close();
      echo.close();
    },
  };
}
