// Every decision of a token source, as one pure function: given where the source stands, what just
// happened and the time, it returns where the source stands next and what the shell must do. No
// timers, no `window`, no I/O here: the shell (create-token-source.ts) runs the effects, and the
// model test drives this function directly in Node.
import {
  StoppedError,
  TokenRequestError,
  TokenResponseError,
  UnauthorizedError,
  type WidgetTokenError,
} from '../errors.js';
import type {
  HeldTokenStatus,
  RefreshReason,
  TokenSourceActivity,
  TokenSourceEvents,
  TokenSourcePhase,
} from './events.js';
import { planRefresh, type ExpiringToken, type RefreshPlan } from './expiry.js';
import type { ResolvedOptions } from './options.js';
import { retryDelay } from './retry-policy.js';

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
  /** No tab requests before this (epoch ms); undefined when `blocked`. */
  retryAt: number | undefined;
  /** True for an answer retrying cannot change (401, 403, 404…): nothing until `refresh()`. */
  blocked: boolean;
  /** Consecutive failures, counted across tabs; sizes the next backoff. */
  failures: number;
  code: WidgetTokenError['code'];
  status: number | undefined;
}

export interface HeldToken extends SharedToken {
  /** When this tab plans to refresh it; undefined for tokens without expiry. */
  refreshAt: number | undefined;
  /** Set by the `expired` input: the token lapsed before a new one arrived. */
  expired: boolean;
}

/** The options the decisions depend on. */
export type Policy = Pick<ResolvedOptions, 'refreshMargin' | 'retry'> & { url: string };

export interface State {
  readonly policy: Policy;
  activity: TokenSourceActivity;
  token?: HeldToken | undefined;
  /** The request under way (`activity` is `fetching`); `sent` once it went to the network. */
  request?: { reason: RefreshReason; tokenAtStart: string | undefined; sent: boolean } | undefined;
  /** When the next request is due: the planned refresh, or the next retry. */
  dueAt?: number | undefined;
  /** Consecutive failed requests, this tab's or, across tabs, any tab's; sizes the backoff. */
  failures: number;
  /** Consecutive tokens too short-lived to refresh at their margin; sizes their backoff. */
  shortLived: number;
  /** Why the last request failed; while `blocked`, the error every caller gets. */
  lastError?: WidgetTokenError | undefined;
  /** Failed attempts seen since the first waiting caller started waiting; undefined: none waits. */
  waiting?: number | undefined;
}

export type Input =
  /** `getToken()`. */
  | { type: 'demand' }
  /** `refresh()`. */
  | { type: 'refresh' }
  /** The next-request timer fired, the page woke (focus, pageshow, visible) or came online. */
  | { type: 'due'; cause: 'timer' | 'wake' | 'online' }
  /** The request holds the cross-tab lock (at once without one): go or not. */
  | { type: 'lock-held'; peerFailure: SharedFailure | undefined }
  /** The request returned a token; expiry already converted to the local clock. */
  | { type: 'fetched'; token: SharedToken }
  | { type: 'failed'; error: WidgetTokenError; startedAt: number }
  /** A token another tab fetched, or gave this tab on request. */
  | { type: 'peer-token'; token: SharedToken }
  /** The expiry timer fired. */
  | { type: 'expired' }
  | { type: 'stop'; logout: boolean; broadcast: boolean };

export type Emitted = {
  [K in keyof TokenSourceEvents]: { type: 'emit'; event: K; payload: TokenSourceEvents[K] };
}[keyof TokenSourceEvents];

export type Result = { token: string } | { error: WidgetTokenError };

export type Effect =
  /** Begin a request: take the cross-tab lock, then report `lock-held`. */
  | { type: 'start' }
  /** The lock is held and the request goes to the network. */
  | { type: 'send' }
  | { type: 'abort' }
  /** Arm (or, with undefined, clear) the next-request timer. */
  | { type: 'alarm'; at: number | undefined }
  | { type: 'expiry'; at: number | undefined }
  | Emitted
  /** Answer only the caller of this `demand`/`refresh`; `wait` adds it to the waiting callers. */
  | { type: 'answer'; result: Result }
  | { type: 'wait' }
  /** Settle every waiting caller. */
  | { type: 'settle'; result: Result }
  /** Make this tab's outcome known to the other tabs before the lock goes. */
  | { type: 'publish'; outcome: { token: SharedToken } | { failure: SharedFailure } }
  | { type: 'broadcast-logout' }
  /** Let go of the page listeners and the cross-tab channel. */
  | { type: 'close' };

