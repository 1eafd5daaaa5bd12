import { ConfigurationError, WidgetError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';
import {
  createWidget,
  type ScriptOptions,
  type WidgetContext,
  type WidgetEvents,
  type WidgetHandle,
} from './create-widget.js';

interface ViaSocketMount {
  open?(flowId?: string, options?: unknown): void;
  destroy?(): void;
}

interface ViaSocketWindow {
  viaSocket?: {
    mount?(options: { embedToken: string; parent: HTMLElement; config?: unknown }): ViaSocketMount;
  };
  openViasocket?(flowId?: string, options?: unknown): void;
}

/** Options of {@link viaSocket}. */
export interface ViaSocketOptions extends ScriptOptions {
  tokens: TokenSource;
  /**
   * Element (or its id) to render into, passed as `parentId`.
   * @default a container the adapter creates at the end of `<body>`
   */
  parent?: string | HTMLElement;
  /** Embed configuration, passed as the `config` attribute (JSON), e.g. `{ type: 'all_space' }`. */
  config?: Record<string, unknown>;
  /**
   * The embed script.
   * @default 'https://embed.viasocket.com/prod-embedcomponent.js'
   */
  scriptUrl?: string;
  /**
   * The only origin whose `message` events are passed on.
   * @default 'https://embedfrontend.viasocket.com'
   */
  messageOrigin?: string;
}

export interface ViaSocketEvents extends WidgetEvents {
  /** A `message` from the embed's own origin (`{ action, id, title, … }`). */
  message: { data: unknown };
}

export interface ViaSocketWidget extends WidgetHandle<ViaSocketEvents> {
  /** Opens the embed, optionally on one flow. */
  open(flowId?: string, options?: unknown): void;
}

export const VIASOCKET_SCRIPT = 'https://embed.viasocket.com/prod-embedcomponent.js';
const VIASOCKET_ORIGIN = 'https://embedfrontend.viasocket.com';
const SCRIPT_ID = 'viasocket-embed-main-script';
let containerCount = 0;

/**
 * viaSocket Embed. The first token goes into the documented tag's `embedToken` attribute. The
 * embed has no way to take a new token, so for each new one (only tokens with an expiry are ever
 * refreshed) the adapter uses `window.viaSocket.mount` to destroy and mount again where the
 * runtime API exists, and otherwise removes the tag and its container's content and injects anew.
 *
 * @example
 * const embed = viaSocket({ tokens, parent: 'integrations' });
 * button.onclick = () => embed.open();
 */
export function viaSocket(options: ViaSocketOptions): ViaSocketWidget {
  const { tokens, config } = options;
  const scriptUrl = options.scriptUrl ?? VIASOCKET_SCRIPT;
  const messageOrigin = options.messageOrigin ?? VIASOCKET_ORIGIN;
  const page = window as unknown as ViaSocketWindow;
  if (
    options.parent !== undefined &&
    typeof options.parent !== 'string' &&
    !(options.parent instanceof HTMLElement)
  ) {
    throw new ConfigurationError('viaSocket(): `parent` must be an element or the id of one.');
  }
  let container: HTMLElement | undefined;
  let mounted: ViaSocketMount | undefined;

  function inject(context: WidgetContext<ViaSocketEvents>, token: string) {
    return context.loadScript({
      url: scriptUrl,
      id: SCRIPT_ID,
      ...options.script,
      attributes: {
        embedToken: token,
        parentId: container!.id,
        ...(config ? { config: JSON.stringify(config) } : {}),
      },
      isReady: () => typeof page.openViasocket === 'function' || page.viaSocket !== undefined,
    });
  }

  const widget = createWidget<ViaSocketEvents>({
    name: 'viasocket',
    tokens,
    events: ['message'],
    async start(context) {
      if (options.hints !== false) context.hint(scriptUrl, { preload: true, ...options.script });

      if (typeof options.parent === 'string') {
        container = document.getElementById(options.parent) ?? undefined;
        if (!container)
          throw new ConfigurationError(`viaSocket(): no element with id "${options.parent}".`);
      } else if (options.parent) {
        container = options.parent;
        if (!container.id) container.id = `widget-token-viasocket-${++containerCount}`;
      } else {
        container = document.createElement('div');
        container.id = `widget-token-viasocket-${++containerCount}`;
        document.body.append(container);
        const own = container;
        context.cleanup(() => own.remove());
      }
      // Whatever the embed rendered goes with it; a host's own container itself stays.
      context.cleanup(() => container?.replaceChildren());

      const onMessage = (event: MessageEvent) => {
        if (event.origin === messageOrigin) context.emit('message', { data: event.data });
      };
      window.addEventListener('message', onMessage);
      context.cleanup(() => window.removeEventListener('message', onMessage));
      context.ownGlobals(['viaSocket', 'openViasocket', 'handleclose']);
      context.cleanup(() => mounted?.destroy?.());

      const token = await context.token();
      await inject(context, token);
    },
    async deliver(token, context) {
      const mount = page.viaSocket?.mount;
      if (typeof mount === 'function') {
        mounted?.destroy?.();
        // The first instance came from the tag and has no handle: clear what it rendered.
        if (!mounted) container!.replaceChildren();
        mounted = mount({ embedToken: token, parent: container!, ...(config ? { config } : {}) });
        return;
      }
      context.unloadScript(scriptUrl);
      container!.replaceChildren();
      await inject(context, token);
    },
  });

  return Object.assign(widget, {
    open(flowId?: string, openOptions?: unknown) {
      if (mounted?.open) return mounted.open(flowId, openOptions);
      if (typeof page.openViasocket !== 'function') {
        throw new WidgetError('viaSocket is not ready yet: await `ready` before `open()`.');
      }
      page.openViasocket(flowId, openOptions);
    },
  });
}
