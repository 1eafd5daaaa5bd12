import { iAdvize } from '../../widgets/iadvize.js';
import { required, scriptOptions } from '../data-attributes.js';
import type { TagWidget } from '../start-from-tag.js';

/** data-widget="iadvize": data-sid, data-platform, data-script-url. */
export const iAdvizeTag: TagWidget = {
  attributes: ['sid', 'platform'],
  create: (tokens, data, nonce) =>
    iAdvize({
      tokens,
      sid: required(data, 'sid'),
      platform: data.platform,
      scriptUrl: data.scriptUrl,
      ...scriptOptions(data, nonce),
    }),
  // iAdvize retries itself and asks hosts not to add retries on top.
  tokenOptions: { retry: { attempts: 1 } },
};
