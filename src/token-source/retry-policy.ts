import type { ResolvedOptions } from './options.js';

// Full jitter can draw a delay of ~0; this floor keeps a failing backend from seeing two requests
// from one client within a few milliseconds.
const MIN_RETRY_DELAY = 100;

/**
 * Delay before retry number `failures` (1 for the first retry): exponential backoff with full
 * jitter, a random time up to `baseDelay * 2^(failures-1)` capped at `maxDelay`, never shorter than
 * the server's `Retry-After` (itself capped at `maxRetryAfter`). `random` is a draw from [0, 1).
 */
export function retryDelay(
  failures: number,
  policy: ResolvedOptions['retry'],
  retryAfter: number | undefined,
  random: number,
): number {
  const ceiling = Math.min(policy.maxDelay, policy.baseDelay * 2 ** Math.max(0, failures - 1));
  const backoff = Math.max(MIN_RETRY_DELAY, random * ceiling);
  return Math.max(backoff, Math.min(retryAfter ?? 0, policy.maxRetryAfter));
}

/** `Retry-After` as a delay in ms: either delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null, now: number): number | undefined {
  if (header === null) return undefined;
  const value = header.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
