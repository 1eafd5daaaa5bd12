// What a tab learned, written into the name of a small shared Web Lock that it holds: the lock
// manager lists held locks to every tab, in order, with no race against the broadcast. Encoding,
// decoding and reading them are pure, so every rule here is tested by table.
import type { WidgetTokenErrorCode } from '../../errors.js';
import type { SharedFailure } from '../transition.js';

/** The token a tab holds (fetched or received): any tab can ask it for that token. */
export interface TokenMarker {
  kind: 'token';
  tab: string;
  fetchedAt: number;
  expiresAt: number | undefined;
}

/** The last failure a tab saw: every tab follows its backoff, or its block. */
export interface FailureMarker {
  kind: 'failure';
  tab: string;
  failure: SharedFailure;
}

export type Marker = TokenMarker | FailureMarker;

const BLOCKED = 'blocked';

// `<key>#token:<tab>:<fetchedAt>:<expiresAt>` and
// `<key>#failed:<tab>:<failedAt>:<failures>:<code>:<status>:<retryAt or "blocked">`; a field
// that is undefined is left empty.
export function encodeMarker(key: string, marker: Marker): string {
  if (marker.kind === 'token') {
    return `${key}#token:${marker.tab}:${marker.fetchedAt}:${marker.expiresAt ?? ''}`;
  }
  const { failedAt, failures, code, status, retryAt, blocked } = marker.failure;
  const until = blocked ? BLOCKED : retryAt;
  return `${key}#failed:${marker.tab}:${failedAt}:${failures}:${code}:${status ?? ''}:${until}`;
}

/** The marker a lock name carries for `key`, or undefined for any other name (or a garbled one). */
export function decodeMarker(key: string, name: string): Marker | undefined {
  const fields = name.slice(key.length + 1);
  const [kind, tab, first, second, code, status, until] = fields.split(':');
  const number = (text: string | undefined) => (text ? Number(text) : undefined);
  const blocked = until === BLOCKED;
  const marker: Marker =
    kind === 'token'
      ? { kind, tab: tab!, fetchedAt: Number(first), expiresAt: number(second) }
      : {
          kind: 'failure',
          tab: tab!,
          failure: {
            failedAt: Number(first),
            failures: Number(second),
            code: code as WidgetTokenErrorCode,
            status: number(status),
            blocked,
            retryAt: blocked ? undefined : Number(until),
          },
        };
  // Only what encodeMarker writes is a marker: a name garbled, cut short, with an extra field or
  // of another kind or key reads back differently. Written, no number is NaN, no tab or code empty.
  if (!tab || code === '' || fields.includes('NaN')) return;
  return encodeMarker(key, marker) === name ? marker : undefined;
}

/** What the held locks tell one tab. */
export interface Reading {
  /** When the newest valid token another tab holds was fetched, if newer than this tab's: ask. */
  newerToken: number | undefined;
  /** The newest failure another tab saw, unless a token or this tab's own request followed it. */
  peerFailure: SharedFailure | undefined;
}

export interface Reader {
  tab: string;
  now: number;
  /** When this tab's token (valid or lapsed) was fetched; a lapsed one still orders tokens. */
  heldFetchedAt: number | undefined;
  /** When this tab's last request started: what other tabs learned before it is stale. */
  ownLatest: number;
}

export function readMarkers(key: string, names: readonly string[], me: Reader): Reading {
  let newestToken = -Infinity;
  let newestPeerToken = -Infinity;
  let peerFailure: SharedFailure | undefined;
  for (const name of names) {
    const marker = decodeMarker(key, name);
    if (!marker) continue;
    if (marker.kind === 'token') {
      newestToken = Math.max(newestToken, marker.fetchedAt);
      // This tab's own marker is never news to it, nor is a token that has lapsed since.
      const usable = marker.expiresAt === undefined || marker.expiresAt > me.now;
      if (marker.tab !== me.tab && usable) {
        newestPeerToken = Math.max(newestPeerToken, marker.fetchedAt);
      }
    } else if (marker.tab !== me.tab) {
      if (!peerFailure || marker.failure.failedAt > peerFailure.failedAt) {
        peerFailure = marker.failure;
      }
    }
  }
  const stale = Math.max(me.ownLatest, newestToken);
  return {
    newerToken: newestPeerToken > (me.heldFetchedAt ?? -Infinity) ? newestPeerToken : undefined,
    peerFailure: peerFailure && peerFailure.failedAt > stale ? peerFailure : undefined,
  };
}
