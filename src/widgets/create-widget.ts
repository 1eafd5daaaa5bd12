import { createEmitter, reportUncaught, type Listener } from '../emitter.js';
import {
  ConfigurationError,
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
  /**
   * Loads the script the adapter declared ({@link WidgetDefinition.script}); one load however
   * often it is called. Scripts declared `waitForStart` start loading here.
   */
  script(): Promise<HTMLScriptElement>;
  /**
   * Tells the widget layer that the vendor session dropped or holds no valid token any more (Agora
   * `token-privilege-did-expire`, Twilio `tokenExpired`): it re-establishes the session with
   * `recover` (or `deliver`) as soon as the source holds a valid token, now or after an outage.
   */
  sessionLost(): void;
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

/**
 * The vendor script an adapter needs, declared rather than loaded by hand: the widget layer adds
 * the preconnect/preload hint, starts the token request and (unless `waitForStart`) the load at once,
 * owns the globals and the vendor's elements, and removes all of it on destroy.
 */
export interface WidgetScript extends ScriptOptions {
  url: string;
  /** `id` of the tag, when the vendor's script looks for its own tag. */
  id?: string;
  /**
   * The script may only run once `start` has prepared the page (a config holding the token, a
   * command queue): it is only preloaded meanwhile, and loads when `start` calls `context.script()`.
   * Otherwise it loads at once, beside the token request.
   * @default false
   */
  waitForStart?: boolean;
  /** Window properties the vendor creates: deleted on destroy unless they existed before. */
  globals?: string[];
  /** The vendor appends its launcher or frame to `<body>` while starting: removed on destroy. */
  bodyNodes?: boolean;
  /** True once the script is usable (e.g. its global exists). */
  isReady?: () => boolean;
}

/** How one widget gets its tokens. See {@link createWidget}. */
export interface WidgetDefinition<Events> {
  /** Short name used in messages and events, e.g. `'dg-chat'`. */
  name: string;
  tokens: TokenSource;
  /** Names of the adapter's own events, besides those of {@link WidgetEvents}. */
  events?: readonly Exclude<keyof Events, keyof WidgetEvents>[];
  /** The vendor script the widget layer loads for the adapter; see {@link WidgetScript}. */
  script?: WidgetScript;
  /**
   * Time allowed for `start` once the declared script has loaded (or from the start, without one),
   * in ms. Validated here: a bad value throws a ConfigurationError when the widget is created.
   */
  readyTimeout?: number;
  /** Puts the widget on the page with its first token (from `context.token()`); resolves when ready. */
  start(context: WidgetContext<Events>): Promise<void>;
  /**
   * Hands a newer token to the ready widget. Never called before `start` has resolved, never
   * twice at once; tokens that arrive meanwhile are coalesced so the newest one wins. Omit it for
   * widgets that pull tokens themselves.
   */
  deliver?(token: string, context: WidgetContext<Events>): void | Promise<void>;
  /**
   * Re-establishes a vendor session that dropped (see `context.sessionLost()`) or refused a
   * delivery: rejoin, log in again, render again. Called with a valid token, serialised with
   * deliveries. Omitted: `deliver` is used, and a session that holds the source's current token is
   * left as it is.
   */
  recover?(token: string, context: WidgetContext<Events>): void | Promise<void>;
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
 * refused tokens never delivered (the token source validates them), a vendor session brought back
 * after any outage or refusal, a `ready` that rejects at once with `unauthorized` on a 401/403, and
 * a `destroy()` that leaves nothing behind.
 *
 * @example
 * function myWidget(tokens: TokenSource) {
 *   const page = window as unknown as { MyWidget?: { init(token: string): void; setToken(token: string): void; shutdown(): void } };
 *   return createWidget({
 *     name: 'my-widget',
 *     tokens,
 *     // Loaded beside the token request; `MyWidget` is deleted on destroy.
 *     script: { url: 'https://cdn.example.com/w.js', globals: ['MyWidget'], isReady: () => !!page.MyWidget },
 *     readyTimeout: 30_000,
 *     async start(context) {
 *       const token = await context.token();
 *       await context.script();
 *       page.MyWidget!.init(token);
 *       context.cleanup(() => page.MyWidget?.shutdown());
 *     },
 *     deliver(token) {
 *       page.MyWidget!.setToken(token);
 *     },
 *   });
 * }
 */
export function createWidget<Events extends WidgetEvents = WidgetEvents>(
  definition: WidgetDefinition<Events>,
): WidgetHandle<Events> {
  const { name, tokens, script, readyTimeout } = definition;
  if (readyTimeout !== undefined && !(Number.isFinite(readyTimeout) && readyTimeout > 0)) {
    throw new ConfigurationError(`${name}: readyTimeout must be ms > 0, not ${readyTimeout}.`);
  }
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
  const { signal } = controller;
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
  // The vendor session dropped or refused a delivery: the next valid token re-establishes it.
  let lost = false;
  // The last token the vendor refused: not handed again (a refusal must not become a loop).
  let refused: string | undefined;
  let logoutPromise: Promise<void> | undefined;
  let delivering = false;
  let destroyPromise: Promise<void> | undefined;
  let declaredLoad: Promise<HTMLScriptElement> | undefined;
  // Resolves when the declared script has loaded, whoever started the load: the ready timeout
  // counts from then.
  let onScriptLoaded!: () => void;
  const scriptLoaded = new Promise<void>((resolve) => (onScriptLoaded = resolve));

  const emitError = (error: unknown) =>
    events.emit('error', { error: asError(error, name) } as Events['error']);

  const record = (token: string, expiresAt = tokens.expiresAt) => {
    if (token === delivered) return;
    delivered = token;
    events.emit('delivered', { expiresAt } as Events['delivered']);
  };
  const expiryOf = (token: string) => (latest?.token === token ? latest.expiresAt : undefined);

  const context: WidgetContext<Events> = {
    tokens,
    signal,
    async token() {
      context.throwIfDestroyed();
      const token = await tokens.getToken();
      context.throwIfDestroyed();
      record(token, expiryOf(token) ?? tokens.expiresAt);
      return token;
    },
    script() {
      if (!declaredLoad) {
        // The loader reads url, id and isReady from the declaration, the rest from `script.script`.
        declaredLoad = context.loadScript({ ...script!, ...script!.script });
        declaredLoad.then(onScriptLoaded, () => {});
      }
      return declaredLoad;
    },
    sessionLost() {
      if (signal.aborted) return;
      lost = true;
      void pump();
    },
    cleanup(step) {
      // Registered after destroy (by a start still under way): undo it at once.
      if (signal.aborted) void Promise.resolve().then(step).catch(reportUncaught);
      else cleanups.push(step);
    },
    emit(type, event) {
      if (!signal.aborted) events.emit(type, event);
    },
    loadScript(options) {
      if (signal.aborted) return Promise.reject(new WidgetDestroyedError(name));
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
      if (signal.aborted) throw new WidgetDestroyedError(name);
    },
  };

  /** Hands `token` to the vendor by `how`. */
  async function hand(how: 'deliver' | 'recover', token: string): Promise<void> {
    const expiresAt = expiryOf(token) ?? tokens.expiresAt;
    try {
      await definition[how]!(token, context);
      if (!signal.aborted) record(token, expiresAt);
    } catch (error) {
      if (signal.aborted) return;
      emitError(error);
      // Never retry the same token in a loop: the next token is tried, by `recover` if declared.
      delivered = refused = token;
      if (definition.recover) lost = true;
    }
  }

  // Delivers the newest token once the widget is ready, and re-establishes a lost session; one
  // vendor call at a time.
  async function pump(): Promise<void> {
    if (!started || delivering) return;
    delivering = true;
    try {
      while (!signal.aborted) {
        const current = tokens.token;
        const wanted = lost ? current : latest?.token;
        const how = lost && definition.recover ? 'recover' : 'deliver';
        // No valid token yet, or only one the vendor refused: the next `token` event comes back.
        if (wanted === undefined || wanted === refused) return;
        // The vendor holds it already (without `recover`, a session holding the source's token
        // needs nothing), or the adapter takes no pushes (its vendor pulls).
        if (!definition[how] || (how === 'deliver' && wanted === delivered)) {
          lost = false;
          return;
        }
        lost = false;
        await hand(how, wanted);
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

  // What ends a start under way: destroy(), or a 401/403 (or another answer that blocks the
  // source), at once, whatever the adapter waits for: a vendor pull answered late would otherwise
  // only end in a timeout.
  const ended = new Promise<never>((_, reject) => {
    signal.addEventListener('abort', () => reject(new WidgetDestroyedError(name)));
    // While blocked, getToken() rejects at once with the error that blocked the source.
    const check = () => {
      if (tokens.phase === 'blocked') tokens.getToken().catch(reject);
    };
    cleanups.push(tokens.on('phase', check));
    // The token request starts at once for every adapter, beside any script load.
    Promise.resolve()
      .then((): unknown => signal.aborted || tokens.getToken())
      .catch(check);
  });
  ended.catch(() => {});

  async function begin(): Promise<void> {
    context.throwIfDestroyed();
    if (script) {
      if (script.globals) context.ownGlobals(script.globals);
      if (script.bodyNodes) context.removeAddedNodes();
      if (script.hints !== false)
        context.hint(script.url, { preload: !!script.waitForStart, ...script.script });
      if (!script.waitForStart) context.script().catch(() => {}); // awaited by start
    }
    const starting = definition.start(context);
    if (readyTimeout === undefined) return starting;
    // The clock starts once the script has loaded: a slow CDN is the loader's timeout, not this.
    const timed = () =>
      withTimeout(
        starting,
        readyTimeout,
        () => new WidgetError(`The ${name} widget did not start within ${readyTimeout} ms.`),
      );
    await Promise.race([starting, script ? scriptLoaded.then(timed) : timed()]);
  }

  const ready: Promise<void> = Promise.race([Promise.resolve().then(begin), ended]).then(
    () => {
      started = true;
      events.emit('ready', {} as Events['ready']);
      void pump();
    },
    (error: unknown) => {
      if (!signal.aborted) emitError(error);
      throw error;
    },
  );
  // Failures are also emitted as 'error'; a host that never reads `ready` gets no unhandled rejection.
  ready.catch(() => {});

  const handle: WidgetHandle<Events> = {
    name,
    ready,
    get destroyed() {
      return signal.aborted;
    },
    on(type, listener) {
      if (signal.aborted) return () => {};
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
