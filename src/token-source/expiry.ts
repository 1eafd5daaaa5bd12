import type { ResolvedOptions } from './options.js';
import type { FetchedToken } from './fetch-token.js';
import { retryDelay } from './retry-policy.js';

/** When a token expires and when to refresh it, both on the local clock (epoch ms). */
export interface Expiry {
  expiresAt: number;
  /** Full lifetime, used to size the refresh margin. */
  lifetime: number;
}

/**
 * Converts what the server said about expiry into local time. Client clocks are often hours off,
 * so an absolute expiry is never compared with the local clock when the server's notion of "now"
 * is known: from `iat` (the token's issue time) or the `Date` header, whichever is later (a cached
 * token has an old `iat`). The remaining time is then anchored at the local time the request
 * started, which errs early by the request's own duration. The local clock is the fallback only.
 */
export function computeExpiry(
  fetched: FetchedToken,
  requestStartedAt: number,
  ttl: number | undefined,
): Expiry | undefined {
  const { facts, serverDate } = fetched;
  const issuedAt = facts.iat === undefined ? undefined : facts.iat * 1000;
  // -Infinity: the server's "now" is unknown.
  const serverNow = Math.max(issuedAt ?? -Infinity, serverDate ?? -Infinity);
  const toLocal = (serverExpiry: number) =>
    serverNow === -Infinity ? serverExpiry : requestStartedAt + (serverExpiry - serverNow);

  // When the token and the response disagree, the earlier expiry is the one that can hurt.
  let earliest: Expiry | undefined;
  const candidate = (expiresAt: number, lifetime: number) => {
    if (!earliest || expiresAt < earliest.expiresAt) earliest = { expiresAt, lifetime };
  };
  if (facts.exp !== undefined) {
    const exp = facts.exp * 1000;
    candidate(
      toLocal(exp),
      issuedAt === undefined ? toLocal(exp) - requestStartedAt : exp - issuedAt,
    );
  }
  if (fetched.expiresIn !== undefined) {
    candidate(requestStartedAt + fetched.expiresIn, fetched.expiresIn);
  }
  if (fetched.expiresAt !== undefined) {
    const expiresAt = toLocal(fetched.expiresAt);
    candidate(expiresAt, expiresAt - requestStartedAt);
  }
  if (!earliest && ttl !== undefined) candidate(requestStartedAt + ttl, ttl);
  return earliest;
}

/**
 * How long before expiry to refresh: a fraction of the lifetime, bounded, plus a random share of
 * the lifetime so that clients given tokens in the same second spread their refreshes out.
 * `random` is a draw from [0, 1), passed in so that the plan is a pure function.
 */
export function refreshMargin(
  lifetime: number,
  policy: ResolvedOptions['refreshMargin'],
  random: number,
): number {
  // Never more than half the lifetime, so a short token is still used for a while.
  const base = Math.min(policy.max, lifetime / 2, Math.max(policy.min, lifetime * policy.ratio));
  // The jitter is capped like the margin, or a 40-day token would refresh days early.
  return base + random * Math.min(policy.jitter * lifetime, policy.max);
}

/** When to refresh a token that has just become current. All times in ms. */
export interface RefreshPlan {
  /** When to request the next token (epoch ms, local clock). */
  refreshAt: number;
  /**
   * True when the token is too short-lived to refresh at its margin without a request every few
   * seconds: `refreshAt` was then pushed out by the backoff for `shortLivedStreak` such tokens.
   */
  tooShortLived: boolean;
}

/** A token with an expiry, and its full lifetime if known. */
export type ExpiringToken = { expiresAt: number; lifetime: number | undefined };

/**
 * Plans the refresh of a token that expires at `expiresAt`; its full `lifetime` sizes the margin
 * (the time left when unknown). A token whose remaining time is under twice the minimum margin is
 * still used, but its refresh backs off like a failed request: refreshing such tokens at their
 * margin would be a request every few seconds for as long as the backend misbehaves.
 * `shortLivedStreak` counts the tokens in a row, this one included, that were too short-lived (0
 * if unknown yet); `marginDraw` and `backoffDraw` are draws from [0, 1) for the two jitters.
 */
export function planRefresh(
  now: number,
  { expiresAt, lifetime }: ExpiringToken,
  shortLivedStreak: number,
  { refreshMargin: margin, retry }: Pick<ResolvedOptions, 'refreshMargin' | 'retry'>,
  marginDraw: number,
  backoffDraw: number,
): RefreshPlan {
  const remaining = expiresAt - now;
  const atMargin = expiresAt - refreshMargin(lifetime ?? remaining, margin, marginDraw);
  if (remaining >= 2 * margin.min) return { refreshAt: atMargin, tooShortLived: false };
  const backoff = retryDelay(Math.max(1, shortLivedStreak), retry, 0, backoffDraw);
  return { refreshAt: Math.max(atMargin, now + backoff), tooShortLived: true };
}
