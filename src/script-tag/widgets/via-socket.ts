import { viaSocket } from '../../widgets/via-socket.js';
import { json, scriptOptions } from '../data-attributes.js';
import type { TagWidget } from '../start-from-tag.js';

/** data-widget="via-socket": data-parent, data-config (JSON), data-script-url, data-message-origin. */
export const viaSocketTag: TagWidget = {
  attributes: ['parent', 'config', 'messageOrigin'],
  create: (tokens, data, nonce) =>
    viaSocket({
      tokens,
      parent: data.parent,
      config: json(data, 'config'),
      scriptUrl: data.scriptUrl,
      messageOrigin: data.messageOrigin,
      ...scriptOptions(data, nonce),
    }),
};
