// The entry of the <script> tag build (dist/widget-token.iife.js), and the only module that acts
// when loaded: it reads the tag's data- attributes, creates the token source and the widget, and
// exposes them, with the whole API, on window.WidgetToken.
//
// <script src="widget-token.iife.js" data-widget="dg-chat" data-token-url="/api/dg-token"
//         data-widget-id="…" data-env="eu"></script>
import { ConfigurationError, isWidgetTokenError, type WidgetTokenError } from './errors.js';
import { loadScript } from './script-loader/load-script.js';
import { createTokenSource, type TokenSource } from './token-source/create-token-source.js';
import type { TokenSourceOptions } from './token-source/options.js';
import type { ScriptOptions, WidgetHandle } from './widgets/create-widget.js';
import { dgChat } from './widgets/dg-chat.js';
import { engagespot } from './widgets/engagespot.js';
import { iAdvize } from './widgets/iadvize.js';
import { viaSocket } from './widgets/via-socket.js';
import { videoSdk } from './widgets/video-sdk.js';

export * from './index.js';

type Data = DOMStringMap;

function required(data: Data, name: string, widget: string): string {
  const value = data[name];
  if (!value) {
    const attribute = `data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    throw new ConfigurationError(
      `<script data-widget="${widget}"> needs a ${attribute} attribute.`,
    );
  }
  return value;
}

function number(data: Data, name: string): number | undefined {
  const value = data[name];
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) {
    throw new ConfigurationError(`data-${name} must be a number, received "${value}".`);
  }
  return parsed;
}

function json(data: Data, name: string): Record<string, unknown> | undefined {
  const value = data[name];
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw new ConfigurationError(`data-${name} must be JSON, received "${value.slice(0, 60)}".`);
  }
}

function scriptOptions(data: Data, nonce: string): ScriptOptions {
  return {
    hints: data.hints !== 'false',
    script: {
      ...(nonce ? { nonce } : {}),
      ...(data.scriptIntegrity
        ? { integrity: data.scriptIntegrity, crossOrigin: 'anonymous' as const }
        : {}),
      ...(data.scriptTimeout ? { timeout: number(data, 'scriptTimeout') } : {}),
    },
  };
}

const ADAPTERS: Record<string, (tokens: TokenSource, data: Data, nonce: string) => WidgetHandle> = {
  viasocket: (tokens, data, nonce) =>
    viaSocket({
      tokens,
      parent: data.parent,
      config: json(data, 'config'),
      scriptUrl: data.scriptUrl,
      messageOrigin: data.messageOrigin,
      ...scriptOptions(data, nonce),
    }),
  'dg-chat': (tokens, data, nonce) =>
    dgChat({
      tokens,
      widgetId: required(data, 'widgetId', 'dg-chat'),
      env: required(data, 'env', 'dg-chat'),
      scriptUrl: data.scriptUrl,
      ...scriptOptions(data, nonce),
    }),
  iadvize: (tokens, data, nonce) =>
    iAdvize({
      tokens,
      sid: required(data, 'sid', 'iadvize'),
      platform: data.platform,
      scriptUrl: data.scriptUrl,
      ...scriptOptions(data, nonce),
    }),
  engagespot: (tokens, data, nonce) => {
    // Without a bundler the inbox comes from Engagespot's browser build, which defines a global
    // with render(target, props); its URL and global name are the host's to give.
    const target = required(data, 'target', 'engagespot');
    const scriptUrl = required(data, 'scriptUrl', 'engagespot');
    const global = data.global ?? 'Engagespot';
    const sdk = () =>
      (
        window as unknown as Record<
          string,
          { render(target: string, props: unknown): unknown } | undefined
        >
      )[global];
    return engagespot({
      tokens,
      apiKey: required(data, 'apiKey', 'engagespot'),
      userId: required(data, 'userId', 'engagespot'),
      async render(props) {
        await loadScript({
          url: scriptUrl,
          ...(nonce ? { nonce } : {}),
          isReady: () => sdk() !== undefined,
        });
        const unmount = sdk()!.render(target, props);
        return typeof unmount === 'function'
          ? (unmount as () => unknown)
          : () => document.querySelector(target)?.replaceChildren();
      },
    });
  },
  videosdk: (tokens, data, nonce) =>
    videoSdk({ tokens, scriptUrl: data.scriptUrl, ...scriptOptions(data, nonce) }),
};

function report(error: WidgetTokenError | Error): void {
  console.error(isWidgetTokenError(error) ? error.message : `[widget-token] ${error.message}`);
  document.dispatchEvent(new CustomEvent('widget-token:error', { detail: { error } }));
}

function startFromTag(script: HTMLScriptElement | null): {
  tokens?: TokenSource;
  widget?: WidgetHandle;
} {
  const data = script?.dataset;
  if (!data?.widget) return {};
  let tokens: TokenSource | undefined;
  try {
    const create = ADAPTERS[data.widget];
    if (!create) {
      throw new ConfigurationError(
        `data-widget="${data.widget}" is not a known widget; expected one of ${Object.keys(ADAPTERS).join(', ')}.`,
      );
    }
    const options: TokenSourceOptions = {
      url: required(data, 'tokenUrl', data.widget),
      method: data.tokenMethod,
      ttl: number(data, 'ttl'),
      // iAdvize retries itself and asks hosts not to add retries on top.
      ...(data.widget === 'iadvize' ? { retry: { attempts: 1 } } : {}),
    };
    tokens = createTokenSource(options);
    tokens.on('error', ({ error }) => report(error));
    const widget = create(tokens, data, script!.nonce ?? '');
    widget.on('error', ({ error }) => report(error));
    const stopTokens = tokens;
    widget.on('destroyed', () => stopTokens.stop());
    return { tokens, widget };
  } catch (error) {
    tokens?.stop();
    report(error as Error);
    return {};
  }
}

const started = startFromTag(document.currentScript as HTMLScriptElement | null);

/** The token source created from the tag's data- attributes, if it has `data-widget`. */
export const tokens = started.tokens;
/** The widget created from the tag's data- attributes, if it has `data-widget`. */
export const widget = started.widget;
