import { dgChat, type DgChatOptions } from '../../widgets/dg-chat.js';
import { required } from '../data-attributes.js';
import { type TagWidget } from '../start-from-tag.js';

/** data-widget="dg-chat": data-widget-id, data-env, data-script-url. */
export const dgChatTag: TagWidget<DgChatOptions> = {
  adapter: dgChat,
  attributes: { widgetId: required, env: required },
};
