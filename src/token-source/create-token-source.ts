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
  type Effect,
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
  outcome: Outcome;
  sending: Promise<Outcome> | undefined;
}

const EVENT_TYPES = ['token', 'refreshing', 'error', 'expired', 'phase', 'stopped'] as const;

function asWidgetTokenError(error: unknown): WidgetTokenError {
  if (isWidgetTokenError(error)) return error;
  return new TokenRequestError('The token request failed unexpectedly.', { cause: error });
}

const shared = ({ token, fetchedAt, expiresAt, lifetime }: SharedToken): SharedToken => ({
  token,
  fetchedAt,
  expiresAt,
  lifetime,
});

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
  let waiters: { resolve(token: string): void; reject(error: unknown): void }[] = [];
  let request: Request | undefined;
  // Page listeners and the cross-tab channel exist from the first request until stop().
  let wiring: { crossTab: CrossTab | undefined; unsubscribe(): void } | undefined;
  const nextRequest = createAlarm(() => dispatch({ type: 'due', cause: 'timer' }));
  const expiry = createAlarm(() => dispatch({ type: 'expired' }));

  /** Every change goes through here; `phase` is announced after the events that caused it. */
  function dispatch(input: Input, caller?: (result: Result | undefined) => void): void {
    const previous = phaseOf(state);
    const result = transition(state, input, Date.now(), Math.random);
    state = result.state;
    for (const effect of result.effects) run(effect, caller);
    const phase = phaseOf(state);
    if (phase !== previous) events.emit('phase', { phase, previous });
    if (phase === 'stopped') events.clear();
  }

  function run(effect: Effect, caller?: (result: Result | undefined) => void): void {
    switch (effect.type) {
      case 'emit':
        return events.emit(effect.event, effect.payload as never);
      case 'alarm':
        return nextRequest(effect.at);
      case 'expiry':
        return expiry(effect.at);
      case 'answer':
        return caller?.(effect.result);
      case 'wait':
        return caller?.(undefined);
      case 'settle': {
        const settled = waiters;
        waiters = [];
        for (const waiter of settled) {
          if ('token' in effect.result) waiter.resolve(effect.result.token);
          else waiter.reject(effect.result.error);
        }
        return;
      }
      case 'start':
        return startRequest();
      case 'send':
        if (request) request.sending = send(request);
        return;
      case 'publish':
        if (request) request.outcome = effect.outcome;
        return;
      case 'abort':
        request?.controller.abort();
        request = undefined;
        return;
      case 'broadcast-logout':
        return wiring?.crossTab?.broadcastLogout();
      case 'close':
        wiring?.crossTab?.close();
        wiring?.unsubscribe();
        wiring = undefined;
        return;
    }
  }

  function call(type: 'demand' | 'refresh'): Promise<string> {
    activate();
    return new Promise<string>((resolve, reject) => {
      dispatch({ type }, (result) => {
        if (!result) waiters.push({ resolve, reject });
        else if ('token' in result) resolve(result.token);
        else reject(result.error);
      });
    });
  }

  function startRequest(): void {
    const controller = new AbortController();
    const current: Request = { controller, outcome: undefined, sending: undefined };
    request = current;
    const underLock = (peerFailure: SharedFailure | undefined): Promise<Outcome> => {
      if (request !== current) return Promise.resolve(undefined);
      dispatch({ type: 'lock-held', peerFailure });
      return current.sending ?? Promise.resolve(undefined);
    };
    const crossTab = wiring?.crossTab;
    const done = crossTab ? crossTab.exclusive(controller.signal, underLock) : underLock(undefined);
    done.catch((error: unknown) => {
      // Only the locks API itself can throw here; treat it like a failed request.
      if (request === current) {
        dispatch({ type: 'failed', error: asWidgetTokenError(error), startedAt: Date.now() });
      }
    });
  }

  /** The lock is held and the transition said go: the one place a request goes to the network. */
  async function send(current: Request): Promise<Outcome> {
    const startedAt = Date.now();
    let outcome: Input;
    try {
      const fetched = await fetchToken(options, current.controller.signal);
      const lifespan = computeExpiry(fetched, startedAt, options.ttl);
      outcome = {
        type: 'fetched',
        token: {
          token: fetched.token,
          fetchedAt: startedAt,
          expiresAt: lifespan?.expiresAt,
          lifetime: lifespan?.lifetime,
        },
      };
    } catch (error) {
      outcome = { type: 'failed', error: asWidgetTokenError(error), startedAt };
    }
    if (request !== current) return undefined;
    dispatch(outcome);
    if (request === current) request = undefined;
    return current.outcome;
  }

  function activate(): void {
    if (wiring || state.activity === 'stopped' || typeof window === 'undefined') return;
    const crossTab = options.crossTab
      ? createCrossTab(
          options.crossTab,
          {
            receive: (token) => dispatch({ type: 'peer-token', token }),
            held: () => state.token && shared(state.token),
            share: () => {
              const valid = validToken(state, Date.now());
              return valid && shared(valid);
            },
            logout: () => dispatch({ type: 'stop', logout: true, broadcast: false }),
          },
          // A tab that holds the lock longer than a request can take is frozen or gone.
          options.timeout + 2_000,
        )
      : undefined;
    const unsubscribe = onPageWake((cause) => dispatch({ type: 'due', cause }));
    wiring = { crossTab, unsubscribe };
  }

  const valid = () => validToken(state, Date.now());
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
