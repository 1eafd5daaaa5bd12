import { viaSocket, type ViaSocketOptions } from '../../widgets/via-socket.js';
import { json } from '../data-attributes.js';
import { optional, type TagWidget } from '../start-from-tag.js';

/** data-widget="via-socket": data-parent, data-config (JSON), data-script-url, data-message-origin. */
export const viaSocketTag: TagWidget<ViaSocketOptions> = {
  adapter: viaSocket,
  attributes: { parent: optional, config: json, messageOrigin: optional },
};
