// The shell around the pure transition function: it keeps the state, feeds it inputs (calls,
// timers, page wake-ups, request outcomes, other tabs) and runs the effects it returns.
import { isWidgetTokenError, TokenRequestError, type WidgetTokenError } from '../errors.js';
import { createEmitter } from '../emitter.js';
import { createAlarm } from './alarm.js';
import { createCrossTab, type CrossTab, type Outcome } from './cross-tab/cross-tab.js';
import type {
  HeldTokenStatus,
  TokenSourceActivity,
  TokenSourceEvents,
  TokenSourcePhase,
} from './events.js';
import { computeExpiry } from './expiry.js';
import { fetchToken } from './fetch-token.js';
import { resolveOptions, type TokenSourceOptions } from './options.js';
import { onPageWake } from './page-wake.js';
import {
  initialState,
  phaseOf,
  transition,
  validToken,
  type Input,
  type Result,
  type SharedFailure,
  type SharedToken,
  type State,
} from './transition.js';

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
  /** Which token is held (none, valid, expired), apart from what is under way. */
  readonly tokenStatus: HeldTokenStatus;
  /** What is under way (idle, fetching, backing-off, blocked, stopped), apart from the token. */
  readonly activity: TokenSourceActivity;
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

/** The request under way: how to abort it, and what it has to make known to the other tabs. */
interface Request {
  controller: AbortController;
  outcome?: Outcome;
  sending?: Promise<Outcome>;
}

const EVENT_TYPES = ['token', 'refreshing', 'error', 'expired', 'phase', 'stopped'] as const;

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
  let state: State = initialState({ ...options, url: options.url.href });
  /** The callers waiting for the request under way (or the scheduled retry). */
  let waiters: ((result: Result) => void)[] = [];
  let request: Request | undefined;
  // Page listeners and the cross-tab channel exist from the first request until stop().
  let crossTab: CrossTab | undefined;
  let unsubscribe: (() => void) | undefined;
  const nextRequest = createAlarm(() => dispatch({ type: 'due', cause: 'timer' }));
  const expiry = createAlarm(() => dispatch({ type: 'expired' }));
  const valid = () => validToken(state, Date.now());

  /**
   * Every change goes through here, and runs the effects the transition returns; `phase` is
   * announced after the events that caused it. `caller` gets its answer, or undefined: wait.
   */
  function dispatch(input: Input, caller?: (result: Result | undefined) => void): void {
    const previous = phaseOf(state);
    const result = transition(state, input, Date.now(), Math.random);
    state = result.state;
    for (const effect of result.effects) {
      switch (effect.type) {
        case 'emit':
          events.emit(effect.event, effect.payload as never);
          break;
        case 'alarm':
          nextRequest(effect.at);
          break;
        case 'expiry':
          expiry(effect.at);
          break;
        case 'answer':
          caller?.(effect.result);
          break;
        case 'wait':
          caller?.(undefined);
          break;
        case 'settle': {
          const settled = waiters;
          waiters = [];
          for (const waiter of settled) waiter(effect.result);
          break;
        }
        case 'start':
          startRequest();
          break;
        case 'send':
          if (request) request.sending = send(request);
          break;
        case 'publish':
          if (request) request.outcome = effect.outcome;
          break;
        case 'abort':
          request?.controller.abort();
          request = undefined;
          break;
        case 'broadcast-logout':
          crossTab?.broadcastLogout();
          break;
        case 'close':
          crossTab?.close();
          unsubscribe?.();
          unsubscribe = crossTab = undefined;
      }
    }
    const phase = phaseOf(state);
    if (phase !== previous) events.emit('phase', { phase, previous });
    if (phase === 'stopped') events.clear();
  }

  function call(type: 'demand' | 'refresh'): Promise<string> {
    activate();
    return new Promise<string>((resolve, reject) => {
      const answer = (result: Result) =>
        'token' in result ? resolve(result.token) : reject(result.error);
      dispatch({ type }, (result) => (result ? answer(result) : waiters.push(answer)));
    });
  }

  function startRequest(): void {
    const current: Request = { controller: new AbortController() };
    const { signal } = current.controller;
    request = current;
    // Promise.resolve of a promise is that promise: the lock goes once the request settled.
    const underLock = (peerFailure: SharedFailure | undefined): Promise<Outcome> => {
      if (request === current) dispatch({ type: 'lock-held', peerFailure });
      return Promise.resolve(current.sending);
    };
    (crossTab ? crossTab.exclusive(signal, underLock) : underLock(undefined)).catch(
      (error: unknown) => {
        // Only the locks API itself can throw here; treat it like a failed request.
        if (request === current) {
          dispatch({ type: 'failed', error: asWidgetTokenError(error), startedAt: Date.now() });
        }
      },
    );
  }

  /** The lock is held and the transition said go: the one place a request goes to the network. */
  async function send(current: Request): Promise<Outcome> {
    const startedAt = Date.now();
    let outcome: Input;
    try {
      const fetched = await fetchToken(options, current.controller.signal);
      // Without expiry, `expiresAt` and `lifetime` are left out: undefined.
      const lifespan = computeExpiry(fetched, startedAt, options.ttl);
      const token = { token: fetched.token, fetchedAt: startedAt, ...lifespan } as SharedToken;
      outcome = { type: 'fetched', token };
    } catch (error) {
      outcome = { type: 'failed', error: asWidgetTokenError(error), startedAt };
    }
    if (request !== current) return;
    dispatch(outcome);
    if (request === current) request = undefined;
    return current.outcome;
  }

  function activate(): void {
    if (unsubscribe || state.activity === 'stopped' || typeof window === 'undefined') return;
    crossTab = options.crossTab
      ? createCrossTab(
          options.crossTab,
          {
            receive: (token) => dispatch({ type: 'peer-token', token }),
            // Other tabs read `token` and `fetchedAt` only, and a receiving tab plans its own
            // refresh: the held token goes as it is.
            held: () => state.token,
            share: valid,
            logout: () => dispatch({ type: 'stop', logout: true, broadcast: false }),
          },
          // A tab that holds the lock longer than a request can take is frozen or gone.
          options.timeout + 2_000,
        )
      : undefined;
    unsubscribe = onPageWake((cause) => dispatch({ type: 'due', cause }));
  }

  return {
    getToken: () => call('demand'),
    refresh: () => call('refresh'),
    get token() {
      return valid()?.token;
    },
    get expiresAt() {
      return valid()?.expiresAt;
    },
    get refreshAt() {
      return state.dueAt;
    },
    get phase() {
      return phaseOf(state);
    },
    get tokenStatus() {
      return valid() ? 'valid' : state.token ? 'expired' : 'none';
    },
    get activity() {
      return state.activity;
    },
    get stopped() {
      return state.activity === 'stopped';
    },
    on(type, listener) {
      if (state.activity === 'stopped') return () => {};
      return events.on(type, listener);
    },
    stop(stopOptions) {
      const logout = stopOptions?.logout === true;
      dispatch({ type: 'stop', logout, broadcast: logout });
    },
  };
}