// Tabs that adopt another tab's backoff wake up a little after it, so that the tab which failed
// normally takes the lock first: one request per backoff step for the whole origin.
export const PEER_RETRY_STAGGER = 1_000;

// The fields left out are undefined: no token, no request, nothing due, no error, nobody waits.
export const initialState = (policy: Policy): State => ({
  policy,
  activity: 'idle',
  failures: 0,
  shortLived: 0,
});

/** Which token is held, as the last input left it (the shell's getter also checks the clock). */
export const tokenStatus = ({ token }: State): HeldTokenStatus =>
  !token ? 'none' : token.expired ? 'expired' : 'valid';

/**
 * The public phase, derived: what is under way, and while nothing is, whether a token is held
 * (tokenStatus `valid`, spelt out here).
 */
export const phaseOf = ({ activity, token }: State): TokenSourcePhase =>
  activity !== 'idle' ? activity : token && !token.expired ? 'holding' : 'idle';

/** The held token if it is valid at `now` (the expiry timer may not have fired yet). */
export function validToken(state: State, now: number): HeldToken | undefined {
  const { token } = state;
  if (!token || token.expired) return undefined;
  return token.expiresAt === undefined || now < token.expiresAt ? token : undefined;
}

/** Answers that a retry may change: timeouts, garbage, network failures, 408, 429 and 5xx. */
export function isRetriable(error: WidgetTokenError): boolean {
  const { code, status } = error as TokenRequestError;
  return (
    code === 'timeout' ||
    code === 'bad_response' ||
    (code === 'request_failed' &&
      (status === undefined || status === 408 || status === 429 || status >= 500))
  );
}

/** The error a tab reports for a failure another tab saw (errors themselves do not cross tabs). */
export function peerError(failure: SharedFailure, url: string): WidgetTokenError {
  if (failure.code === 'unauthorized') return new UnauthorizedError(failure.status ?? 401, url);
  const what = failure.status === undefined ? failure.code : `status ${failure.status}`;
  return new TokenRequestError(
    `Another tab's request to ${url} failed (${what}); this tab follows its backoff.`,
    { status: failure.status },
  );
}

/**
 * The next state and the effects to run, for one input at time `now` (epoch ms). `random` draws
 * from [0, 1) for the jitter; the model test passes a seeded one.
 */
