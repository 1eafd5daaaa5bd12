import { engagespot, type EngagespotOptions } from '../../widgets/engagespot.js';
import { required } from '../data-attributes.js';
import { optional, type TagWidget } from '../start-from-tag.js';

/** data-widget="engagespot": data-api-key, data-user-id, data-target, data-script-url, data-global. */
export const engagespotTag: TagWidget<EngagespotOptions> = {
  adapter: engagespot,
  attributes: {
    apiKey: required,
    userId: required,
    target: required,
    global: optional,
  },
};
