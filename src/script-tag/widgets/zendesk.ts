import { zendesk, type ZendeskOptions } from '../../widgets/zendesk.js';
import { number, required } from '../data-attributes.js';
import { type TagWidget } from '../start-from-tag.js';

/** data-widget="zendesk": data-key, data-script-url, data-ready-timeout. */
export const zendeskTag: TagWidget<ZendeskOptions> = {
  adapter: zendesk,
  attributes: { key: required, readyTimeout: number },
};
