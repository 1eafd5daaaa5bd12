import type { WidgetTokenError } from '../errors.js';

/** Why a request was started. */
export type RefreshReason = 'demand' | 'manual' | 'scheduled' | 'retry' | 'wake';

/**
 * Where a source is in a token's life:
 * - `idle`: nothing asked for yet, or the token lapsed and nothing is scheduled yet;
 * - `fetching`: a request is in flight (in this tab, or this tab waits for the tab that fetches);
 * - `holding`: a valid token is current and its refresh is scheduled;
 * - `backing-off`: the last request failed; the next is scheduled (`refreshAt`);
 * - `blocked`: the endpoint answered 401/403; nothing is requested until `refresh()`;
 * - `stopped`: `stop()` was called; final.
 */
export type TokenSourcePhase =
  'idle' | 'fetching' | 'holding' | 'backing-off' | 'blocked' | 'stopped';

/** Events of a token source, by name, with the value each listener receives. */
export interface TokenSourceEvents {
  /** A new valid token was received; `expiresAt` is undefined for tokens without expiry. */
  token: { token: string; expiresAt: number | undefined };
  /** A request for a new token is starting. `attempt` counts consecutive failures + 1. */
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
