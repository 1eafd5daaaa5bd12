// dist/widget-token.viasocket.iife.js: the script-tag build with only the viaSocket adapter.
import { startFromTag } from '../start-from-tag.js';
import { viaSocketTag } from '../widgets/via-socket.js';

export * from '../../core.js';
export { viaSocket } from '../../widgets/via-socket.js';

const started = startFromTag(document.currentScript as HTMLScriptElement | null, {
  viasocket: viaSocketTag,
});
/** The token source created from the tag's data- attributes, if it has `data-widget`. */
export const tokens = started.tokens;
/** The widget created from the tag's data- attributes, if it has `data-widget`. */
export const widget = started.widget;
