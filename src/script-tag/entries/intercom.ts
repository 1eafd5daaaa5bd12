// dist/widget-token.intercom.iife.js: the script-tag build with only the intercom adapter.
import { startFromTag } from '../start-from-tag.js';
import { intercomTag } from '../widgets/intercom.js';

export * from '../../core.js';
export { intercom } from '../../widgets/intercom.js';

const started = startFromTag(document.currentScript as HTMLScriptElement | null, {
  intercom: intercomTag,
});
/** The token source created from the tag's data- attributes, if it has `data-widget`. */
export const tokens = started.tokens;
/** The widget created from the tag's data- attributes, if it has `data-widget`. */
export const widget = started.widget;
