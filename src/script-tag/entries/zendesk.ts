// dist/widget-token.zendesk.iife.js: the script-tag build with only the zendesk adapter.
import { startFromTag } from '../start-from-tag.js';
import { zendeskTag } from '../widgets/zendesk.js';

export * from '../../core.js';
export { zendesk, zendeskJwtCallback } from '../../widgets/zendesk.js';

const started = startFromTag(document.currentScript as HTMLScriptElement | null, {
  zendesk: zendeskTag,
});
/** The token source created from the tag's data- attributes, if it has `data-widget`. */
export const tokens = started.tokens;
/** The widget created from the tag's data- attributes, if it has `data-widget`. */
export const widget = started.widget;
