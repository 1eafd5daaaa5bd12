import { zendesk } from '../../widgets/zendesk.js';
import { number, required, scriptOptions } from '../data-attributes.js';
import type { TagWidget } from '../start-from-tag.js';

/** data-widget="zendesk": data-key, data-script-url, data-ready-timeout. */
export const zendeskTag: TagWidget = {
  attributes: ['key', 'readyTimeout'],
  create: (tokens, data, nonce) =>
    zendesk({
      tokens,
      key: required(data, 'key'),
      scriptUrl: data.scriptUrl,
      readyTimeout: number(data, 'readyTimeout'),
      ...scriptOptions(data, nonce),
    }),
};
