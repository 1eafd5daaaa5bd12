// One token request per token lifetime for the whole origin, however many tabs are open, and one
// backoff for the whole origin when the endpoint fails. Three parts: the lock serializes requests
// (lock.ts), the markers tell the next holder what the others learned (markers.ts), the channel
// carries the tokens (channel.ts). This file puts them together for one token key.
import type { SharedFailure, SharedToken } from '../transition.js';
import { createChannel } from './channel.js';
import { holdShared, withLock } from './lock.js';
import { encodeMarker, readMarkers } from './markers.js';

/** What a request under the lock produced, to be made known to every tab before the lock goes. */
export type Outcome = { token: SharedToken } | { failure: SharedFailure } | undefined;

export interface CrossTabHandlers {
  /** A token another tab fetched, or shared on request. */
  receive(token: SharedToken): void;
  /** The token this tab holds, valid or lapsed (a lapsed one still orders tokens). */
  held(): SharedToken | undefined;
  /** The valid token this tab can give to a tab that asks, if any. */
  share(): SharedToken | undefined;
  /** Another tab logged out. */
  logout(): void;
}

export interface CrossTab {
  /**
   * Runs `request` while holding the lock for this key, with the newest failure another tab has
   * recorded. A newer token that another tab holds has been asked for first (and went to
   * `receive`). The outcome is made known to the other tabs before the lock is let go.
   */
  exclusive(
    signal: AbortSignal,
    request: (peerFailure: SharedFailure | undefined) => Promise<Outcome>,
  ): Promise<void>;
  broadcastLogout(): void;
  close(): void;
}

let sources = 0;

// How long a tab waits for another tab to answer "who has a token?"; an answer ends it early.
const PEER_ANSWER_WAIT = 500;

/**
 * The coordination for one key, or undefined where Web Locks or BroadcastChannel are missing: the
 * source then works per tab, which is always correct. `lockWait` bounds how long a tab waits for
 * another tab's lock before stealing it.
 */
export function createCrossTab(
  key: string,
  handlers: CrossTabHandlers,
  lockWait: number,
): CrossTab | undefined {
  const locks = globalThis.navigator?.locks;
  if (typeof BroadcastChannel !== 'function' || typeof locks?.request !== 'function') {
    return undefined;
  }
  // Names this source's markers, so that it never mistakes its own for another's (two sources of
  // one key in a page are two "tabs"). Never empty, even with Math.random stubbed to 0.
  const tab =
    globalThis.crypto?.randomUUID?.().slice(0, 8) ?? `${++sources}${Math.random()}`.slice(0, 12);
  // When the last request this tab made started: what other tabs learned before it is stale.
  let ownLatest = -Infinity;
  let tokenMarker: { release(): void } | undefined;
  let failureMarker: { release(): void } | undefined;
  // When the failure this tab recorded happened: only a token fetched after it ends it.
  let failedAt = -Infinity;
  // Set by close(): a request that finishes after its source stopped publishes nothing, or its
  // marker lock would be held for the life of the page.
  let closed = false;

  const dropFailureMarker = () => {
    failureMarker?.release();
    failureMarker = undefined;
  };
  /** Replaces this tab's marker; resolves once the new one is listed to every tab. */
  const mark = async (name: string, kind: 'token' | 'failure') => {
    const marker = holdShared(locks, name);
    const previous = kind === 'token' ? tokenMarker : failureMarker;
    if (kind === 'token') tokenMarker = marker;
    else failureMarker = marker;
    await marker.granted;
    previous?.release();
  };
  const markHeld = (token: SharedToken) =>
    mark(
      encodeMarker(key, {
        kind: 'token',
        tab,
        fetchedAt: token.fetchedAt,
        expiresAt: token.expiresAt,
      }),
      'token',
    );

  const channel = createChannel(key, {
    receive(token) {
      // A newer token ends the failure this tab recorded; an older one (a tab answering another
      // tab's request sends it to all) does not, or the origin's backoff or block would be lost.
      if (token.fetchedAt > failedAt) dropFailureMarker();
      handlers.receive(token);
      if (!closed && handlers.held()?.token === token.token) void markHeld(token);
    },
    share: handlers.share,
    logout: handlers.logout,
  });

  async function publish(outcome: Outcome): Promise<void> {
    if (!outcome || closed) return;
    if ('failure' in outcome) {
      const { failure } = outcome;
      ownLatest = Math.max(ownLatest, failure.failedAt);
      failedAt = failure.failedAt;
      await mark(encodeMarker(key, { kind: 'failure', tab, failure }), 'failure');
      return;
    }
    const { token } = outcome;
    ownLatest = Math.max(ownLatest, token.fetchedAt);
    dropFailureMarker();
    channel.publish(token);
    // The lock goes only once the marker is listed: the next holder knows of this token even if
    // the message has not reached it yet, and asks for it.
    await markHeld(token);
  }

  return {
    async exclusive(signal, request) {
      await withLock(locks, key, lockWait, signal, async () => {
        if (signal.aborted) return;
        const names = await locks
          .query()
          .then((state) => (state.held ?? []).map((lock) => lock.name ?? ''))
          .catch((): string[] => []);
        const reading = readMarkers(key, names, {
          tab,
          now: Date.now(),
          heldFetchedAt: handlers.held()?.fetchedAt,
          ownLatest,
        });
        // Another tab holds a newer token that has not reached this tab: ask for it (an older
        // token another tab answers with is no answer).
        const { newerToken } = reading;
        if (newerToken !== undefined) {
          await channel.ask(signal, PEER_ANSWER_WAIT, (token) => token.fetchedAt >= newerToken);
        }
        if (signal.aborted) return;
        await publish(await request(reading.peerFailure));
      });
    },
    broadcastLogout: channel.broadcastLogout,
    close() {
      closed = true;
      tokenMarker?.release();
      dropFailureMarker();
      channel.close();
    },
  };
}
