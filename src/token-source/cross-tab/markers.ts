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
const optional = (value: number | undefined) => (value === undefined ? '' : String(value));

// `<key>#token:<tab>:<fetchedAt>:<expiresAt>` and
// `<key>#failed:<tab>:<failedAt>:<failures>:<code>:<status>:<retryAt or "blocked">`.
export function encodeMarker(key: string, marker: Marker): string {
  if (marker.kind === 'token') {
    return `${key}#token:${marker.tab}:${marker.fetchedAt}:${optional(marker.expiresAt)}`;
  }
  const { failedAt, failures, code, status, retryAt, blocked } = marker.failure;
  const until = blocked ? BLOCKED : String(retryAt);
  return `${key}#failed:${marker.tab}:${failedAt}:${failures}:${code}:${optional(status)}:${until}`;
}

/** The marker a lock name carries for `key`, or undefined for any other name (or a garbled one). */
export function decodeMarker(key: string, name: string): Marker | undefined {
  if (!name.startsWith(`${key}#`)) return;
  const [kind, tab, ...fields] = name.slice(key.length + 1).split(':');
  // Numbers where numbers belong ('' for "none"); NaN marks a garbled field.
  const [first, second, code, status, until] = fields.map((text, i) =>
    i === 2 || (i === 4 && text === BLOCKED) ? text : text === '' ? undefined : Number(text),
  );
  if (!tab || first === undefined || [first, second, status, until].some(Number.isNaN)) return;
  if (kind === 'token' && fields.length === 2) {
    return { kind, tab, fetchedAt: first as number, expiresAt: second as number | undefined };
  }
  if (kind !== 'failed' || fields.length !== 5 || !code || second === undefined) return;
  const blocked = until === BLOCKED;
  if (!blocked && until === undefined) return;
  const failure: SharedFailure = {
    failedAt: first as number,
    failures: second as number,
    code: code as WidgetTokenErrorCode,
    status: status as number | undefined,
    blocked,
    retryAt: blocked ? undefined : (until as number),
  };
  return { kind: 'failure', tab, failure };
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
