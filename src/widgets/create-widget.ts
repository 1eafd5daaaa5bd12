import { createEmitter, reportUncaught, type Listener } from '../emitter.js';
import {
  WidgetDestroyedError,
  WidgetError,
  isWidgetTokenError,
  type WidgetTokenError,
} from '../errors.js';
import { sharedScriptLoader, type LoadScriptOptions } from '../script-loader/load-script.js';
import { addResourceHints, type HintOptions } from '../script-loader/resource-hints.js';
import type { TokenSource } from '../token-source/create-token-source.js';

/** Events every widget handle emits. Tokens themselves are never part of an event. */
export interface WidgetEvents {
  /** The widget is on the page with its first token. */
  ready: Record<string, never>;
  /** A token reached the widget; `expiresAt` is that token's, as the token source reported it. */
  delivered: { expiresAt: number | undefined };
  /** A logout (here or in another tab) ended the vendor session; `destroyed` follows. */
  loggedOut: Record<string, never>;
  /** Starting or delivering failed. */
  error: { error: WidgetTokenError };
  /** `destroy()` finished; nothing follows. */
  destroyed: Record<string, never>;
}

/** What every adapter returns. */
export interface WidgetHandle<Events = WidgetEvents> {
  /** The widget's name, e.g. `'dg-chat'`. */
  readonly name: string;
  /** Resolves when the widget is on the page with its first token; rejects if it cannot start. */
  readonly ready: Promise<void>;
  /** True once `destroy()` was called. */
  readonly destroyed: boolean;
  /** Listens to an event; returns a function that removes the listener. */
  on<K extends keyof Events>(type: K, listener: Listener<Events[K]>): () => void;
  /**
   * Removes every tag, global, callback and listener the adapter added and stops taking tokens at
   * once. A vendor script still loading runs anyway once fetched, so cleaning up waits for it (at
   * most its load timeout). The token source is left running: it may serve other widgets.
   * Idempotent.
   */
  destroy(): Promise<void>;
  /**
   * Ends the vendor's session for this visitor (the adapter's `logout`, e.g. iAdvize `logout()`),
   * then destroys the widget. Called by itself when the token source stops with `logout: true`,
   * in this tab or another. After `destroy()` it does nothing.
   */
  logout(): Promise<void>;
}

/** What an adapter's `start` and `deliver` are given. */
export interface WidgetContext<Events> {
  readonly tokens: TokenSource;
  /** Aborted when the widget is destroyed: check it after every `await`. */
  readonly signal: AbortSignal;
  /**
   * A token valid now, recorded as delivered to the widget. Use it for the first token and for
   * widgets that pull tokens (a token provider).
   */
  token(): Promise<string>;
  /** Registers a clean-up step; `destroy()` runs them last registered first. */
  cleanup(step: () => unknown): void;
  emit<K extends keyof Events>(type: K, event: Events[K]): void;
  /** Loads a script through the page-wide loader; its tag is removed on destroy. */
  loadScript(options: LoadScriptOptions): Promise<HTMLScriptElement>;
  /** Removes a script this widget loaded, so that the next load injects it again. */
  unloadScript(url: string | URL): void;
  /** Adds preconnect/preload hints, removed on destroy. */
  hint(url: string | URL, options: HintOptions): void;
  /**
   * Deletes these `window` properties on destroy, if they did not exist now: the vendor globals
   * (and config objects) that only exist because this widget was started.
   */
  ownGlobals(names: string[]): void;
  /**
   * Removes on destroy the elements appended to `<body>` from now until the widget is ready: the
   * vendor's launcher or frame, which has no documented id to find it by.
   */
  removeAddedNodes(): void;
  /** Throws WidgetDestroyedError if the widget was destroyed (call after each `await`). */
  throwIfDestroyed(): void;
}

