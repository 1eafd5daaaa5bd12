// The ESM entry. Importing it defines functions and classes only: no window access, listeners or
// timers, so it is safe to import during server-side rendering.
export * from './core.js';
export { viaSocket } from './widgets/via-socket.js';
export type { ViaSocketOptions, ViaSocketWidget, ViaSocketEvents } from './widgets/via-socket.js';
export { dgChat } from './widgets/dg-chat.js';
export type { DgChatOptions } from './widgets/dg-chat.js';
export { iAdvize } from './widgets/iadvize.js';
export type {
  IAdvizeOptions,
  IAdvizeWidget,
  IAdvizeEvents,
  IAdvizeActivation,
} from './widgets/iadvize.js';
export { engagespot } from './widgets/engagespot.js';
export type { EngagespotOptions, EngagespotProps } from './widgets/engagespot.js';
export { videoSdk } from './widgets/video-sdk.js';
export type {
  VideoSdkOptions,
  VideoSdkWidget,
  VideoSdkLike,
  VideoSdkMeeting,
} from './widgets/video-sdk.js';
export { streamChat, streamTokenProvider } from './widgets/stream-chat.js';
export type { StreamChatOptions, StreamChatLike } from './widgets/stream-chat.js';
export type { HostSdk } from './widgets/host-sdk.js';
export { knock, knockTokenExpiring } from './widgets/knock.js';
export type { KnockOptions, KnockLike, KnockTokenExpiring } from './widgets/knock.js';
export { intercom } from './widgets/intercom.js';
export type { IntercomOptions } from './widgets/intercom.js';
export { zendesk, zendeskJwtCallback } from './widgets/zendesk.js';
export type { ZendeskOptions, ZendeskJwtCallback, ZendeskLoginError } from './widgets/zendesk.js';
export { twilioConversations } from './widgets/twilio-conversations.js';
export { agora, toAgoraToken } from './widgets/agora.js';
export type { AgoraOptions, AgoraClientLike, AgoraEvents, AgoraUid } from './widgets/agora.js';
export { liveKitTokenSource } from './widgets/livekit.js';
export type { LiveKitTokenResponse } from './widgets/livekit.js';
export type {
  TwilioConversationsOptions,
  TwilioConversationsLike,
} from './widgets/twilio-conversations.js';
