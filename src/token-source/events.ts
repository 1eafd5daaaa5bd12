import type { WidgetTokenError } from '../errors.js';

/** Why a request was started. */
export type RefreshReason = 'demand' | 'manual' | 'scheduled' | 'retry' | 'wake';

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
  /** The source stopped (`logout`: by a logout in this tab or another); no event follows. */
  stopped: { logout: boolean };
}
