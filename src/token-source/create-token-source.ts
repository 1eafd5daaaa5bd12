import {
  StoppedError,
  TokenRequestError,
  TokenResponseError,
  WidgetTokenError,
  isWidgetTokenError,
} from '../errors.js';
import { createAlarm } from './alarm.js';
import { createEmitter } from '../emitter.js';
import type { RefreshReason, TokenSourceEvents, TokenSourcePhase } from './events.js';
import { computeExpiry, refreshMargin } from './expiry.js';
import { createCrossTab, type CrossTab, type SharedToken } from './cross-tab.js';
import { fetchToken, type FetchedToken } from './fetch-token.js';
import { resolveOptions, type TokenSourceOptions } from './options.js';
import { assertTokenShape } from './read-token.js';
import { retryDelay } from './retry-policy.js';

/** Owns one token's whole life in the page: fetch, validate, schedule, deliver. */
export interface TokenSource {
  /**
   * A token valid now: the current one, or a new one. Concurrent callers share one request. Rejects
   * after `retry.attempts` failed attempts (the source keeps retrying in the background), at once on
   * 401/403, and with a StoppedError after `stop()`.
   */
  getToken(): Promise<string>;
  /** Fetches a new token now, also after a 401/403 or during a retry backoff. */
  refresh(): Promise<string>;
  /** The current token while it is valid, else undefined. */
  readonly token: string | undefined;
  /** When the current token expires (epoch ms, local clock); undefined without token or expiry. */
  readonly expiresAt: number | undefined;
  /**
   * When the next request is due (epoch ms, local clock): the scheduled refresh, or the next retry
   * after a failure. Undefined when none is scheduled.
   */
  readonly refreshAt: number | undefined;
  /** Where the source is in the token's life; see {@link TokenSourcePhase}. */
  readonly phase: TokenSourcePhase;
  /** True once `stop()` was called. */
  readonly stopped: boolean;
  /**
   * Listens to `token`, `refreshing`, `error`, `expired` or `stopped`; returns a function that
   * removes the listener. A listener that throws is reported and does not affect the others.
   */
  on<K extends keyof TokenSourceEvents>(
    type: K,
    listener: (event: TokenSourceEvents[K]) => void,
  ): () => void;
  /**
   * Aborts the request in flight, clears timers and listeners, drops the token. Idempotent. Only
   * this tab stops, unless `logout: true`: then every tab's source for this token stops and drops
   * its token (a user who logs out in one tab is logged out in all).
   */
  stop(options?: { logout?: boolean }): void;
}

interface CurrentToken {
  token: string;
  expiresAt: number | undefined;
  /** When this tab plans to refresh it; undefined for tokens without expiry. */
  refreshAt: number | undefined;
}

interface Waiters {
  promise: Promise<string>;
  resolve(token: string): void;
  reject(error: unknown): void;
  failures: number;
}

const EVENT_TYPES = ['token', 'refreshing', 'error', 'expired', 'stopped', 'phase'] as const;
// Events after which timers may have been skipped: sleep, a background tab, a lost connection.
const WAKE_EVENTS = ['focus', 'online', 'pageshow'] as const;

function isRetriable(error: WidgetTokenError): boolean {
  if (error.code === 'timeout' || error.code === 'bad_response') return true;
  if (error instanceof TokenRequestError) {
    const { status } = error;
    return status === undefined || status === 408 || status === 429 || status >= 500;
  }
  return false;
}

function asWidgetTokenError(error: unknown): WidgetTokenError {
  if (isWidgetTokenError(error)) return error;
  return new TokenRequestError('The token request failed unexpectedly.', { cause: error });
}

/**
 * Creates a token source for one token endpoint. Nothing is fetched until the first `getToken()` or
 * `refresh()`; from then on the token is kept fresh until `stop()`.
 *
 * @example
 * const tokens = createTokenSource({ url: '/api/widget-token' });
 * tokens.on('token', ({ token }) => widget.setToken(token));
 * await tokens.getToken();
 */
