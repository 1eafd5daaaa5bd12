import { ConfigurationError, WidgetError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';
import {
  createWidget,
  type ScriptOptions,
  type WidgetContext,
  type WidgetEvents,
  type WidgetHandle,
} from './create-widget.js';

/** What the adapter passes to the render function. */
export interface EngagespotProps {
  apiKey: string;
  userId: string;
  userToken: string;
}

type Unmount = () => unknown;

/** Options of {@link engagespot}. */
export interface EngagespotOptions extends ScriptOptions {
  tokens: TokenSource;
  apiKey: string;
  userId: string;
  /**
   * Where the inbox goes (an element or a selector). The adapter renders into a container of its
   * own inside it, a new one for each token, and removes it on destroy: the host's own content in
   * `target` is never touched. Required when the adapter loads Engagespot's browser build.
   */
  target?: string | HTMLElement;
  /**
   * Starts one inbox with these props in `container` and returns the function that ends it: with
   * `@engagespot/core`, `createInstance(props)` and `() => instance.realTime.disconnect()`. Called
   * for every token, each time after the previous inbox was ended: Engagespot ignores a new
   * `userToken` on a live inbox. Without it, Engagespot's browser build is loaded (`scriptUrl`).
   */
  render?(props: EngagespotProps, container: HTMLElement): Unmount | void | Promise<Unmount | void>;
  /**
   * Engagespot's browser build, which defines `global` with `render(element, props)`.
   * @default 'https://cdn.engagespot.co/engagespot-client.min.js'
   */
  scriptUrl?: string;
  /**
   * The global the browser build defines.
   * @default 'Engagespot'
   */
  global?: string;
}

export const ENGAGESPOT_SCRIPT = 'https://cdn.engagespot.co/engagespot-client.min.js';

interface EngagespotBuild {
  render(element: HTMLElement, props: EngagespotProps): unknown;
}

/**
 * `render(element, props)` of Engagespot's browser build and of `@engagespot/client` returns
 * nothing: the inbox is a React (17, legacy mode) tree, and the root React keeps on the container
 * is the one way to unmount it, closing its realtime connection.
 */
function unmountReactRoot(container: HTMLElement): boolean {
  const root = (container as { _reactRootContainer?: { unmount?(): void } | null })
    ._reactRootContainer;
  if (typeof root?.unmount !== 'function') return false;
  root.unmount();
  return true;
}

/**
 * Engagespot's in-app inbox in secure mode. Engagespot takes `userToken` only when an inbox is
 * created (a new token on a live inbox is ignored), so every token ends the previous inbox and
 * starts a new one: no request and no realtime connection keeps using an older token.
 *
 * @example
 * import { createInstance } from '@engagespot/core';
 * engagespot({
 *   tokens, apiKey, userId,
 *   render(props) {
 *     const inbox = createInstance(props);
 *     return () => inbox.realTime.disconnect();
 *   },
 * });
 * // or, with Engagespot's browser build loaded by the adapter:
 * engagespot({ tokens, apiKey, userId, target: '#bell' });
 */
export function engagespot(options: EngagespotOptions): WidgetHandle {
  const { tokens, apiKey, userId, target } = options;
  if (typeof apiKey !== 'string' || apiKey === '') {
    throw new ConfigurationError('engagespot() needs the `apiKey` (string).');
  }
  if (typeof userId !== 'string' || userId === '') {
    throw new ConfigurationError('engagespot() needs the `userId` (string).');
  }
  if (options.render !== undefined && typeof options.render !== 'function') {
    throw new ConfigurationError('engagespot(): `render` must be a function.');
  }
  if (!options.render && target === undefined) {
    throw new ConfigurationError(
      'engagespot() needs a `render(props, container)` function, or a `target` for the browser build.',
    );
  }
  if (target !== undefined && typeof target !== 'string' && !(target instanceof HTMLElement)) {
    throw new ConfigurationError('engagespot(): `target` must be an element or a selector.');
  }
  const global = options.global ?? 'Engagespot';
  const build = () => (window as unknown as Record<string, EngagespotBuild | undefined>)[global];
  const render = options.render ?? ((props, container) => void build()!.render(container, props));

  let parent: HTMLElement | undefined;
  let current: { container: HTMLElement; unmount: Unmount | undefined } | undefined;

  async function end(): Promise<void> {
    const inbox = current;
    current = undefined;
    if (!inbox) return;
    try {
      if (inbox.unmount) await inbox.unmount();
      else if (!unmountReactRoot(inbox.container)) {
        throw new WidgetError(
          'The Engagespot inbox could not be unmounted: give `render` a return value that ends it.',
        );
      }
    } finally {
      inbox.container.remove();
    }
  }

  async function mount(userToken: string, context: WidgetContext<WidgetEvents>) {
    await end();
    context.throwIfDestroyed();
    const container = document.createElement('div');
    container.className = 'widget-token-engagespot';
    parent?.append(container);
    current = { container, unmount: undefined };
    const unmount = await render({ apiKey, userId, userToken }, container);
    if (current?.container === container && typeof unmount === 'function') {
      current.unmount = unmount;
    }
  }

  return createWidget({
    name: 'engagespot',
    tokens,
    // Engagespot's browser build, unless the host renders with its own import.
    script: options.render
      ? undefined
      : {
          url: options.scriptUrl ?? ENGAGESPOT_SCRIPT,
          globals: [global],
          isReady: () => typeof build()?.render === 'function',
          hints: options.hints,
          script: options.script,
        },
    async start(context) {
      if (target !== undefined) {
        parent =
          typeof target === 'string'
            ? (document.querySelector<HTMLElement>(target) ?? undefined)
            : target;
        if (!parent) throw new ConfigurationError(`engagespot(): no element matches "${target}".`);
      }
      context.cleanup(end);
      if (!options.render) await context.script();
      await mount(await context.token(), context);
    },
    deliver: (token, context) => mount(token, context),
    // The inbox is the user's: a logout ends it (and its realtime connection) before `loggedOut`.
    logout: end,
  });
}
