// The ESM entry. Importing it defines functions and classes only: no window access, listeners or
// timers, so it is safe to import during server-side rendering.
export { createTokenSource } from './token-source/create-token-source.js';
export type { TokenSource } from './token-source/create-token-source.js';
export type {
  TokenSourceOptions,
  TokenResponse,
  RefreshMarginOptions,
  RetryOptions,
} from './token-source/options.js';
export type { TokenSourceEvents, RefreshReason, TokenSourcePhase } from './token-source/events.js';
export { loadScript, createScriptLoader } from './script-loader/load-script.js';
export type { LoadScriptOptions, ScriptLoader } from './script-loader/load-script.js';
export { TRUSTED_TYPES_POLICY } from './script-loader/script-url.js';
export { createWidget } from './widgets/create-widget.js';
export type {
  WidgetHandle,
  WidgetEvents,
  WidgetContext,
  WidgetDefinition,
  ScriptOptions,
} from './widgets/create-widget.js';
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
export {
  WidgetTokenError,
  ConfigurationError,
  TokenRequestError,
  UnauthorizedError,
  TokenTimeoutError,
  TokenResponseError,
  StoppedError,
  ScriptLoadError,
  WidgetError,
  WidgetDestroyedError,
  isWidgetTokenError,
} from './errors.js';
export type { WidgetTokenErrorCode } from './errors.js';
