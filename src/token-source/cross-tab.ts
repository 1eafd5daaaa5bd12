// One token request per token lifetime for the whole origin, however many tabs are open, and one
// backoff for the whole origin when the endpoint fails.
// A Web Lock per token key serializes requests: whoever holds it fetches, and every tab that gets it
// afterwards first re-checks whether a token broadcast by another tab has made its own fresh, or a
// failure in another tab means it must wait. Tokens travel on a same-origin BroadcastChannel only,
// never through storage; what a tab learned (a token's expiry, a failure) is also written into the
// names of small shared locks, which the lock manager shows to every tab in order, with no race
// against the broadcast.

import type { WidgetTokenErrorCode } from '../errors.js';

/** A token as tabs share it. Times are epoch ms on this machine's clock, the same in every tab. */
export interface SharedToken {
  token: string;
  /**
   * When the request that fetched it started. Requests are serialized by the lock, so this orders
   * tokens: a later one replaces an earlier one, even one that expires sooner (after a refresh()).
   */
  fetchedAt: number;
  expiresAt: number | undefined;
  /** Full lifetime in ms, which sizes the refresh margin in every tab alike. */
  lifetime: number | undefined;
}

/** A failed request as tabs share it: when the next request may go out, and why. */
export interface SharedFailure {
  /** When the failed request started (epoch ms); a token fetched later makes the failure moot. */
  failedAt: number;
  /** No tab requests before this (epoch ms); `Infinity` means not before an explicit `refresh()`. */
  retryAt: number;
  /** Consecutive failures, counted across tabs; sizes the next backoff. */
  failures: number;
  code: WidgetTokenErrorCode;
  status: number | undefined;
}

/** What a request under the lock produced, to be made known to every tab before the lock goes. */
export type Outcome = { token: SharedToken } | { failure: SharedFailure } | undefined;

type Message = { type: 'token'; token: SharedToken } | { type: 'request' } | { type: 'logout' };

export interface CrossTabHandlers {
  /** A token another tab fetched, or shared on request. */
  receive(token: SharedToken): void;
  /** The valid token this tab can give to a tab that asks, if any. */
  share(): SharedToken | undefined;
  /** Another tab logged out. */
  logout(): void;
}

export interface RequestPlan {
  signal: AbortSignal;
  /** Ask the other tabs for their token first (a new tab). */
  askPeers: boolean;
  /**
   * Called once the lock is held, with the newest failure another tab has recorded, if any. Tokens
   * other tabs fetched meanwhile have already been passed to `receive`. True to go ahead.
   */
  shouldFetch(peerFailure: SharedFailure | undefined): boolean;
}

