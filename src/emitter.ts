// A small typed event emitter shared by the token source and the widgets.
import { ConfigurationError } from './errors.js';

export type Listener<T> = (event: T) => void;

export interface Emitter<Events> {
  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void;
  emit<K extends keyof Events>(type: K, event: Events[K]): void;
  clear(): void;
}

// A throwing listener must not stop the others or the source, but the host should still see the
// error: reportError surfaces it like an uncaught exception (console, window 'error').
export function reportUncaught(error: unknown): void {
  if (typeof reportError === 'function') reportError(error);
  else
    queueMicrotask(() => {
      throw error;
    });
}

export function createEmitter<Events>(types: readonly (keyof Events)[]): Emitter<Events> {
  // One set per known event; clear() gives fresh ones, so that an old unsubscribe cannot remove
  // a listener added again since.
  let listeners: Map<keyof Events, Set<Listener<never>>>;
  const clear = () => void (listeners = new Map(types.map((type) => [type, new Set()])));
  clear();
  return {
    on(type, listener) {
      const set = listeners.get(type);
      if (!set) {
        throw new ConfigurationError(
          `Unknown event "${String(type)}"; expected one of ${types.join(', ')}.`,
        );
      }
      if (typeof listener !== 'function') {
        throw new ConfigurationError(`The listener for "${String(type)}" must be a function.`);
      }
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
          reportUncaught(error);
        }
      }
    },
    clear,
  };
}
