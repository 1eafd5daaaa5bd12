// dist/widget-token.iife.js: the script-tag build with every adapter. It reads the tag's data-
// attributes, starts the widget they name, and exposes it with the whole API on window.WidgetToken.
//
// <script src="widget-token.iife.js" data-widget="dg-chat" data-token-url="/api/dg-token"
//         data-widget-id="…" data-env="eu"></script>
import { startFromTag } from '../start-from-tag.js';
import { dgChatTag } from '../widgets/dg-chat.js';
import { engagespotTag } from '../widgets/engagespot.js';
import { iAdvizeTag } from '../widgets/iadvize.js';
import { intercomTag } from '../widgets/intercom.js';
import { zendeskTag } from '../widgets/zendesk.js';
import { videoSdkTag } from '../widgets/video-sdk.js';
import { viaSocketTag } from '../widgets/via-socket.js';

export * from '../../index.js';

const started = startFromTag(document.currentScript as HTMLScriptElement | null, {
  viasocket: viaSocketTag,
  'dg-chat': dgChatTag,
  iadvize: iAdvizeTag,
  engagespot: engagespotTag,
  videosdk: videoSdkTag,
  intercom: intercomTag,
  zendesk: zendeskTag,
});
/** The token source created from the tag's data- attributes, if it has `data-widget`. */
export const tokens = started.tokens;
/** The widget created from the tag's data- attributes, if it has `data-widget`. */
export const widget = started.widget;
