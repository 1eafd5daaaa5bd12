import {
  StoppedError,
  TokenRequestError,
  TokenResponseError,
  UnauthorizedError,
  WidgetTokenError,
  isWidgetTokenError,
} from '../errors.js';
import { createAlarm, type AlarmCause } from './alarm.js';
import { createEmitter } from '../emitter.js';
import type { RefreshReason, TokenSourceEvents, TokenSourcePhase } from './events.js';
import { computeExpiry, planRefresh } from './expiry.js';
import {
  createCrossTab,
  type CrossTab,
  type Outcome,
  type SharedFailure,
  type SharedToken,
} from './cross-tab.js';
import { fetchToken, type FetchedToken } from './fetch-token.js';
import { resolveOptions, type TokenSourceOptions } from './options.js';
import { assertTokenShape } from './read-token.js';
import { retryDelay } from './retry-policy.js';

/** Owns one token's whole life in the page: fetch, validate, schedule, deliver. */
export interface TokenSource {
  /**
   * A token valid now: the current one, or a new one. Concurrent callers share one request; a
   * caller during a backoff waits for the scheduled retry rather than bypass it. Rejects after
   * `retry.attempts` failed attempts (the source keeps retrying in the background), at once while
   * the source is `blocked` (after a 401/403 or another answer that retrying cannot fix, until
   * `refresh()`), and with a StoppedError after `stop()`.
   */
  getToken(): Promise<string>;
  /** Fetches a new token now: the one way out of `blocked`, and it also cuts a backoff short. */
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
   * Listens to `token`, `refreshing`, `error`, `expired`, `phase` or `stopped`; returns a function
   * that removes the listener. A listener that throws is reported and does not affect the others.
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

/** The token this source holds. Times in epoch ms on the local clock. */
interface HeldToken extends SharedToken {
  /** When this tab plans to refresh it; undefined for tokens without expiry. */
  refreshAt: number | undefined;
}

/** Everything that says where one token's life stands. Only the transitions below change it. */
interface Life {
  phase: TokenSourcePhase;
  held: HeldToken | undefined;
  /** The request under way in this tab (possibly still waiting for another tab's lock). */
  request: { reason: RefreshReason; controller: AbortController } | undefined;
  /** Consecutive failed requests, this tab's or, across tabs, any tab's; sizes the backoff. */
  failures: number;
  /** Consecutive tokens too short-lived to refresh at their margin; sizes their backoff. */
  shortLived: number;
  /** Why the last request failed; while `blocked`, the error every caller gets. */
  lastError: WidgetTokenError | undefined;
}

interface Waiters {
  promise: Promise<string>;
  resolve(token: string): void;
  reject(error: unknown): void;
  /** Failed attempts seen since the first caller started waiting. */
  failures: number;
}

const EVENT_TYPES = ['token', 'refreshing', 'error', 'expired', 'phase', 'stopped'] as const;
// Events after which timers may have been skipped: sleep, a background tab, a lost connection.
const WAKE_EVENTS = ['focus', 'online', 'pageshow'] as const;
// Tabs that adopt another tab's backoff wake up a little after it, so that the tab which failed
// normally takes the lock first: one request per backoff step for the whole origin.
const PEER_RETRY_STAGGER = 1_000;

function isRetriable(error: WidgetTokenError): boolean {
  if (error.code === 'timeout' || error.code === 'bad_response') return true;
  if (error instanceof TokenRequestError) {
    const { status } = error;
    return status === undefined || status === 408 || status === 429 || status >= 500;
  }
  return false;
}

function isOffline(error: WidgetTokenError | undefined): boolean {
  return error instanceof TokenRequestError && error.status === undefined;
}

function asWidgetTokenError(error: unknown): WidgetTokenError {
  if (isWidgetTokenError(error)) return error;
  return new TokenRequestError('The token request failed unexpectedly.', { cause: error });
}

/** The error a tab reports for a failure another tab saw (errors themselves do not cross tabs). */
function peerError(failure: SharedFailure, url: string): WidgetTokenError {
  if (failure.code === 'unauthorized') return new UnauthorizedError(failure.status ?? 401, url);
  const what = failure.status === undefined ? failure.code : `status ${failure.status}`;
  return new TokenRequestError(
    `Another tab's request to ${url} failed (${what}); this tab follows its backoff.`,
    { status: failure.status },
  );
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
  const url = options.url.href;
  const events = createEmitter<TokenSourceEvents>(EVENT_TYPES);
  const life: Life = {
    phase: 'idle',
    held: undefined,
    request: undefined,
    failures: 0,
    shortLived: 0,
    lastError: undefined,
  };
  let waiters: Waiters | undefined;
  // Listeners and the cross-tab channel exist from the first request until stop().
  let wiring: { crossTab: CrossTab | undefined; askedPeers: boolean } | undefined;

  // One alarm drives the next request, whether a refresh or a retry: there is never a reason to
  // have both armed, and sharing it makes a double request impossible.
  const nextRequest = createAlarm((cause) => startRequest(reasonFor(cause)));
  const expiry = createAlarm(() => {
    const expiredAt = life.held?.expiresAt;
    if (expiredAt === undefined) return;
    life.held = undefined;
    events.emit('expired', { expiredAt });
  });

  const isValid = (held: HeldToken | undefined): held is HeldToken =>
    held !== undefined && (held.expiresAt === undefined || Date.now() < held.expiresAt);

  function reasonFor(cause: AlarmCause): RefreshReason {
    if (cause !== 'timer') return 'wake';
    return life.phase === 'backing-off' ? 'retry' : 'scheduled';
  }

  /** The only place the phase changes; listeners hear of it after the event that caused it. */
  function enter(phase: TokenSourcePhase): void {
    const previous = life.phase;
    if (previous === phase || previous === 'stopped') return;
    life.phase = phase;
    events.emit('phase', { phase, previous });
  }

  // --- callers ------------------------------------------------------------------------------

  function wait(): Promise<string> {
    if (!waiters) {
      let resolve!: (token: string) => void;
      let reject!: (error: unknown) => void;
      const promise = new Promise<string>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      waiters = { promise, resolve, reject, failures: 0 };
    }
    return waiters.promise;
  }

  function settleWaiters(outcome: { token: string } | { error: unknown }): void {
    const settled = waiters;
    waiters = undefined;
    if (!settled) return;
    if ('token' in outcome) settled.resolve(outcome.token);
    else settled.reject(outcome.error);
  }

  function countFailedAttempt(error: WidgetTokenError): void {
    if (waiters && ++waiters.failures >= options.retry.attempts) settleWaiters({ error });
  }

  function demand(): Promise<string> {
    if (life.phase === 'stopped') return Promise.reject(new StoppedError());
    if (isValid(life.held)) return Promise.resolve(life.held.token);
    // A 401 holds every caller until refresh(): retrying cannot log the visitor in.
    if (life.phase === 'blocked') return Promise.reject(life.lastError);
    activate();
    const promise = wait();
    // Join a request under way or a retry already scheduled, unless the timers were skipped
    // (sleep) and it is overdue; start one only when nothing is planned.
    if (!life.request && !nextRequest.fireIfDue() && nextRequest.dueAt === undefined) {
      startRequest('demand');
    }
    return promise;
  }

  function refreshNow(): Promise<string> {
    if (life.phase === 'stopped') return Promise.reject(new StoppedError());
    activate();
    const promise = wait();
    startRequest('manual');
    return promise;
  }

  // --- requests -----------------------------------------------------------------------------

  function startRequest(reason: RefreshReason): void {
    if (life.phase === 'stopped' || life.request) return;
    nextRequest.clear();
    const controller = new AbortController();
    const request = { reason, controller };
    life.request = request;
    enter('fetching');
    const tokenAtStart = life.held?.token;
    let peerFailure: SharedFailure | undefined;

    // Across tabs this runs under the lock, once this tab has looked at what the others learned.
    const shouldFetch = (failure: SharedFailure | undefined): boolean => {
      // No tab has had a token since that failure: whatever this tab does next continues the
      // origin's backoff sequence rather than start its own.
      if (failure) life.failures = Math.max(life.failures, failure.failures);
      if (reason === 'manual') return true;
      if (isValid(life.held)) {
        // A token another tab fetched while this one waited.
        if (life.held.token !== tokenAtStart) return false;
        // Still fresh: another tab refreshed for everyone. A retry never trusts the old plan.
        const fresh = life.held.refreshAt === undefined || Date.now() < life.held.refreshAt;
        if (reason !== 'retry' && fresh) return false;
      }
      if (failure && failure.retryAt > Date.now()) {
        peerFailure = failure;
        return false;
      }
      return true;
    };

    const fetchAndApply = async (): Promise<Outcome> => {
      events.emit('refreshing', { reason, attempt: life.failures + 1 });
      const startedAt = Date.now();
      let fetched: FetchedToken;
      try {
        fetched = await fetchToken(options, controller.signal);
      } catch (error) {
        if (controller.signal.aborted) return undefined;
        return finish(() => fail(asWidgetTokenError(error), startedAt));
      }
      if (controller.signal.aborted) return undefined;
      return finish(() => accept(fetched, startedAt));
    };
    // The request is over once its outcome is known; the phase then follows from the outcome.
    const finish = (apply: () => Outcome): Outcome => {
      if (life.request === request) life.request = undefined;
      return apply();
    };

    const crossTab = wiring?.crossTab;
    const outcome = crossTab
      ? crossTab.fetchExclusive(
          {
            signal: controller.signal,
            askPeers: life.held === undefined && !wiring!.askedPeers,
            shouldFetch,
          },
          fetchAndApply,
        )
      : fetchAndApply();
    if (wiring) wiring.askedPeers = true;
    outcome.then(
      (result) => {
        if (result !== 'skipped' || controller.signal.aborted) return;
        finish(() => resume(reason, peerFailure));
      },
      (error: unknown) => {
        // Only the locks API itself can throw here; treat it like a failed request.
        if (controller.signal.aborted) return;
        finish(() => fail(asWidgetTokenError(error)));
      },
    );
  }

  /** After a request was skipped because of what another tab learned: plan from there. */
  function resume(reason: RefreshReason, peerFailure: SharedFailure | undefined): Outcome {
    if (peerFailure) {
      const error = peerError(peerFailure, url);
      life.failures = Math.max(life.failures, peerFailure.failures);
      life.lastError = error;
      if (peerFailure.retryAt === Infinity) return block(error);
      const retryAt = peerFailure.retryAt + Math.random() * PEER_RETRY_STAGGER;
      backOff(error, retryAt);
      return undefined;
    }
    if (isValid(life.held)) {
      plan(life.held);
      settleWaiters({ token: life.held.token });
      return undefined;
    }
    // Nothing usable arrived after all (the other tab's token lapsed meanwhile): ask again.
    startRequest(reason);
    return undefined;
  }

  function accept(fetched: FetchedToken, startedAt: number): Outcome {
    const now = Date.now();
    const lifespan = computeExpiry(fetched, startedAt, options.ttl);
    if (lifespan && lifespan.expiresAt <= now) {
      return fail(
        new TokenResponseError(
          `The token endpoint returned a token that had already expired ` +
            `(${Math.round((now - lifespan.expiresAt) / 1000)} s ago). ` +
            "Likely causes: the server's clock, or a cached token.",
        ),
        startedAt,
      );
    }
    const token: SharedToken = {
      token: fetched.token,
      fetchedAt: startedAt,
      expiresAt: lifespan?.expiresAt,
      lifetime: lifespan?.lifetime,
    };
    life.failures = 0;
    install(token, true);
    return { token };
  }

  /**
   * Makes `token` the current one: plans its refresh and expiry, tells listeners and waiting
   * callers. `fetchedHere` is false for a token another tab fetched: that tab reports problems.
   */
  function install(token: SharedToken, fetchedHere: boolean): void {
    const now = Date.now();
    let refreshAt: number | undefined;
    let tooShortLived = false;
    if (token.expiresAt !== undefined) {
      const planned = planRefresh({
        now,
        expiresAt: token.expiresAt,
        lifetime: token.lifetime,
        shortLivedStreak: life.shortLived + 1,
        margin: options.refreshMargin,
        retry: options.retry,
        random: { margin: Math.random(), backoff: Math.random() },
      });
      refreshAt = planned.refreshAt;
      tooShortLived = planned.tooShortLived;
    }
    if (fetchedHere) life.shortLived = tooShortLived ? life.shortLived + 1 : 0;
    life.held = { ...token, refreshAt };
    life.lastError = undefined;
    expiry.clear();
    if (token.expiresAt !== undefined) expiry.set(token.expiresAt);
    events.emit('token', { token: token.token, expiresAt: token.expiresAt });
    if (tooShortLived && fetchedHere) {
      // Refreshing at the margin would mean a request every few seconds: the plan backs off
      // instead; tell the host why.
      events.emit('error', {
        error: new TokenResponseError(
          `The token endpoint returned a token valid for only ${Math.round((token.expiresAt! - now) / 1000)} s, ` +
            `too short to refresh safely. Likely causes: a TTL that is too short, or the server's clock.`,
        ),
        willRetry: true,
        retryIn: refreshAt! - now,
      });
    }
    // While this tab's own request still waits for the lock, it stays `fetching`; the request
    // then finds the token fresh and plans from it.
    if (!life.request) plan(life.held);
    settleWaiters({ token: token.token });
  }

  /** Holding a token: its refresh is the next request. */
  function plan(held: HeldToken): void {
    nextRequest.clear();
    if (held.refreshAt !== undefined) nextRequest.set(held.refreshAt);
    enter('holding');
  }

  function fail(error: WidgetTokenError, failedAt = Date.now()): Outcome {
    life.lastError = error;
    if (!isRetriable(error)) {
      block(error);
      return {
        failure: { failedAt, retryAt: Infinity, failures: life.failures, ...describe(error) },
      };
    }
    life.failures += 1;
    const delay = retryDelay(
      life.failures,
      options.retry,
      error instanceof TokenRequestError ? error.retryAfter : undefined,
    );
    const retryAt = Date.now() + delay;
    backOff(error, retryAt);
    return { failure: { failedAt, retryAt, failures: life.failures, ...describe(error) } };
  }

  function describe(error: WidgetTokenError): Pick<SharedFailure, 'code' | 'status'> {
    const status = (error as { status?: number }).status;
    return { code: error.code, status: typeof status === 'number' ? status : undefined };
  }

  function backOff(error: WidgetTokenError, retryAt: number): void {
    nextRequest.set(retryAt);
    events.emit('error', { error, willRetry: true, retryIn: retryAt - Date.now() });
    enter('backing-off');
    countFailedAttempt(error);
  }

  /** 401/403 and other answers that retrying will not change: nothing until refresh(). */
  function block(error: WidgetTokenError): Outcome {
    nextRequest.clear();
    events.emit('error', { error, willRetry: false });
    enter('blocked');
    settleWaiters({ error });
    return undefined;
  }

  // --- other tabs, wake-ups, stop -----------------------------------------------------------

  /** A token that another tab fetched, or gave us on request. */
  function receive(token: SharedToken): void {
    if (life.phase === 'stopped' || token.token === life.held?.token) return;
    try {
      assertTokenShape(token.token);
      if (typeof token.fetchedAt !== 'number') throw new TypeError('fetchedAt');
    } catch {
      return; // Same origin only, but still never pass on something that is not a token.
    }
    const expired = token.expiresAt !== undefined && token.expiresAt <= Date.now();
    // A tab answering "who has a token?" may hold an older one than this tab.
    const older = life.held !== undefined && token.fetchedAt < life.held.fetchedAt;
    if (expired || older) return;
    life.failures = 0;
    install(token, false);
  }

  function onWake(event: Event): void {
    if (event.type === 'visibilitychange' && document.visibilityState !== 'visible') return;
    expiry.fireIfDue();
    if (life.request) return;
    // Coming back online makes a network-failure backoff pointless; any other wake-up only runs
    // what is already due, so focus events can never speed up the retry rate.
    if (event.type === 'online' && life.phase === 'backing-off' && isOffline(life.lastError)) {
      nextRequest.fireNow();
    } else {
      nextRequest.fireIfDue();
    }
  }

  function activate(): void {
    if (wiring || typeof window === 'undefined') return;
    const crossTab = options.crossTab
      ? createCrossTab(
          options.crossTab,
          {
            receive,
            share: () => {
              if (!isValid(life.held)) return undefined;
              const { token, fetchedAt, expiresAt, lifetime } = life.held;
              return { token, fetchedAt, expiresAt, lifetime };
            },
            logout: () => stopSource({ logout: true, broadcast: false }),
          },
          // A tab that holds the lock longer than a request can take is frozen or gone.
          options.timeout + 2_000,
        )
      : undefined;
    wiring = { crossTab, askedPeers: false };
    for (const type of WAKE_EVENTS) window.addEventListener(type, onWake);
    document.addEventListener('visibilitychange', onWake);
  }

  function deactivate(): void {
    if (!wiring) return;
    wiring.crossTab?.close();
    wiring = undefined;
    for (const type of WAKE_EVENTS) window.removeEventListener(type, onWake);
    document.removeEventListener('visibilitychange', onWake);
  }

  function stopSource({ logout, broadcast }: { logout: boolean; broadcast: boolean }): void {
    if (life.phase === 'stopped') return;
    if (logout && broadcast) wiring?.crossTab?.broadcastLogout();
    const error = new StoppedError();
    life.request?.controller.abort(error);
    life.request = undefined;
    nextRequest.clear();
    expiry.clear();
    deactivate();
    life.held = undefined;
    enter('stopped');
    settleWaiters({ error });
    events.emit('stopped', { logout });
    events.clear();
  }

  return {
    getToken: demand,
    refresh: refreshNow,
    get token() {
      return isValid(life.held) ? life.held.token : undefined;
    },
    get expiresAt() {
      return isValid(life.held) ? life.held.expiresAt : undefined;
    },
    get refreshAt() {
      return nextRequest.dueAt;
    },
    get phase() {
      return life.phase;
    },
    get stopped() {
      return life.phase === 'stopped';
    },
    on(type, listener) {
      if (life.phase === 'stopped') return () => {};
      return events.on(type, listener);
    },
    stop(stopOptions) {
      const logout = stopOptions?.logout === true;
      stopSource({ logout, broadcast: logout });
    },
  };
}
