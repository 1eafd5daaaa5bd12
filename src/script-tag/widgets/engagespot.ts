import { engagespot } from '../../widgets/engagespot.js';
import { required, scriptOptions } from '../data-attributes.js';
import type { TagWidget } from '../start-from-tag.js';

/** data-widget="engagespot": data-api-key, data-user-id, data-target, data-script-url, data-global. */
export const engagespotTag: TagWidget = {
  attributes: ['apiKey', 'userId', 'target', 'global'],
  create: (tokens, data, nonce) =>
    engagespot({
      tokens,
      apiKey: required(data, 'apiKey'),
      userId: required(data, 'userId'),
      target: required(data, 'target'),
      scriptUrl: data.scriptUrl,
      global: data.global,
      ...scriptOptions(data, nonce),
    }),
};