export function createTokenSource(input: TokenSourceOptions): TokenSource {
  const options = resolveOptions(input);
  const events = createEmitter<TokenSourceEvents>(EVENT_TYPES);

  let current: CurrentToken | undefined;
  let waiters: Waiters | undefined;
  let inFlight: AbortController | undefined;
  let failures = 0;
  let lastFailureWasOffline = false;
  let active = false;
  let stopped = false;
  let askedPeers = false;
  let crossTab: CrossTab | undefined;

  // One alarm drives both the scheduled refresh and the retry after a failure: there is never a
  // reason to have both armed, and sharing it makes a double request impossible.
  const refreshAlarm = createAlarm(() => startRequest(failures > 0 ? 'retry' : 'scheduled'));
  const expiryAlarm = createAlarm(() => {
    if (current?.expiresAt === undefined) return;
    const expiredAt = current.expiresAt;
    current = undefined;
    events.emit('expired', { expiredAt });
  });

  const isValid = (entry: CurrentToken | undefined): entry is CurrentToken =>
    entry !== undefined && (entry.expiresAt === undefined || Date.now() < entry.expiresAt);

  function onWake(event: Event): void {
    if (event.type === 'visibilitychange' && document.visibilityState !== 'visible') return;
    expiryAlarm.fireIfDue();
    if (inFlight) return;
    // Coming back online makes a network-failure backoff pointless; any other wake-up only runs
    // what is already due, so focus events can never speed up the retry rate.
    if (event.type === 'online' && lastFailureWasOffline) refreshAlarm.fireNow();
    else refreshAlarm.fireIfDue();
  }

  function activate(): void {
    if (active || typeof window === 'undefined') return;
    active = true;
    if (options.crossTab) {
      crossTab = createCrossTab(
        options.crossTab,
        {
          receive,
          share: () =>
            isValid(current)
              ? { token: current.token, expiresAt: current.expiresAt, lifetime: undefined }
              : undefined,
          logout: () => stopSource({ logout: true, broadcast: false }),
        },
        // A tab that holds the lock longer than a request can take is frozen or gone.
        options.timeout + 2_000,
      );
    }
    for (const type of WAKE_EVENTS) window.addEventListener(type, onWake);
    document.addEventListener('visibilitychange', onWake);
  }

  function deactivate(): void {
    if (!active) return;
    active = false;
    crossTab?.close();
    crossTab = undefined;
    for (const type of WAKE_EVENTS) window.removeEventListener(type, onWake);
    document.removeEventListener('visibilitychange', onWake);
  }

  function settleWaiters(outcome: { token: string } | { error: unknown }): void {
    const settled = waiters;
    waiters = undefined;
    if (!settled) return;
    if ('token' in outcome) settled.resolve(outcome.token);
    else settled.reject(outcome.error);
  }

  function accept(fetched: FetchedToken, startedAt: number): void {
    const now = Date.now();
    const expiry = computeExpiry(fetched, startedAt, options.ttl);
    if (expiry && expiry.expiresAt <= now) {
      fail(
        new TokenResponseError(
          `The token endpoint returned a token that had already expired ` +
            `(${Math.round((now - expiry.expiresAt) / 1000)} s ago). ` +
            "Likely causes: the server's clock, or a cached token.",
        ),
      );
      return;
    }
    const shared = {
      token: fetched.token,
      expiresAt: expiry?.expiresAt,
      lifetime: expiry?.lifetime,
    };
    install(shared, true);
    crossTab?.publish(shared);
  }

  /**
   * Makes `entry` the current token: schedules its refresh and expiry, tells listeners and waiting
   * callers. `fetchedHere` is false for a token another tab fetched: that tab reports problems.
   */
  function install(entry: SharedToken, fetchedHere: boolean): void {
    const now = Date.now();
    let tooShortLived: TokenResponseError | undefined;
    refreshAlarm.clear();
    expiryAlarm.clear();
    if (entry.expiresAt !== undefined) {
      const remaining = entry.expiresAt - now;
      const lifetime = entry.lifetime ?? remaining;
      let refreshAt = entry.expiresAt - refreshMargin(lifetime, options.refreshMargin);
      if (fetchedHere && remaining < 2 * options.refreshMargin.min) {
        // Refreshing at the margin would mean a request every few seconds: back off instead, and
        // tell the host why.
        failures += 1;
        refreshAt = Math.max(refreshAt, now + retryDelay(failures, options.retry));
        tooShortLived = new TokenResponseError(
          `The token endpoint returned a token valid for only ${Math.round(remaining / 1000)} s, ` +
            `too short to refresh safely. Likely causes: a TTL that is too short, or the server's clock.`,
        );
      } else {
        failures = 0;
      }
      refreshAlarm.set(refreshAt);
      expiryAlarm.set(entry.expiresAt);
    } else {
      failures = 0;
    }
    current = { token: entry.token, expiresAt: entry.expiresAt, refreshAt: refreshAlarm.dueAt };
    events.emit('token', { token: entry.token, expiresAt: entry.expiresAt });
    if (tooShortLived) {
      events.emit('error', {
        error: tooShortLived,
        willRetry: true,
        retryIn: refreshAlarm.dueAt! - now,
      });
    }
    settleWaiters({ token: entry.token });
  }

  /** A token that another tab fetched, or gave us on request. */
  function receive(entry: SharedToken): void {
    if (stopped || entry.token === current?.token) return;
    try {
      assertTokenShape(entry.token);
    } catch {
      return; // Same origin only, but still never pass on something that is not a token.
    }
    const expired = entry.expiresAt !== undefined && entry.expiresAt <= Date.now();
    const older =
      current?.expiresAt !== undefined && (entry.expiresAt ?? Infinity) < current.expiresAt;
    if (!expired && !older) install(entry, false);
  }

  function fail(error: WidgetTokenError): void {
    if (!isRetriable(error)) {
      // 401/403 and other client errors will not heal by retrying: wait for an explicit call.
      refreshAlarm.clear();
      events.emit('error', { error, willRetry: false });
      settleWaiters({ error });
      return;
    }
    failures += 1;
    lastFailureWasOffline = error instanceof TokenRequestError && error.status === undefined;
    const delay = retryDelay(
      failures,
      options.retry,
      error instanceof TokenRequestError ? error.retryAfter : undefined,
    );
    refreshAlarm.set(Date.now() + delay);
    events.emit('error', { error, willRetry: true, retryIn: delay });
    if (waiters && ++waiters.failures >= options.retry.attempts) settleWaiters({ error });
  }

  function startRequest(reason: RefreshReason): void {
    if (stopped || inFlight) return;
    refreshAlarm.clear();
    const controller = new AbortController();
    inFlight = controller;
    // Fetches and installs the token; across tabs this runs under the lock, so the token is
    // published before the next tab can take the lock and look.
    const fetchNow = async () => {
      const startedAt = Date.now();
      events.emit('refreshing', { reason, attempt: failures + 1 });
      const fetched = await fetchToken(options, controller.signal);
      if (controller.signal.aborted) return true;
      inFlight = undefined;
      accept(fetched, startedAt);
      return true;
    };
    // Across tabs: skip the request if, once this tab holds the lock, another tab's token has made
    // ours fresh. An explicit refresh() always fetches.
    const isFresh = () =>
      reason !== 'manual' &&
      isValid(current) &&
      (current.refreshAt === undefined || Date.now() < current.refreshAt);
    const outcome = crossTab
      ? crossTab.exclusive(
          { isFresh, askPeers: current === undefined && !askedPeers, signal: controller.signal },
          fetchNow,
        )
      : fetchNow();
    askedPeers = true;
    outcome.then(
      (fetched) => {
        if (controller.signal.aborted || fetched) return;
        // Another tab's token made ours fresh while this tab waited for the lock.
        inFlight = undefined;
        if (isValid(current)) settleWaiters({ token: current.token });
        else startRequest(reason);
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        inFlight = undefined;
        fail(asWidgetTokenError(error));
      },
    );
  }

  function stopSource({ logout, broadcast }: { logout: boolean; broadcast: boolean }): void {
    if (stopped) return;
    stopped = true;
    if (logout && broadcast) crossTab?.broadcastLogout();
    const error = new StoppedError();
    inFlight?.abort(error);
    inFlight = undefined;
    refreshAlarm.clear();
    expiryAlarm.clear();
    deactivate();
    current = undefined;
    settleWaiters({ error });
    events.emit('stopped', { logout });
    events.clear();
  }

  function request(reason: RefreshReason, now: boolean): Promise<string> {
    if (stopped) return Promise.reject(new StoppedError());
    activate();
    if (!waiters) {
      let resolve!: (token: string) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<string>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      waiters = { promise, resolve, reject, failures: 0 };
    }
    const { promise } = waiters;
    // A caller joins a retry that is already scheduled rather than bypass its backoff; only an
    // explicit refresh() or a source with nothing scheduled starts a request now.
    if (!inFlight && (now || refreshAlarm.dueAt === undefined || failures === 0)) {
      startRequest(reason);
    }
    return promise;
  }

  return {
    getToken() {
      if (!stopped && isValid(current)) return Promise.resolve(current.token);
      return request('demand', false);
    },
    refresh() {
      return request('manual', true);
    },
    get token() {
      return isValid(current) ? current.token : undefined;
    },
    get expiresAt() {
      return isValid(current) ? current.expiresAt : undefined;
    },
    get refreshAt() {
      return refreshAlarm.dueAt;
    },
    get phase(): TokenSourcePhase {
      if (stopped) return 'stopped';
      if (inFlight) return 'fetching';
      if (refreshAlarm.dueAt !== undefined && failures > 0) return 'backing-off';
      return isValid(current) ? 'holding' : 'idle';
    },
    get stopped() {
      return stopped;
    },
    on(type, listener) {
      if (stopped) return () => {};
      return events.on(type, listener);
    },
    stop(stopOptions) {
      const logout = stopOptions?.logout === true;
      stopSource({ logout, broadcast: logout });
    },
  };
}
