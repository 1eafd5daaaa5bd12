// What the script-tag builds do when loaded: read the tag's data- attributes, create the token
// source and the widget it names, and report every failure on the console and as a
// `widget-token:error` event (a tag has no caller to throw to).
import { ConfigurationError, isWidgetTokenError, type WidgetTokenError } from '../errors.js';
import { createTokenSource, type TokenSource } from '../token-source/create-token-source.js';
import type { TokenSourceOptions } from '../token-source/options.js';
import type { WidgetHandle } from '../widgets/create-widget.js';
import {
  closest,
  COMMON_ATTRIBUTES,
  flag,
  number,
  required,
  unknownAttributeWarnings,
  type Data,
} from './data-attributes.js';

/** How one widget is started from a tag: its data- attributes into adapter options. */
export interface TagWidget {
  create(tokens: TokenSource, data: Data, nonce: string): WidgetHandle;
  /** The data- attributes it reads beyond the common ones (dataset names: `widgetId`). */
  attributes: readonly string[];
  /** Token source settings the vendor asks for (iAdvize: no retries on top of its own). */
  tokenOptions?: Partial<TokenSourceOptions>;
}

/**
 * Reports each failure once, on the console and as a `widget-token:error` event. The widget
 * re-emits its token source's failures as its own (for hosts that listen to the widget only), so
 * the tag hears most failures twice: the same error object, reported the first time only.
 */
function createReporter(): (error: WidgetTokenError | Error) => void {
  const reported = new WeakSet<Error>();
  return (error) => {
    if (reported.has(error)) return;
    reported.add(error);
    console.error(isWidgetTokenError(error) ? error.message : `[widget-token] ${error.message}`);
    document.dispatchEvent(new CustomEvent('widget-token:error', { detail: { error } }));
  };
}

/** Starts the widget that `script`'s data-widget names, from the widgets this build contains. */
export function startFromTag(
  script: HTMLScriptElement | null,
  widgets: Record<string, TagWidget>,
): { tokens?: TokenSource; widget?: WidgetHandle } {
  const data = script?.dataset;
  if (!data?.widget) return {};
  const report = createReporter();
  let tokens: TokenSource | undefined;
  try {
    const tagWidget = widgets[data.widget];
    if (!tagWidget) {
      const suggestion = closest(data.widget, Object.keys(widgets));
      throw new ConfigurationError(
        `data-widget="${data.widget}" is not a widget of this file${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; it has ${Object.keys(widgets).join(', ')}.`,
      );
    }
    // Before anything can fail: a misspelled attribute is often why a required one is missing.
    for (const warning of unknownAttributeWarnings(data, [
      ...COMMON_ATTRIBUTES,
      ...tagWidget.attributes,
    ])) {
      console.warn(warning);
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
