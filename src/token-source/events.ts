import type { WidgetTokenError } from '../errors.js';

/** Why a request was started. */
export type RefreshReason = 'demand' | 'manual' | 'scheduled' | 'retry' | 'wake';

/** Which token a source holds, apart from what it is doing: none yet, a valid one, or a lapsed one. */
export type HeldTokenStatus = 'none' | 'valid' | 'expired';

/**
 * What a source is doing, apart from which token it holds (as TanStack Query keeps `fetchStatus`
 * apart from `status`):
 * - `idle`: no request under way and none failing;
 * - `fetching`: a request is under way (in this tab, or this tab waits for the tab that fetches);
 * - `backing-off`: the last request failed; the next is scheduled (`refreshAt`);
 * - `blocked`: the endpoint gave an answer that retrying cannot change (401, 403, and any other 4xx
 *   but 408 and 429); nothing is requested until `refresh()`;
 * - `stopped`: `stop()` was called; final.
 */
export type TokenSourceActivity = 'idle' | 'fetching' | 'backing-off' | 'blocked' | 'stopped';

/**
 * Where a source is in a token's life: its activity, except that an idle source is `holding`
 * while its token is valid:
 * - `idle`: nothing asked for yet, or the token lapsed and no request is under way;
 * - `fetching`, `backing-off`, `blocked`, `stopped`: as {@link TokenSourceActivity};
 * - `holding`: a valid token is current and its refresh is scheduled.
 */
export type TokenSourcePhase =
  'idle' | 'fetching' | 'holding' | 'backing-off' | 'blocked' | 'stopped';

/** Events of a token source, by name, with the value each listener receives. */
export interface TokenSourceEvents {
  /** A new valid token was received; `expiresAt` is undefined for tokens without expiry. */
  token: { token: string; expiresAt: number | undefined };
  /**
   * This tab sets out to get a new token (before the `fetching` phase). Across tabs it may then
   * receive another tab's token instead of sending a request. `attempt` counts consecutive
   * failures + 1.
   */
  refreshing: { reason: RefreshReason; attempt: number };
  /** A request failed or returned an unusable token; `retryIn` (ms) is set when a retry is armed. */
  error: { error: WidgetTokenError; willRetry: boolean; retryIn?: number };
  /** The current token lapsed before a new one arrived. */
  expired: { expiredAt: number };
  /** The phase changed; emitted after the event that caused it (`token`, `error`, …). */
  phase: { phase: TokenSourcePhase; previous: TokenSourcePhase };
  /** The source stopped (`logout`: by a logout in this tab or another); no event follows. */
  stopped: { logout: boolean };
}
