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
export type { TokenSourceEvents, RefreshReason } from './token-source/events.js';
export {
  WidgetTokenError,
  ConfigurationError,
  TokenRequestError,
  UnauthorizedError,
  TokenTimeoutError,
  TokenResponseError,
  StoppedError,
  isWidgetTokenError,
} from './errors.js';
export type { WidgetTokenErrorCode } from './errors.js';
