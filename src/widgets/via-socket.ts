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
    mount?(options: {
      embedToken: string;
      parent: HTMLElement | string;
      config?: unknown;
    }): ViaSocketMount;
  };
  openViasocket?(flowId?: string, options?: unknown): void;
}

/** Options of {@link viaSocket}. */
export interface ViaSocketOptions extends ScriptOptions {
  tokens: TokenSource;
  /**
   * Element (or its id) to render into. The adapter renders into a container of its own inside it
   * and removes only that container: the host's own content in `parent` stays.
   * @default a container the adapter creates at the end of `<body>`
   */
  parent?: string | HTMLElement;
  /**
   * Embed configuration, e.g. `{ type: 'all_space' }` to fill `parent`; without a `type` the
   * embed covers the viewport (viaSocket implies nothing).
   */
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
// What the embed appends to <body> outside any parent; integrators remove them on teardown.
const STRAY_NODES =
  '#iframe-viasocket-embed-parent-container, .vs-embed__backdrop, #viasocket-embed-open-button';

/**
 * viaSocket Embed. The script is loaded without the attributes that would start it; where it has
 * the documented `window.viaSocket.mount`, every token (the first included) is mounted with it into
 * a container the adapter owns, the previous mount destroyed first. Older builds without it get
 * the attribute tag (`embedToken`, `parentId`, `config`), injected anew for each token. The embed
 * has no way to take a new token; only tokens with an expiry are ever refreshed.
 *
 * @example
 * const embed = viaSocket({ tokens, parent: 'integrations', config: { type: 'all_space' } });
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

  const isReady = () => typeof page.openViasocket === 'function' || page.viaSocket !== undefined;

  /** Ends what the embed shows: its mount, what it rendered in our container, its stray nodes. */
  function clear() {
    const previous = mounted;
    mounted = undefined;
    previous?.destroy?.();
    container?.replaceChildren();
    for (const node of document.querySelectorAll(STRAY_NODES)) node.remove();
  }

  async function show(context: WidgetContext<ViaSocketEvents>, token: string) {
    clear();
    const mount = page.viaSocket?.mount;
    if (typeof mount === 'function') {
      mounted = mount({ embedToken: token, parent: container!, ...(config ? { config } : {}) });
      return;
    }
    // An older build: the tag again, with the attributes that make it start by itself.
    context.unloadScript(scriptUrl);
    await context.loadScript({
      url: scriptUrl,
      id: SCRIPT_ID,
      ...options.script,
      attributes: {
        embedToken: token,
        parentId: container!.id,
        ...(config ? { config: JSON.stringify(config) } : {}),
      },
      isReady,
    });
  }

  const widget = createWidget<ViaSocketEvents>({
    name: 'viasocket',
    tokens,
    events: ['message'],
    // Loaded bare (without the attributes that would start it): the token decides how to mount.
    script: {
      url: scriptUrl,
      id: SCRIPT_ID,
      globals: ['viaSocket', 'openViasocket', 'handleclose'],
      isReady,
      hints: options.hints,
      script: options.script,
    },
    async start(context) {
      let parent: HTMLElement = document.body;
      if (typeof options.parent === 'string') {
        const found = document.getElementById(options.parent);
        if (!found)
          throw new ConfigurationError(`viaSocket(): no element with id "${options.parent}".`);
        parent = found;
      } else if (options.parent) {
        parent = options.parent;
      }
      // The embed renders into a container of ours: removing it never touches the host's content.
      const own = (container = document.createElement('div'));
      own.id = `widget-token-viasocket-${++containerCount}`;
      parent.append(own);
      context.cleanup(() => own.remove());

      const onMessage = (event: MessageEvent) => {
        if (event.origin === messageOrigin) context.emit('message', { data: event.data });
      };
      window.addEventListener('message', onMessage);
      context.cleanup(() => window.removeEventListener('message', onMessage));
      context.cleanup(clear);
      await context.script();
      await show(context, await context.token());
    },
    deliver: (token, context) => show(context, token),
    // The embed's session is the user's: a logout takes it down before `loggedOut`.
    logout: clear,
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