/** How one widget gets its tokens. See {@link createWidget}. */
export interface WidgetDefinition<Events> {
  /** Short name used in messages and events, e.g. `'dg-chat'`. */
  name: string;
  tokens: TokenSource;
  /** Names of the adapter's own events, besides those of {@link WidgetEvents}. */
  events?: readonly Exclude<keyof Events, keyof WidgetEvents>[];
  /** Puts the widget on the page with its first token (from `context.token()`); resolves when ready. */
  start(context: WidgetContext<Events>): Promise<void>;
  /**
   * Hands a newer token to the ready widget. Never called before `start` has resolved, never
   * twice at once; tokens that arrive meanwhile are coalesced so the newest one wins. Omit it for
   * widgets that pull tokens themselves.
   */
  deliver?(token: string, context: WidgetContext<Events>): void | Promise<void>;
  /**
   * Ends the vendor session of the visitor (the previous user must not stay signed in on a shared
   * device). Called on logout before the clean-up steps, also while `start` is still under way
   * (check what exists). Omit it when destroying the widget is enough.
   */
  logout?(context: WidgetContext<Events>): void | Promise<void>;
}

function asError(error: unknown, widget: string): WidgetTokenError {
  if (isWidgetTokenError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new WidgetError(`The ${widget} widget failed: ${message}`);
}

/**
 * The common life cycle of every adapter, and the way to write one for another widget with the
 * same guarantees: first token before first use, every new token in order with the newest winning,
 * refused tokens never delivered (the token source validates them), and a `destroy()` that leaves
 * nothing behind.
 *
 * @example
 * function myWidget(tokens: TokenSource) {
 *   return createWidget({
 *     name: 'my-widget',
 *     tokens,
 *     async start(context) {
 *       const token = await context.token();
 *       await context.loadScript({ url: 'https://cdn.example.com/w.js', isReady: () => 'MyWidget' in window });
 *       context.ownGlobals(['MyWidget']);
 *       window.MyWidget.init({ token });
 *       context.cleanup(() => window.MyWidget.shutdown());
 *     },
 *     deliver(token) {
 *       window.MyWidget.setToken(token);
 *     },
 *   });
 * }
 */
export function createWidget<Events extends WidgetEvents = WidgetEvents>(
  definition: WidgetDefinition<Events>,
): WidgetHandle<Events> {
  const { name, tokens } = definition;
  const types = [
    'ready',
    'delivered',
    'error',
    'loggedOut',
    'destroyed',
    ...(definition.events ?? []),
  ];
  const events = createEmitter<Events>(types as (keyof Events)[]);
  const controller = new AbortController();
  const cleanups: (() => unknown)[] = [];
  const loader = sharedScriptLoader();
  const loadedScripts = new Set<string | URL>();
  // A script whose load is under way runs even if its tag is removed: destroy waits for it, so
  // that what it creates is cleaned up too.
  const pendingLoads = new Set<Promise<void>>();
  cleanups.push(() => {
    for (const url of loadedScripts) loader.unload(url);
  });

  let started = false;
  // The newest token from the source, with its own expiry: a token arriving during a slow
  // delivery must not lend its expiry to the one being delivered.
  let latest: { token: string; expiresAt: number | undefined } | undefined;
  let delivered: string | undefined;
  let logoutPromise: Promise<void> | undefined;
  let delivering = false;
  let destroyPromise: Promise<void> | undefined;

  const emitError = (error: unknown) =>
    events.emit('error', { error: asError(error, name) } as Events['error']);

  const context: WidgetContext<Events> = {
    tokens,
    signal: controller.signal,
    async token() {
      context.throwIfDestroyed();
      const token = await tokens.getToken();
      context.throwIfDestroyed();
      if (token !== delivered) {
        delivered = token;
        const expiresAt = latest?.token === token ? latest.expiresAt : tokens.expiresAt;
        events.emit('delivered', { expiresAt } as Events['delivered']);
      }
      return token;
    },
    cleanup(step) {
      // Registered after destroy (by a start still under way): undo it at once.
      if (controller.signal.aborted) void Promise.resolve().then(step).catch(reportUncaught);
      else cleanups.push(step);
    },
    emit(type, event) {
      if (!controller.signal.aborted) events.emit(type, event);
    },
    loadScript(options) {
      if (controller.signal.aborted) return Promise.reject(new WidgetDestroyedError(name));
      loadedScripts.add(options.url);
      const loading = loader.load(options);
      const settled: Promise<void> = loading.then(
        () => void pendingLoads.delete(settled),
        () => void pendingLoads.delete(settled),
      );
      pendingLoads.add(settled);
      return loading;
    },
    unloadScript(url) {
      loader.unload(url);
    },
    hint(url, options) {
      try {
        context.cleanup(addResourceHints(url, options));
      } catch {
        // A refused URL is reported by the load itself; a hint is only an optimisation.
      }
    },
    removeAddedNodes() {
      // The vendor's own elements (launchers, frames) have no documented ids; whatever it appends
      // to <body> while the widget starts is its, and goes on destroy.
      const added: Node[] = [];
      const observer = new MutationObserver((records) => {
        for (const record of records) added.push(...record.addedNodes);
      });
      observer.observe(document.body, { childList: true });
      // Once started, what follows is the page's own; on a failed or destroyed start, keep watching
      // until the clean-up (the vendor script may still be running).
      ready.then(
        () => observer.disconnect(),
        () => {},
      );
      context.cleanup(() => {
        for (const record of observer.takeRecords()) added.push(...record.addedNodes);
        observer.disconnect();
        for (const node of added)
          if (node.parentNode === document.body) (node as ChildNode).remove();
      });
    },
    ownGlobals(names) {
      const owned = names.filter((global) => !(global in window));
      context.cleanup(() => {
        for (const global of owned) delete (window as unknown as Record<string, unknown>)[global];
      });
    },
    throwIfDestroyed() {
      if (controller.signal.aborted) throw new WidgetDestroyedError(name);
    },
  };

  // Delivers the newest token once the widget is ready; one delivery at a time.
  async function pump(): Promise<void> {
    if (!started || delivering || !definition.deliver) return;
    delivering = true;
    try {
      while (latest !== undefined && latest.token !== delivered && !controller.signal.aborted) {
        const { token, expiresAt } = latest;
        try {
          await definition.deliver(token, context);
          if (controller.signal.aborted) return;
          delivered = token;
          events.emit('delivered', { expiresAt } as Events['delivered']);
        } catch (error) {
          emitError(error);
          // Do not retry the same token in a loop; the next token will be tried.
          delivered = token;
        }
      }
    } finally {
      delivering = false;
    }
  }

  cleanups.push(
    tokens.on('token', (event) => {
      latest = event;
      void pump();
    }),
    // A logout in any tab stops the source with `logout: true`: the vendor session ends too.
    tokens.on('stopped', ({ logout }) => {
      if (logout) void handle.logout();
    }),
  );

  const destroyed = new Promise<never>((_, reject) =>
    controller.signal.addEventListener('abort', () => reject(new WidgetDestroyedError(name))),
  );
  destroyed.catch(() => {});

  const ready: Promise<void> = Promise.race([
    Promise.resolve().then(() => {
      context.throwIfDestroyed();
      return definition.start(context);
    }),
    destroyed,
  ]).then(
    () => {
      started = true;
      events.emit('ready', {} as Events['ready']);
      void pump();
    },
    (error: unknown) => {
      if (!controller.signal.aborted) emitError(error);
      throw error;
    },
  );
  // Failures are also emitted as 'error'; a host that never reads `ready` gets no unhandled rejection.
  ready.catch(() => {});

  const handle: WidgetHandle<Events> = {
    name,
    ready,
    get destroyed() {
      return controller.signal.aborted;
    },
    on(type, listener) {
      if (controller.signal.aborted) return () => {};
      return events.on(type, listener);
    },
    destroy() {
      destroyPromise ??= (async () => {
        controller.abort();
        await Promise.all(pendingLoads);
        for (const step of cleanups.splice(0).reverse()) {
          try {
            await step();
          } catch (error) {
            reportUncaught(error);
          }
        }
        events.emit('destroyed', {} as Events['destroyed']);
        events.clear();
      })();
      return destroyPromise;
    },
    logout() {
      if (destroyPromise) return logoutPromise ?? destroyPromise;
      logoutPromise ??= (async () => {
        try {
          await definition.logout?.(context);
          events.emit('loggedOut', {} as Events['loggedOut']);
        } catch (error) {
          emitError(error);
        }
        await handle.destroy();
      })();
      return logoutPromise;
    },
  };
  return handle;
}

/** Loader settings every script-based adapter accepts. */
export interface ScriptOptions {
  /**
   * Open the connection to the vendor (and preload its script, when it must wait for the token)
   * while the token is being fetched.
   * @default true
   */
  hints?: boolean;
  /** Passed to the script loader: CSP nonce, SRI hash, crossorigin, load timeout. */
  script?: Pick<LoadScriptOptions, 'nonce' | 'integrity' | 'crossOrigin' | 'timeout'>;
}

/** Rejects with `onTimeout()` if `promise` has not settled within `ms`. */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
