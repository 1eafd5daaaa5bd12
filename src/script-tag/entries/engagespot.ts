// dist/widget-token.engagespot.iife.js: the script-tag build with only the engagespot adapter.
import { startFromTag } from '../start-from-tag.js';
import { engagespotTag } from '../widgets/engagespot.js';

export * from '../../core.js';
export { engagespot } from '../../widgets/engagespot.js';

const started = startFromTag(document.currentScript as HTMLScriptElement | null, {
  engagespot: engagespotTag,
});
/** The token source created from the tag's data- attributes, if it has `data-widget`. */
export const tokens = started.tokens;
/** The widget created from the tag's data- attributes, if it has `data-widget`. */
export const widget = started.widget;
