import { useEffect, useSyncExternalStore } from 'react';
import { StoppedError, type TokenSource, type WidgetTokenError } from '../index.js';

/**
 * What a component shows about a token:
 * - `idle`: nothing asked for yet (or no source yet: server rendering, hydration), or the token
 *   lapsed with no request under way;
 * - `loading`: the first token (or the one after an expiry) is on its way; `error` is set while a
 *   failed request waits for its retry;
 * - `ready`: a valid token is there (refreshes happen in the background);
 * - `error`: the endpoint refused (401/403 or an answer retrying cannot fix) until `refresh()`;
 * - `stopped`: the source was stopped (a logout, here or in another tab).
 */
export type TokenStatus = 'idle' | 'loading' | 'ready' | 'error' | 'stopped';

/** What {@link useToken} returns. A new object only when one of its fields changed. */
export interface TokenState {
  /** The current token while it is valid. */
  token: string | undefined;
  /** When it expires (epoch ms, local clock); undefined without token or expiry. */
  expiresAt: number | undefined;
  status: TokenStatus;
  /** Why the last request failed; cleared when a token arrives. */
  error: WidgetTokenError | undefined;
  /** Fetches a new token now (the way out of `error`); the source's `refresh()`. */
  refresh(): Promise<string>;
}

// The source keeps which token it holds apart from what it is doing; the status reads both.
function statusOf(source: TokenSource): TokenStatus {
  const { activity } = source;
  if (activity === 'stopped') return 'stopped';
  if (source.tokenStatus === 'valid') return 'ready';
  if (activity === 'blocked') return 'error';
  if (activity === 'idle') return 'idle';
  return 'loading';
}

interface TokenStore {
  subscribe(onChange: () => void): () => void;
  getSnapshot(): TokenState;
}

const NO_SOURCE: TokenState = Object.freeze({
  token: undefined,
  expiresAt: undefined,
  status: 'idle',
  error: undefined,
  refresh: () => Promise.reject(new StoppedError()),
});
const noSource: TokenStore = { subscribe: () => () => {}, getSnapshot: () => NO_SOURCE };
const onTheServer = () => NO_SOURCE;

// One store per source, shared by every component that shows it: one set of listeners on the
// source, and one snapshot object that all of them render from.
const stores = new WeakMap<TokenSource, TokenStore>();

function createTokenStore(source: TokenSource): TokenStore {
  const listeners = new Set<() => void>();
  let error: WidgetTokenError | undefined;
  let snapshot: TokenState | undefined;
  const refresh = () => source.refresh();
  const notify = () => {
    for (const listener of [...listeners]) listener();
  };
  // Listening from creation on (not only while subscribed) so that a component mounting after a
  // failure still learns why. The listeners live as long as the source: it drops them when stopped.
  source.on('error', (event) => {
    error = event.error;
    notify();
  });
  source.on('token', () => {
    error = undefined;
    notify();
  });
  // `phase` follows every other change; `expired` changes the token without a phase change.
  source.on('phase', notify);
  source.on('expired', notify);

  return {
    subscribe(onChange) {
      listeners.add(onChange);
      return () => void listeners.delete(onChange);
    },
    // Read from the source each time (its token lapses with the clock) but return the same object
    // while nothing changed: useSyncExternalStore re-renders whenever the snapshot differs.
    getSnapshot() {
      const token = source.token;
      const expiresAt = source.expiresAt;
      const status = statusOf(source);
      if (
        snapshot === undefined ||
        snapshot.token !== token ||
        snapshot.expiresAt !== expiresAt ||
        snapshot.status !== status ||
        snapshot.error !== error
      ) {
        snapshot = { token, expiresAt, status, error, refresh };
      }
      return snapshot;
    },
  };
}

function storeFor(source: TokenSource | undefined): TokenStore {
  if (!source) return noSource;
  let store = stores.get(source);
  if (!store) {
    store = createTokenStore(source);
    stores.set(source, store);
  }
  return store;
}

/**
 * The source's token and state, re-rendering only when they change (through
 * `useSyncExternalStore`: every component sees the same state in a render). On mount it asks the
 * source for a token, so a component that shows one is enough to start the first request; any
 * number of components share that request. `source` may be undefined (server rendering,
 * hydration): the state is then `idle`.
 *
 * @example
 * function TokenBadge() {
 *   const tokens = useTokenSource({ url: '/api/widget-token' });
 *   const { status, expiresAt, error, refresh } = useToken(tokens);
 *   if (status === 'error') return <button onClick={() => refresh()}>Retry ({error?.code})</button>;
 *   return <span>{status === 'ready' ? `valid until ${new Date(expiresAt!).toLocaleTimeString()}` : status}</span>;
 * }
 */
export function useToken(source: TokenSource | undefined): TokenState {
  const store = storeFor(source);
  const state = useSyncExternalStore(store.subscribe, store.getSnapshot, onTheServer);
  useEffect(() => {
    // Failures reach the state through the source's `error` event; nothing to do with them here.
    source?.getToken().catch(() => {});
  }, [source]);
  return state;
}
