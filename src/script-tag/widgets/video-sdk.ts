import { videoSdk } from '../../widgets/video-sdk.js';
import { scriptOptions } from '../data-attributes.js';
import type { TagWidget } from '../start-from-tag.js';

/** data-widget="video-sdk": data-script-url. */
export const videoSdkTag: TagWidget = {
  attributes: [],
  create: (tokens, data, nonce) =>
    videoSdk({ tokens, scriptUrl: data.scriptUrl, ...scriptOptions(data, nonce) }),
};
