import { intercom, type IntercomOptions } from '../../widgets/intercom.js';
import { json, required } from '../data-attributes.js';
import { type TagWidget } from '../start-from-tag.js';

/** data-widget="intercom": data-app-id, data-settings (JSON boot settings), data-script-url. */
export const intercomTag: TagWidget<IntercomOptions> = {
  adapter: intercom,
  attributes: { appId: required, settings: json },
};
