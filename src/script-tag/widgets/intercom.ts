import { intercom } from '../../widgets/intercom.js';
import { json, required, scriptOptions } from '../data-attributes.js';
import type { TagWidget } from '../start-from-tag.js';

/** data-widget="intercom": data-app-id, data-settings (JSON boot settings), data-script-url. */
export const intercomTag: TagWidget = {
  attributes: ['appId', 'settings'],
  create: (tokens, data, nonce) =>
    intercom({
      tokens,
      appId: required(data, 'appId'),
      settings: json(data, 'settings'),
      scriptUrl: data.scriptUrl,
      ...scriptOptions(data, nonce),
    }),
};
