// Every error the library raises or emits is a WidgetTokenError with a stable `code`, so hosts can
// branch on `error.code` without importing the classes. They all live in this one file because each
// is a few lines; splitting them would add files, not clarity.

/** Stable machine-readable codes, one per kind of failure. */
export type WidgetTokenErrorCode =
  | 'invalid_options'
  | 'request_failed'
  | 'unauthorized'
  | 'timeout'
  | 'bad_response'
  | 'stopped'
  | 'script_failed'
  | 'widget_failed'
  | 'destroyed';

export const MESSAGE_PREFIX = '[widget-token]';

/** Base class of every error raised or emitted by widget-token. */
export class WidgetTokenError extends Error {
  override name = 'WidgetTokenError';
  declare readonly code: WidgetTokenErrorCode;

  constructor(code: WidgetTokenErrorCode, message: string, options?: { cause?: unknown }) {
    super(`${MESSAGE_PREFIX} ${message}`, options);
    this.code = code;
  }
}

/** An option given to the library is missing or has the wrong type or value. */
export class ConfigurationError extends WidgetTokenError {
  override name = 'ConfigurationError';
  constructor(message: string) {
    super('invalid_options', message);
  }
}

/**
 * The token request failed: the network failed (no `status`) or the endpoint answered with a
 * status other than 2xx, 401 and 403.
 */
export class TokenRequestError extends WidgetTokenError {
  override name = 'TokenRequestError';
  /** HTTP status, or undefined when no response arrived (network failure). */
  declare readonly status: number | undefined;
  /** Delay asked for by the server's `Retry-After` header, in ms. */
  declare readonly retryAfter: number | undefined;

  constructor(
    message: string,
    details: { status?: number; retryAfter?: number; cause?: unknown } = {},
  ) {
    super('request_failed', message, { cause: details.cause });
    this.status = details.status;
    this.retryAfter = details.retryAfter;
  }
}

/** The endpoint answered 401 or 403: the visitor is not (or no longer) signed in. Never retried. */
export class UnauthorizedError extends WidgetTokenError {
  override name = 'UnauthorizedError';
  declare readonly status: number;
  constructor(status: number, url: string) {
    super(
      'unauthorized',
      `The token endpoint ${url} answered ${status}: not authorized; no retry until refresh().`,
    );
    this.status = status;
  }
}

/** The whole token exchange (headers and body) took longer than the `timeout` option. */
export class TokenTimeoutError extends WidgetTokenError {
  override name = 'TokenTimeoutError';
  declare readonly timeout: number;
  constructor(url: string, timeout: number) {
    super('timeout', `The token request to ${url} did not complete within ${timeout} ms.`);
    this.timeout = timeout;
  }
}

/**
 * The endpoint answered 2xx, but the body is not a usable token: wrong shape, not a token, expired
 * or too short-lived. The message says what was received, never the token itself.
 */
export class TokenResponseError extends WidgetTokenError {
  override name = 'TokenResponseError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('bad_response', message, options);
  }
}

/** The source was stopped; pending calls reject with this and nothing is delivered. */
export class StoppedError extends WidgetTokenError {
  override name = 'StoppedError';
  constructor() {
    super('stopped', 'The token source was stopped.');
  }
}

/** A vendor script failed to load, timed out, never became ready, or has a refused URL. */
export class ScriptLoadError extends WidgetTokenError {
  override name = 'ScriptLoadError';
  declare readonly url: string;
  declare readonly reason: 'insecure_url' | 'blocked' | 'network' | 'timeout' | 'not_ready';
  constructor(url: string, reason: ScriptLoadError['reason'], message: string) {
    super('script_failed', message);
    this.url = url;
    this.reason = reason;
  }
}

/** The vendor's widget reported a failure (e.g. iAdvize activation, a VideoSDK join error). */
export class WidgetError extends WidgetTokenError {
  override name = 'WidgetError';
  /** The vendor's own code or reason, when it gave one. */
  declare readonly vendorCode: string | number | undefined;
  constructor(message: string, vendorCode?: string | number, options?: { cause?: unknown }) {
    super('widget_failed', message, options);
    this.vendorCode = vendorCode;
  }
}

/** The widget was destroyed; a pending `ready` or call rejects with this. */
export class WidgetDestroyedError extends WidgetTokenError {
  override name = 'WidgetDestroyedError';
  constructor(widget: string) {
    super('destroyed', `The ${widget} widget was destroyed.`);
  }
}

/**
 * A value as messages show it: its type, a string's start, a number, an array's length, an
 * object's keys. Used where the value came from the host's code or a response, never for a token.
 */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `the string "${value.slice(0, 40)}"`;
  if (typeof value === 'number' || typeof value === 'boolean')
    return `the ${typeof value} ${value}`;
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof value !== 'object' || value === null) return value === null ? 'null' : typeof value;
  const keys = Object.keys(value);
  const shown = keys.slice(0, 10).join(', ') + (keys.length > 10 ? ', …' : '');
  return keys.length ? `an object with keys: ${shown}` : 'an empty object';
}

const ERROR_NAMES = new Set([
  'WidgetTokenError',
  'ConfigurationError',
  'TokenRequestError',
  'UnauthorizedError',
  'TokenTimeoutError',
  'TokenResponseError',
  'StoppedError',
  'ScriptLoadError',
  'WidgetError',
  'WidgetDestroyedError',
]);

/**
 * True when `value` is an error from this library, optionally of one `code`. It checks `name` and
 * `code` as well as `instanceof`, so it also works for errors from another frame or another copy of
 * the library.
 *
 * @example
 * tokens.on('error', ({ error }) => {
 *   if (isWidgetTokenError(error, 'unauthorized')) showLogin();
 * });
 */
export function isWidgetTokenError(
  value: unknown,
  code?: WidgetTokenErrorCode,
): value is WidgetTokenError {
  const looksLikeOurs =
    value instanceof WidgetTokenError ||
    (value instanceof Error &&
      ERROR_NAMES.has(value.name) &&
      typeof (value as { code?: unknown }).code === 'string');
  return looksLikeOurs && (code === undefined || (value as WidgetTokenError).code === code);
}
