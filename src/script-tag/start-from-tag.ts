// What the script-tag builds do when loaded: read the tag's data- attributes, create the token
// source and the widget it names, and report every failure on the console and as a
// `widget-token:error` event (a tag has no caller to throw to).
import { ConfigurationError, isWidgetTokenError, type WidgetTokenError } from '../errors.js';
import { createTokenSource, type TokenSource } from '../token-source/create-token-source.js';
import type { TokenSourceOptions } from '../token-source/options.js';
import type { WidgetHandle } from '../widgets/create-widget.js';
import { flag, number, required, type Data } from './data-attributes.js';

/** How one widget is started from a tag: its data- attributes into adapter options. */
export interface TagWidget {
  create(tokens: TokenSource, data: Data, nonce: string): WidgetHandle;
  /** Token source settings the vendor asks for (iAdvize: no retries on top of its own). */
  tokenOptions?: Partial<TokenSourceOptions>;
}

function report(error: WidgetTokenError | Error): void {
  console.error(isWidgetTokenError(error) ? error.message : `[widget-token] ${error.message}`);
  document.dispatchEvent(new CustomEvent('widget-token:error', { detail: { error } }));
}

/** Starts the widget that `script`'s data-widget names, from the widgets this build contains. */
export function startFromTag(
  script: HTMLScriptElement | null,
  widgets: Record<string, TagWidget>,
): { tokens?: TokenSource; widget?: WidgetHandle } {
  const data = script?.dataset;
  if (!data?.widget) return {};
  let tokens: TokenSource | undefined;
  try {
    const tagWidget = widgets[data.widget];
    if (!tagWidget) {
      throw new ConfigurationError(
        `data-widget="${data.widget}" is not a widget of this file; it has ${Object.keys(widgets).join(', ')}.`,
      );
    }
    tokens = createTokenSource({
      url: required(data, 'tokenUrl'),
      method: data.tokenMethod,
      ttl: number(data, 'ttl'),
      allowCrossOrigin: flag(data, 'allowCrossOrigin'),
      ...tagWidget.tokenOptions,
    });
    tokens.on('error', ({ error }) => report(error));
    const widget = tagWidget.create(tokens, data, script!.nonce ?? '');
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
