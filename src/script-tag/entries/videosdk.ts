// dist/widget-token.videosdk.iife.js: the script-tag build with only the videoSdk adapter.
import { startFromTag } from '../start-from-tag.js';
import { videoSdkTag } from '../widgets/video-sdk.js';

export * from '../../core.js';
export { videoSdk } from '../../widgets/video-sdk.js';

const started = startFromTag(document.currentScript as HTMLScriptElement | null, {
  videosdk: videoSdkTag,
});
/** The token source created from the tag's data- attributes, if it has `data-widget`. */
export const tokens = started.tokens;
/** The widget created from the tag's data- attributes, if it has `data-widget`. */
export const widget = started.widget;
