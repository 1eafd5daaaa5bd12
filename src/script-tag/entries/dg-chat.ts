// dist/widget-token.dg-chat.iife.js: the script-tag build with only the dgChat adapter.
import { startFromTag } from '../start-from-tag.js';
import { dgChatTag } from '../widgets/dg-chat.js';

export * from '../../core.js';
export { dgChat } from '../../widgets/dg-chat.js';

const started = startFromTag(document.currentScript as HTMLScriptElement | null, {
  'dg-chat': dgChatTag,
});
/** The token source created from the tag's data- attributes, if it has `data-widget`. */
export const tokens = started.tokens;
/** The widget created from the tag's data- attributes, if it has `data-widget`. */
export const widget = started.widget;
