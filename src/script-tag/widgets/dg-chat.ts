import { dgChat } from '../../widgets/dg-chat.js';
import { required, scriptOptions } from '../data-attributes.js';
import type { TagWidget } from '../start-from-tag.js';

/** data-widget="dg-chat": data-widget-id, data-env, data-script-url. */
export const dgChatTag: TagWidget = {
  attributes: ['widgetId', 'env'],
  create: (tokens, data, nonce) =>
    dgChat({
      tokens,
      widgetId: required(data, 'widgetId'),
      env: required(data, 'env'),
      scriptUrl: data.scriptUrl,
      ...scriptOptions(data, nonce),
    }),
};
