// One token source per URL + cross-tab key for the whole app, shared by every component that asks
// for it and stopped once the last of them is gone. No React here: the provider owns one registry.
import { createTokenSource, type TokenSource, type TokenSourceOptions } from '../index.js';

export interface TokenSourceRegistry {
  /** The identity of a source: its URL and its cross-tab key. */
  keyOf(options: TokenSourceOptions): string;
  /**
   * The source for `key`: the one in use, else a new one. A new source is inert (no request, no
   * listener, no timer) until something asks it for a token, so this is safe to call during render.
   * A stopped source (a logout) stays the answer while components still hold it, so that they all
   * see the same `stopped` state; the next one asked for after they are gone is new.
   */
  sourceFor(key: string, options: TokenSourceOptions): TokenSource;
  /** Counts one user of the source for `key`; the returned function gives it back. */
  hold(key: string, options: TokenSourceOptions): () => void;
}

interface Entry {
  source: TokenSource;
  users: number;
  stopTimer: ReturnType<typeof setTimeout> | undefined;
}

function crossTabKey(options: TokenSourceOptions): string {
  const { crossTab } = options;
  return typeof crossTab === 'object' && crossTab !== null ? (crossTab.key ?? '') : '';
}

export function createTokenSourceRegistry(): TokenSourceRegistry {
  const entries = new Map<string, Entry>();

  function entryFor(key: string, options: TokenSourceOptions): Entry {
    let entry = entries.get(key);
    if (!entry || (entry.source.stopped && entry.users === 0)) {
      // An entry created by a render that React then threw away stays here unused; it holds no
      // resource, and the next render asking for the same key takes it.
      entry = { source: createTokenSource(options), users: 0, stopTimer: undefined };
      entries.set(key, entry);
    }
    return entry;
  }

  return {
    keyOf(options) {
      // The URL as written, not resolved against the page: this runs during render, on the server
      // too, where there is no page. Write the same URL everywhere to share a source.
      return JSON.stringify([String(options.url), crossTabKey(options)]);
    },
    sourceFor(key, options) {
      return entryFor(key, options).source;
    },
    hold(key, options) {
      const entry = entryFor(key, options);
      entry.users += 1;
      clearTimeout(entry.stopTimer);
      entry.stopTimer = undefined;
      let released = false;
      return () => {
        if (released) return;
        released = true;
        entry.users -= 1;
        if (entry.users > 0) return;
        // Stopped a moment later rather than now: StrictMode unmounts and remounts every component
        // once, and a component moved or re-keyed in one commit lets go before it holds again.
        // Both must keep the same source (and its request in flight), not stop it and start another.
        entry.stopTimer = setTimeout(() => {
          if (entry.users > 0) return;
          if (entries.get(key) === entry) entries.delete(key);
          entry.source.stop();
        }, 0);
      };
    },
  };
}
