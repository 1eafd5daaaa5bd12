import { reportUncaught } from '../emitter.js';
import { ConfigurationError, WidgetError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';
import { createWidget, type ScriptOptions, type WidgetHandle } from './create-widget.js';

type Callback = (...args: unknown[]) => unknown;

interface DgChatConfig {
  widgetId?: string;
  env?: string;
  metadata?: Record<string, unknown>;
  callbacks?: Record<string, Callback>;
  [key: string]: unknown;
}

interface DgChatWindow {
  DG_CHAT_WIDGET_CONFIG?: DgChatConfig;
  dgchat?: {
    methods?: {
      sendSystemMessage?(message: { name: string; payload: string }): void;
      resetChat?(): void;
    };
  };
}

/** Options of {@link dgChat}. */
export interface DgChatOptions extends ScriptOptions {
  tokens: TokenSource;
  /** The DG widget id. */
  widgetId: string;
  /** DG environment, e.g. `'eu'` or `'us'`. */
  env: string;
  /**
   * The DG loader script.
   * @default 'https://chat.digitalgenius.com/init.js'
   */
  scriptUrl?: string;
  /** Other `DG_CHAT_WIDGET_CONFIG` fields (overrides, metadata); `auth_token` is set for you. */
  config?: Record<string, unknown>;
  /** DG callbacks (`onChatInitialised`, …); they keep working alongside the adapter's own. */
  callbacks?: Record<string, Callback>;
  /**
   * Time allowed for `onWidgetEmbedded` after the script loaded, in ms.
   * @default 30_000
   */
  readyTimeout?: number;
}

export const DG_CHAT_SCRIPT = 'https://chat.digitalgenius.com/init.js';

/** Chains callbacks so that the host's and the adapter's both run; one throwing does not stop the other. */
function chainCallbacks(
  ...sources: (Record<string, Callback> | undefined)[]
): Record<string, Callback> {
  const chained: Record<string, Callback> = {};
  for (const source of sources) {
    for (const [name, callback] of Object.entries(source ?? {})) {
      if (typeof callback !== 'function') continue;
      // Each link runs the ones before it (each catching its own), then its own.
      const before = chained[name];
      chained[name] = (...args) => {
        before?.(...args);
        try {
          callback(...args);
        } catch (error) {
          reportUncaught(error);
        }
      };
    }
  }
  return chained;
}

/**
 * The DigitalGenius chat widget. The first token goes into
 * `window.DG_CHAT_WIDGET_CONFIG.metadata.auth_token` before the loader runs; `ready` resolves when
 * DG calls `onWidgetEmbedded`; every later token is sent with
 * `dgchat.methods.sendSystemMessage({ name: 'auth_token', payload })`.
 *
 * @example
 * const chat = dgChat({ tokens, widgetId: '22df40c4-…', env: 'eu' });
 * await chat.ready;
 */
export function dgChat(options: DgChatOptions): WidgetHandle {
  const { tokens, widgetId, env } = options;
  if (typeof widgetId !== 'string' || widgetId === '') {
    throw new ConfigurationError('dgChat() needs a `widgetId` (string).');
  }
  if (typeof env !== 'string' || env === '') {
    throw new ConfigurationError("dgChat() needs an `env` (string, e.g. 'eu').");
  }
  const page = window as unknown as DgChatWindow;
  // DG's methods work only once it called onWidgetEmbedded.
  let onEmbedded!: () => void;
  let isEmbedded = false;
  const embedded = new Promise<void>((resolve) => (onEmbedded = resolve)).then(
    () => void (isEmbedded = true),
  );

  return createWidget({
    name: 'dg-chat',
    tokens,
    // The script may only run once the token is in the config: preloaded while it is fetched.
    script: {
      url: options.scriptUrl ?? DG_CHAT_SCRIPT,
      waitForStart: true,
      globals: ['dgchat'],
      bodyNodes: true,
      hints: options.hints,
      script: options.script,
    },
    // Time allowed for onWidgetEmbedded once the script has loaded.
    readyTimeout: options.readyTimeout ?? 30_000,
    async start(context) {
      const token = await context.token();

      const previous = page.DG_CHAT_WIDGET_CONFIG;
      page.DG_CHAT_WIDGET_CONFIG = {
        ...previous,
        ...options.config,
        widgetId,
        env,
        metadata: {
          ...previous?.metadata,
          ...(options.config?.metadata as Record<string, unknown> | undefined),
          auth_token: token,
        },
        callbacks: chainCallbacks(previous?.callbacks, options.callbacks, {
          onWidgetEmbedded: () => onEmbedded(),
        }),
      };
      context.cleanup(() => {
        if (previous) page.DG_CHAT_WIDGET_CONFIG = previous;
        else delete page.DG_CHAT_WIDGET_CONFIG;
      });
      await context.script();
      context.throwIfDestroyed();
      await embedded;
    },
    async deliver(token) {
      // sendSystemMessage throws before the widget is embedded.
      await embedded;
      const send = page.dgchat?.methods?.sendSystemMessage;
      if (typeof send !== 'function') {
        throw new WidgetError(
          'window.dgchat.methods.sendSystemMessage is missing: token not sent.',
        );
      }
      send({ name: 'auth_token', payload: token });
    },
    // The conversation is the user's: reset it (when DG is up to take it), then the clean-up
    // removes the widget, its config and globals.
    logout() {
      if (isEmbedded) page.dgchat?.methods?.resetChat?.();
    },
  });
}
