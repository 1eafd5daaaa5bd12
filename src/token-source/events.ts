import { ConfigurationError, type WidgetTokenError } from '../errors.js';

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
  /** `stop()` was called; no event follows. */
  stopped: Record<string, never>;
}

type Listener<T> = (event: T) => void;

export interface Emitter<Events> {
  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void;
  emit<K extends keyof Events>(type: K, event: Events[K]): void;
  clear(): void;
}

// A throwing listener must not stop the others or the source, but the host should still see the
// error: reportError surfaces it like an uncaught exception (console, window 'error').
function report(error: unknown): void {
  if (typeof reportError === 'function') reportError(error);
  else
    queueMicrotask(() => {
      throw error;
    });
}

export function createEmitter<Events>(types: readonly (keyof Events)[]): Emitter<Events> {
  const listeners = new Map<keyof Events, Set<Listener<never>>>();
  return {
    on(type, listener) {
      if (!types.includes(type)) {
        throw new ConfigurationError(
          `Unknown event "${String(type)}"; expected one of ${types.join(', ')}.`,
        );
      }
      if (typeof listener !== 'function') {
        throw new ConfigurationError(`The listener for "${String(type)}" must be a function.`);
      }
      const set = listeners.get(type) ?? new Set();
      listeners.set(type, set);
      const entry = listener as Listener<never>;
      set.add(entry);
      return () => void set.delete(entry);
    },
    emit(type, event) {
      // Copy, so that a listener removing itself (or another) does not skip anyone this round.
      for (const listener of [...(listeners.get(type) ?? [])]) {
        try {
          (listener as Listener<typeof event>)(event);
        } catch (error) {
          report(error);
        }
      }
    },
    clear() {
      listeners.clear();
    },
  };
}
