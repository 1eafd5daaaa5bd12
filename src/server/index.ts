// widget-token/server: each vendor's token signer and a token endpoint for Fetch-API servers.
// jose and WebCrypto only (plus CompressionStream for Agora): it runs on Node ≥ 20, Deno, Bun,
// Cloudflare Workers and Vercel's runtimes. Nothing here reaches the browser entries.
export { SignerInputError } from './errors.js';
export type { SignerVendor } from './errors.js';
export type { Secret } from './input.js';
export type { PrivateKeyInput, PublicKeyInput } from './keys.js';
export type { SignedToken } from './jws.js';
export { tokenEndpoint, isCrossSite } from './endpoint.js';
export type { TokenEndpointOptions } from './endpoint.js';
export { signViaSocketToken } from './signers/via-socket.js';
export type { ViaSocketTokenOptions } from './signers/via-socket.js';
export { signDgChatToken } from './signers/dg-chat.js';
export type { DgChatTokenOptions } from './signers/dg-chat.js';
export { signVideoSdkToken } from './signers/video-sdk.js';
export type { VideoSdkTokenOptions, VideoSdkPermission } from './signers/video-sdk.js';
export { signIAdvizeToken } from './signers/iadvize.js';
export type { IAdvizeTokenOptions, IAdvizeVisitorData } from './signers/iadvize.js';
export { signEngagespotToken } from './signers/engagespot.js';
export type { EngagespotTokenOptions } from './signers/engagespot.js';
export { signIntercomToken } from './signers/intercom.js';
export type { IntercomTokenOptions } from './signers/intercom.js';
export { signZendeskToken } from './signers/zendesk.js';
export type { ZendeskTokenOptions } from './signers/zendesk.js';
export { signTwilioAccessToken } from './signers/twilio.js';
export type { TwilioAccessTokenOptions, TwilioGrants } from './signers/twilio.js';
export { signStreamChatToken } from './signers/stream-chat.js';
export type { StreamChatTokenOptions } from './signers/stream-chat.js';
export { signKnockToken } from './signers/knock.js';
export type { KnockTokenOptions, KnockTokenGrant } from './signers/knock.js';
export { signAgoraRtcToken } from './signers/agora.js';
export type { AgoraRtcTokenOptions } from './signers/agora.js';
export { signLiveKitToken } from './signers/livekit.js';
export type { LiveKitTokenOptions, LiveKitVideoGrant } from './signers/livekit.js';