export function transition(
  state: State,
  input: Input,
  now: number,
  random: () => number,
): { state: State; effects: Effect[] } {
  const next: State = { ...state };
  const effects: Effect[] = [];
  const emit = <K extends keyof TokenSourceEvents>(event: K, payload: TokenSourceEvents[K]) =>
    effects.push({ type: 'emit', event, payload } as Emitted);
  /** Answers only the caller of this input. */
  const answer = (result: Result) => effects.push({ type: 'answer', result });
  const settle = (result: Result) => {
    if (next.waiting === undefined) return;
    next.waiting = undefined;
    effects.push({ type: 'settle', result });
  };
  const arm = (at: number | undefined) => {
    next.dueAt = at;
    effects.push({ type: 'alarm', at });
  };

  /** Every request begins here, whatever asked for it. */
  const start = (reason: RefreshReason) => {
    next.activity = 'fetching';
    next.request = { reason, tokenAtStart: next.token?.token, sent: false };
    arm(undefined);
    emit('refreshing', { reason, attempt: next.failures + 1 });
    effects.push({ type: 'start' });
  };

  /** Nothing under way and a valid token: its refresh is the next request. */
  const hold = () => {
    next.activity = 'idle';
    next.request = undefined;
    arm(next.token?.refreshAt);
  };

  /** Makes `token` the current one; `fetchedHere` is false for another tab's token. */
  const install = (token: SharedToken, fetchedHere: boolean) => {
    const { refreshAt, tooShortLived } =
      token.expiresAt === undefined
        ? ({} as Partial<RefreshPlan>)
        : planRefresh(
            now,
            token as ExpiringToken,
            next.shortLived + 1,
            state.policy,
            random(),
            random(),
          );
    if (fetchedHere) next.shortLived = tooShortLived ? next.shortLived + 1 : 0;
    next.token = { ...token, refreshAt, expired: false };
    next.failures = 0;
    next.lastError = undefined;
    effects.push({ type: 'expiry', at: token.expiresAt });
    emit('token', { token: token.token, expiresAt: token.expiresAt });
    if (tooShortLived && fetchedHere) {
      // Refreshing at the margin would mean a request every few seconds: the plan backs off
      // instead; tell the host why.
      emit('error', {
        error: new TokenResponseError(
          `The token endpoint returned a token valid for only ${Math.round((token.expiresAt! - now) / 1000)} s, ` +
            "too short to refresh safely: a TTL too short, or the server's clock?",
        ),
        willRetry: true,
        retryIn: refreshAt! - now,
      });
    }
    // While this tab's own request still waits for the lock it stays `fetching`; once the lock is
    // held, the request finds this token and plans from it.
    if (next.activity !== 'fetching') hold();
    settle({ token: token.token });
  };

  /**
   * The one place a failure is handled, this tab's or another's: an answer retrying cannot change
   * (401, 403, 404…) blocks until `refresh()`; anything else backs off until `retryAt`.
   */
  const failed = (error: WidgetTokenError, retryAt: number | undefined) => {
    const blocked = retryAt === undefined;
    next.request = undefined;
    next.lastError = error;
    next.activity = blocked ? 'blocked' : 'backing-off';
    arm(retryAt);
    emit(
      'error',
      blocked ? { error, willRetry: false } : { error, willRetry: true, retryIn: retryAt - now },
    );
    // Blocked, every caller gets the error at once; backing off, once it has failed them enough.
    if (blocked || (next.waiting !== undefined && ++next.waiting >= state.policy.retry.attempts)) {
      settle({ error });
    }
  };

  /** A failure of this tab's own request: sizes the backoff and tells the other tabs. */
  const failedHere = (error: WidgetTokenError, startedAt: number) => {
    // Only a TokenRequestError has a Retry-After; it and UnauthorizedError have a status.
    const { code, status, retryAfter } = error as TokenRequestError;
    const blocked = !isRetriable(error);
    const retryAt = blocked
      ? undefined
      : now + retryDelay(++next.failures, state.policy.retry, retryAfter, random());
    failed(error, retryAt);
    const failure = {
      failedAt: startedAt,
      retryAt,
      blocked,
      failures: next.failures,
      code,
      status,
    };
    effects.push({ type: 'publish', outcome: { failure } });
  };

  /** Marks a lapsed token (timers may have been skipped: checked on every wake too). */
  const lapse = () => {
    const { token } = next;
    if (!token || token.expired || validToken(next, now)) return;
    next.token = { ...token, expired: true };
    emit('expired', { expiredAt: token.expiresAt! });
  };

  const waitForRequest = () => {
    next.waiting ??= 0;
    effects.push({ type: 'wait' });
  };

  if (state.activity === 'stopped') {
    if (input.type === 'demand' || input.type === 'refresh') {
      answer({ error: new StoppedError() });
    }
    return { state, effects };
  }

  // Timers may have been skipped (sleep, a background tab): whatever happens, a token past its
  // expiry lapses first.
  if (input.type !== 'stop') lapse();

  switch (input.type) {
    case 'demand': {
      const valid = validToken(state, now);
      if (valid) {
        answer({ token: valid.token });
        break;
      }
      // A 401 holds every caller until refresh(): retrying cannot log the visitor in.
      if (state.activity === 'blocked') {
        answer({ error: state.lastError! });
        break;
      }
      waitForRequest();
      // Join a request under way or a retry already scheduled, unless the timers were skipped
      // (sleep) and it is overdue; start one only when nothing is planned.
      if (state.activity === 'fetching') break;
      if (state.dueAt === undefined) start('demand');
      else if (now >= state.dueAt) start('wake');
      break;
    }

    case 'refresh':
      waitForRequest();
      if (state.activity !== 'fetching') start('manual');
      break;

    case 'due': {
      // When does it refresh: at the planned time (timer), on any wake-up once that time has passed
      // (a timer skipped by sleep), and at once when the page comes back online after a network
      // failure. Focus never speeds up the retry rate.
      // Nothing is due while a request is under way or the source is blocked (dueAt is unset).
      const backingOff = state.activity === 'backing-off';
      // Backing off, lastError is set; a request that failed without a status failed offline.
      const last = state.lastError as TokenRequestError;
      const offline = backingOff && last.code === 'request_failed' && last.status === undefined;
      if (input.cause === 'online' && offline) start('wake');
      // (`now >= undefined` is false: nothing due, nothing starts.)
      else if (now >= state.dueAt!) {
        start(input.cause !== 'timer' ? 'wake' : backingOff ? 'retry' : 'scheduled');
      }
      break;
    }

    case 'lock-held': {
      const { request } = state;
      if (!request || request.sent) break;
      const peer = input.peerFailure;
      // No tab has had a token since that failure: what this tab does next continues the origin's
      // backoff sequence rather than start its own.
      if (peer) next.failures = Math.max(next.failures, peer.failures);
      const valid = validToken(state, now);
      const mustFetch = request.reason === 'manual';
      if (!mustFetch && valid) {
        // A token another tab fetched while this one waited, or one still fresh (another tab
        // refreshed for everyone). A retry never trusts the old plan.
        const fresh = valid.refreshAt === undefined || now < valid.refreshAt;
        if (valid.token !== request.tokenAtStart || (fresh && request.reason !== 'retry')) {
          hold();
          settle({ token: valid.token });
          break;
        }
      }
      if (!mustFetch && peer && (peer.blocked || peer.retryAt! > now)) {
        const retryAt = peer.blocked ? undefined : peer.retryAt! + random() * PEER_RETRY_STAGGER;
        failed(peerError(peer, state.policy.url), retryAt);
        break;
      }
      next.request = { ...request, sent: true };
      effects.push({ type: 'send' });
      break;
    }

    case 'fetched': {
      if (!state.request?.sent) break;
      const { token } = input;
      // A token without expiry compares false (`undefined <= now`): never expired.
      if (token.expiresAt! <= now) {
        failedHere(
          new TokenResponseError(
            `The token endpoint returned a token that had already expired ` +
              `(${Math.round((now - token.expiresAt!) / 1000)} s ago): the server's clock, or a cached token?`,
          ),
          token.fetchedAt,
        );
        break;
      }
      next.request = undefined;
      next.activity = 'idle';
      const held = validToken(state, now);
      if (held && held.fetchedAt > token.fetchedAt) {
        // Another tab's newer token arrived while this request was out: a tab never goes back.
        hold();
        settle({ token: held.token });
        break;
      }
      install(token, true);
      effects.push({ type: 'publish', outcome: { token } });
      break;
    }

    case 'failed':
      if (state.request) failedHere(input.error, input.startedAt);
      break;

    case 'peer-token': {
      const { token } = input;
      const held = state.token;
      if (token.token === held?.token) break;
      if (token.expiresAt! <= now) break; // expired already (none without expiry, as above)
      // A tab answering "who has a token?" may hold an older one than this tab.
      if (held && token.fetchedAt < held.fetchedAt) break;
      install(token, false);
      break;
    }

    case 'expired':
      break; // lapse() above

    case 'stop': {
      if (input.logout && input.broadcast) effects.push({ type: 'broadcast-logout' });
      if (state.request) effects.push({ type: 'abort' });
      next.activity = 'stopped';
      next.request = undefined;
      next.token = undefined;
      arm(undefined);
      effects.push({ type: 'expiry', at: undefined }, { type: 'close' });
      settle({ error: new StoppedError() });
      emit('stopped', { logout: input.logout });
      break;
    }
  }
  return { state: next, effects };
}
