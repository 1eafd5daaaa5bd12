// Everything but the adapters: the token source, the script loader, createWidget and the errors.
// Shared by the ESM entry and every script-tag build.
export { createTokenSource } from './token-source/create-token-source.js';
export type { TokenSource } from './token-source/create-token-source.js';
export type {
  TokenSourceOptions,
  TokenResponse,
  RefreshMarginOptions,
  RetryOptions,
} from './token-source/options.js';
export type {
  TokenSourceEvents,
  RefreshReason,
  TokenSourcePhase,
  TokenSourceActivity,
  HeldTokenStatus,
} from './token-source/events.js';
export { loadScript, createScriptLoader } from './script-loader/load-script.js';
export type { LoadScriptOptions, ScriptLoader } from './script-loader/load-script.js';
export { TRUSTED_TYPES_POLICY } from './script-loader/script-url.js';
export { createWidget } from './widgets/create-widget.js';
export type {
  WidgetHandle,
  WidgetEvents,
  WidgetContext,
  WidgetDefinition,
  WidgetScript,
  ScriptOptions,
} from './widgets/create-widget.js';
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