export interface CrossTab {
  /**
   * Runs `request` while holding the lock for this key, unless `shouldFetch` says no once the lock
   * is held; then resolves 'skipped'. The outcome is made known to the other tabs before the lock is
   * let go: the next holder sees it whatever order the browser delivers messages in.
   */
  fetchExclusive(plan: RequestPlan, request: () => Promise<Outcome>): Promise<Outcome | 'skipped'>;
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
 * A shared lock held, under a name that carries a fact, until replaced or released. Resolves
 * `granted` once the lock manager lists it, so the caller can let go of the main lock after that.
 */
function holdMarker(locks: LockManager, name: string): { granted: Promise<void>; release(): void } {
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
  const presenceName = `${name}#tabs`;
  // Marker names: `#fetched:<fetchedAt>` for the newest token a tab fetched, and
  // `#failed:<tab>:<failedAt>:<retryAt>:<failures>:<code>:<status>` for the last failure a tab saw.
  const fetchedPrefix = `${name}#fetched:`;
  const failedPrefix = `${name}#failed:`;
  // Names this tab's own failure marker, so that it never waits on its own backoff twice.
  const tabId =
    typeof crypto?.randomUUID === 'function'
      ? crypto.randomUUID().slice(0, 8)
      : Math.random().toString(36).slice(2, 10);
  // When the last request this tab made started: what other tabs learned before it is stale.
  let ownLatest = -Infinity;
  let tokenMarker: { release(): void } | undefined;
  let failureMarker: { release(): void } | undefined;
  let answered: (() => void) | undefined;
  // Set by close(): a request that finishes after its source stopped publishes nothing, or its
  // marker lock would be held for the life of the page.
  let closed = false;

  const dropFailureMarker = () => {
    failureMarker?.release();
    failureMarker = undefined;
  };

  channel.onmessage = (event: MessageEvent<Message>) => {
    const message = event.data;
    if (message?.type === 'token') {
      // A token from any tab ends the failure this tab recorded.
      dropFailureMarker();
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

  async function heldNames(): Promise<string[]> {
    const state = await locks.query();
    return (state.held ?? []).map((lock) => lock.name ?? '');
  }

  async function othersPresent(): Promise<boolean> {
    // Our own presence lock may already be held: more than one holder means another tab.
    return (await heldNames()).filter((lockName) => lockName === presenceName).length > 1;
  }

  function newestFetched(names: string[]): number | undefined {
    const times = names
      .filter((lockName) => lockName.startsWith(fetchedPrefix))
      .map((lockName) => Number(lockName.slice(fetchedPrefix.length)));
    return times.length ? Math.max(...times) : undefined;
  }

  /** The most recent failure in another tab, unless a token or this tab's own request followed it. */
  function newestPeerFailure(names: string[]): SharedFailure | undefined {
    let newest: SharedFailure | undefined;
    for (const lockName of names) {
      if (!lockName.startsWith(failedPrefix)) continue;
      const [tab, failedAt, retryAt, failures, code, status] = lockName
        .slice(failedPrefix.length)
        .split(':');
      if (tab === tabId) continue;
      const failure: SharedFailure = {
        failedAt: Number(failedAt),
        retryAt: Number(retryAt),
        failures: Number(failures),
        code: code as WidgetTokenErrorCode,
        status: status ? Number(status) : undefined,
      };
      if (!newest || failure.failedAt > newest.failedAt) newest = failure;
    }
    const stale = Math.max(ownLatest, newestFetched(names) ?? -Infinity);
    return newest && newest.failedAt > stale ? newest : undefined;
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

  /** Makes an outcome known to every tab; resolves once the next lock holder is sure to see it. */
  async function publish(outcome: Outcome): Promise<void> {
    if (!outcome || closed) return;
    if ('failure' in outcome) {
      const { failedAt, retryAt, failures, code, status } = outcome.failure;
      ownLatest = Math.max(ownLatest, failedAt);
      const marker = holdMarker(
        locks!,
        `${failedPrefix}${tabId}:${failedAt}:${retryAt}:${failures}:${code}:${status ?? ''}`,
      );
      dropFailureMarker();
      failureMarker = marker;
      await marker.granted;
      return;
    }
    const { token } = outcome;
    ownLatest = Math.max(ownLatest, token.fetchedAt);
    dropFailureMarker();
    tokenMarker?.release();
    tokenMarker = undefined;
    const marker = holdMarker(locks!, `${fetchedPrefix}${token.fetchedAt}`);
    tokenMarker = marker;
    const pending = [marker.granted];
    pending.push(
      new Promise<void>((resolve) => {
        awaitingEcho = { token: token.token, heard: resolve };
      }).then(() => {
        awaitingEcho = undefined;
      }),
    );
    channel.postMessage({ type: 'token', token } satisfies Message);
    await Promise.all(pending);
  }

  return {
    async fetchExclusive({ signal, askPeers: ask, shouldFetch }, request) {
      if (ask) {
        // Asking is an optimisation: if the locks API refuses, just fetch.
        await askPeers(signal).catch(() => {});
        if (signal.aborted || !shouldFetch(undefined)) return 'skipped';
      }
      let fetching = false;
      const underLock = async (): Promise<Outcome | 'skipped'> => {
        // A token the previous holder published just before letting go may still be queued for
        // this tab: let it in before deciding.
        await nextTask();
        if (signal.aborted) return 'skipped';
        const names = await heldNames().catch((): string[] => []);
        const newest = newestFetched(names);
        if (newest !== undefined && newest > (handlers.share()?.fetchedAt ?? -Infinity)) {
          // Another tab has fetched a newer token that has not reached this tab yet: ask for it.
          await askPeers(signal, true);
          if (signal.aborted) return 'skipped';
        }
        if (!shouldFetch(newestPeerFailure(names))) return 'skipped';
        fetching = true;
        const outcome = await request();
        await publish(outcome);
        return outcome;
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
        if (signal.aborted) return 'skipped';
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
    broadcastLogout() {
      channel.postMessage({ type: 'logout' } satisfies Message);
    },
    close() {
      closed = true;
      leave();
      tokenMarker?.release();
      dropFailureMarker();
      awaitingEcho?.heard();
      channel.close();
      echo.close();
    },
  };
}
