import { iAdvize, type IAdvizeOptions } from '../../widgets/iadvize.js';
import { required } from '../data-attributes.js';
import { optional, type TagWidget } from '../start-from-tag.js';

/** data-widget="iadvize": data-sid, data-platform, data-script-url. */
export const iAdvizeTag: TagWidget<IAdvizeOptions> = {
  adapter: iAdvize,
  attributes: { sid: required, platform: optional },
  // iAdvize retries itself and asks hosts not to add retries on top.
  tokenOptions: { retry: { attempts: 1 } },
};
