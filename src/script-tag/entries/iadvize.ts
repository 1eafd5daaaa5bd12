// dist/widget-token.iadvize.iife.js: the script-tag build with only the iAdvize adapter.
import { startFromTag } from '../start-from-tag.js';
import { iAdvizeTag } from '../widgets/iadvize.js';

export * from '../../core.js';
export { iAdvize } from '../../widgets/iadvize.js';

const started = startFromTag(document.currentScript as HTMLScriptElement | null, {
  iadvize: iAdvizeTag,
});
/** The token source created from the tag's data- attributes, if it has `data-widget`. */
export const tokens = started.tokens;
/** The widget created from the tag's data- attributes, if it has `data-widget`. */
export const widget = started.widget;
