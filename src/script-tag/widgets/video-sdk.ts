import { videoSdk, type VideoSdkOptions } from '../../widgets/video-sdk.js';
import { type TagWidget } from '../start-from-tag.js';

/** data-widget="video-sdk": data-script-url. */
export const videoSdkTag: TagWidget<VideoSdkOptions> = {
  adapter: videoSdk,
  attributes: {},
};
