import type { ResolvedOptions } from './options.js';
import type { FetchedToken } from './fetch-token.js';

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
  const { facts } = fetched;
  const issuedAt = facts.iat === undefined ? undefined : facts.iat * 1000;
  const serverNow =
    issuedAt === undefined && fetched.serverDate === undefined
      ? undefined
      : Math.max(issuedAt ?? -Infinity, fetched.serverDate ?? -Infinity);

  const toLocal = (serverExpiry: number) =>
    serverNow === undefined ? serverExpiry : requestStartedAt + (serverExpiry - serverNow);

  const candidates: Expiry[] = [];
  if (facts.exp !== undefined) {
    const exp = facts.exp * 1000;
    candidates.push({
      expiresAt: toLocal(exp),
      lifetime: issuedAt === undefined ? toLocal(exp) - requestStartedAt : exp - issuedAt,
    });
  }
  if (fetched.expiresIn !== undefined) {
    candidates.push({
      expiresAt: requestStartedAt + fetched.expiresIn,
      lifetime: fetched.expiresIn,
    });
  }
  if (fetched.expiresAt !== undefined) {
    const expiresAt = toLocal(fetched.expiresAt);
    candidates.push({ expiresAt, lifetime: expiresAt - requestStartedAt });
  }
  if (candidates.length === 0 && ttl !== undefined) {
    candidates.push({ expiresAt: requestStartedAt + ttl, lifetime: ttl });
  }
  // When the token and the response disagree, the earlier expiry is the one that can hurt.
  return candidates.sort((a, b) => a.expiresAt - b.expiresAt)[0];
}

/**
 * How long before expiry to refresh: a fraction of the lifetime, bounded, plus a random share of
 * the lifetime so that clients given tokens in the same second spread their refreshes out.
 */
export function refreshMargin(lifetime: number, policy: ResolvedOptions['refreshMargin']): number {
  // Never more than half the lifetime, so a short token is still used for a while.
  const base = Math.min(policy.max, lifetime / 2, Math.max(policy.min, lifetime * policy.ratio));
  // The jitter is capped like the margin, or a 40-day token would refresh days early.
  return base + Math.random() * Math.min(policy.jitter * lifetime, policy.max);
}
