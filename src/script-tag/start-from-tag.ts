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
  scriptOptions,
  unknownAttributeWarnings,
  type Data,
} from './data-attributes.js';

/** Reads one data- attribute (dataset name) for the adapter option of the same name. */
export type Reader = (data: Data, name: string) => unknown;

/** An attribute as given; absent when missing. */
export const optional: Reader = (data, name) => data[name];

/**
 * How one widget is started from a tag. Every attribute it reads beyond the common ones goes to
 * the adapter option of the same name; data-script-url and the loader settings go to every adapter.
 */
export interface TagWidget<Options = any> {
  adapter(options: Options): WidgetHandle;
  /** The data- attributes it reads beyond the common ones (dataset names: `widgetId`), and how. */
  attributes: { [Name in keyof Options]?: Reader };
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
    const tag = widgets[data.widget];
    if (!tag) {
      const suggestion = closest(data.widget, Object.keys(widgets));
      throw new ConfigurationError(
        `data-widget="${data.widget}" is not a widget of this file${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; it has ${Object.keys(widgets).join(', ')}.`,
      );
    }
    // Before anything can fail: a misspelled attribute is often why a required one is missing.
    const attributes = tag.attributes as Record<string, Reader>;
    for (const warning of unknownAttributeWarnings(data, [
      ...COMMON_ATTRIBUTES,
      ...Object.keys(attributes),
    ])) {
      console.warn(warning);
    }
    tokens = createTokenSource({
      url: required(data, 'tokenUrl'),
      method: data.tokenMethod,
      ttl: number(data, 'ttl'),
      allowCrossOrigin: flag(data, 'allowCrossOrigin'),
      ...tag.tokenOptions,
    });
    tokens.on('error', ({ error }) => report(error));
    const options: Record<string, unknown> = {
      tokens,
      scriptUrl: data.scriptUrl,
      ...scriptOptions(data, script!.nonce ?? ''),
    };
    for (const name in attributes) options[name] = attributes[name]!(data, name);
    const widget = tag.adapter(options);
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
