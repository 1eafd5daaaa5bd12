import type { KyInstance } from 'ky';
import { ConfigurationError, describe } from '../errors.js';

/** What a token endpoint may answer, once parsed. Durations in seconds, as backends write them. */
export interface TokenResponse {
  /** The token, exactly as the widget should receive it. */
  token: string;
  /** Seconds the token stays valid, counted from when the request started. */
  expiresIn?: number;
  /** Expiry on the server's clock: epoch seconds, epoch milliseconds, or an ISO 8601 date. */
  expiresAt?: number | string;
}

type MaybePromise<T> = T | Promise<T>;

/** How early, before expiry, a token is refreshed. All durations in milliseconds. */
export interface RefreshMarginOptions {
  /**
   * Fraction of the token's lifetime to refresh before it expires.
   * @default 0.2
   */
  ratio?: number;
  /**
   * Lower bound of the margin, in ms.
   * @default 5_000
   */
  min?: number;
  /**
   * Upper bound of the margin, in ms (before jitter).
   * @default 300_000
   */
  max?: number;
  /**
   * Up to this fraction of the lifetime is added to the margin at random, so that many clients
   * given tokens at the same moment do not all come back at the same moment. Capped at `max`.
   * @default 0.1
   */
  jitter?: number;
}

/** How failed requests are retried: exponential backoff with full jitter. */
export interface RetryOptions {
  /**
   * Attempts a `getToken()` or `refresh()` call waits for before it rejects. The source keeps
   * retrying in the background after that, at the capped backoff rate, until a request succeeds.
   * @default 3
   */
  attempts?: number;
  /**
   * Backoff base delay, in ms: attempt n waits a random time up to `baseDelay * 2^(n-1)`
   * (the first retry up to `baseDelay`), at least 100 ms.
   * @default 1_000
   */
  baseDelay?: number;
  /**
   * Backoff cap, in ms.
   * @default 60_000
   */
  maxDelay?: number;
  /**
   * Longest `Retry-After` honoured, in ms; a longer one is cut to this.
   * @default 600_000
   */
  maxRetryAfter?: number;
}

/**
 * Options of {@link createTokenSource}. Only `url` is required.
 *
 * @example
 * createTokenSource({
 *   url: '/api/widget-token',
 *   method: 'POST',
 *   headers: () => ({ 'X-CSRF-Token': readCsrfToken() }),
 *   body: { widget: 'dg-chat' },
 * });
 */
export interface TokenSourceOptions {
  /** The host's token endpoint; relative URLs resolve against the page. */
  url: string | URL;
  /**
   * HTTP method.
   * @default 'GET', or 'POST' when `body` is given
   */
  method?: string;
  /**
   * Request headers, or a function returning them for each request (e.g. a CSRF header).
   * @default none
   */
  headers?: HeadersInit | (() => MaybePromise<HeadersInit>);
  /**
   * A JSON body, or a function returning one for each request.
   * @default none
   */
  body?: unknown;
  /**
   * The ky instance to send the request with. Pass your app's own (`ky.extend({ hooks })`) so that
   * its hooks (auth headers, CSRF, tracing) apply to token requests too, and ky is not bundled
   * twice. The source still sets its own method, body, headers, `retry: 0` and `timeout: false`:
   * retries and the deadline are the source's.
   * @default the ky that widget-token imports
   * @example http: api.extend({ hooks: { beforeRequest: [addTraceId] } })
   */
  http?: KyInstance;
  /**
   * Fetch `credentials` mode. Cookies go to the page's own origin only, unless you say otherwise.
   * @default 'same-origin'
   */
  credentials?: RequestCredentials;
  /**
   * Allow a token URL on another origin than the page. Off so that a typo or an injected URL
   * cannot send the visitor's request elsewhere.
   * @default false
   */
  allowCrossOrigin?: boolean;
  /**
   * Time allowed for the whole exchange, headers and body, in ms.
   * @default 10_000
   */
  timeout?: number;
  /**
   * Turns the parsed body (JSON value, or text for non-JSON responses) into a token. Use it when
   * the backend answers in a shape the defaults do not read.
   * @default reads `{token}`, `{token, expiresIn}`, `{token, expiresAt}`, `{access_token, expires_in}` and text/plain
   * @example parse: (body) => ({ token: body.data.jwt, expiresIn: body.data.ttl })
   */
  parse?: (body: unknown, response: Response) => MaybePromise<TokenResponse | string>;
  /**
   * Lifetime, in ms, of tokens whose expiry can be read neither from the token nor the response
   * (opaque tokens, JWEs). Without it such tokens are valid until the source is stopped.
   * @default none
   */
  ttl?: number;
  /** When to refresh, relative to expiry. */
  refreshMargin?: RefreshMarginOptions;
  /** How to retry failed requests. */
  retry?: RetryOptions;
  /**
   * Share one token between all tabs of the origin: one tab fetches (under a Web Lock), every tab
   * receives it (BroadcastChannel), a new tab takes it from the others. Tabs share when they use
   * the same `url` and `key`; give a `key` such as the user id when tokens are per user. `false`
   * for tokens that are per tab. Where Web Locks or BroadcastChannel are missing, each tab
   * fetches for itself.
   * @default true
   */
  crossTab?: boolean | { key?: string };
}

/** The options once checked, defaults filled in (the given object's other fields pass as given). */
export interface ResolvedOptions extends Pick<
  TokenSourceOptions,
  'headers' | 'body' | 'http' | 'parse' | 'ttl'
> {
  url: URL;
  method: string;
  credentials: RequestCredentials;
  timeout: number;
  refreshMargin: Required<RefreshMarginOptions>;
  retry: Required<RetryOptions>;
  /** The channel and lock name shared by the tabs, or false for per-tab tokens. */
  crossTab: string | false;
}

/** The one shape of an option's message: what it must be, and what it was. */
export const invalidOption = (name: string, expected: string, value: unknown): ConfigurationError =>
  new ConfigurationError(`\`${name}\` must be ${expected}, received ${describe(value)}.`);

/** What an option must be, in words for its message, and the test of it. */
type Rule = [expected: string, test: (value: any) => boolean];

const numeric = (expected: string, test: (value: number) => boolean): Rule => [
  expected,
  (value) => typeof value === 'number' && test(value),
];
const DURATION = numeric('a duration in ms (a number ≥ 0)', (ms) => ms >= 0 && ms < Infinity);
const FRACTION = numeric('a fraction from 0 to below 1', (value) => value >= 0 && value < 1);
const isFunction = (value: unknown) => typeof value === 'function';
const CREDENTIAL_MODES = ['omit', 'same-origin', 'include'];

/** The options checked on their own, when given. */
const RULES: [keyof TokenSourceOptions, Rule][] = [
  ['http', ['a ky instance', isFunction]],
  ['headers', ['headers or a function', (value) => isFunction(value) || typeof value === 'object']],
  ['parse', ['a function', isFunction]],
  ['method', ['an HTTP method', (value) => /^[A-Za-z]+$/.test(value) && typeof value === 'string']],
  [
    'credentials',
    [`one of ${CREDENTIAL_MODES.join(', ')}`, (value) => CREDENTIAL_MODES.includes(value)],
  ],
  [
    'crossTab',
    [
      'true, false or { key: string }',
      (value) =>
        typeof value === 'boolean' ||
        (typeof value === 'object' &&
          !!value &&
          ['string', 'undefined'].includes(typeof value.key)),
    ],
  ],
  ['timeout', DURATION],
  ['ttl', DURATION],
];

/** The numeric settings of the two option groups: each one's default and rule. */
const GROUPS = {
  refreshMargin: {
    ratio: [0.2, FRACTION],
    min: [5_000, DURATION],
    max: [300_000, DURATION],
    jitter: [0.1, FRACTION],
  },
  retry: {
    attempts: [3, numeric('a whole number ≥ 1', (count) => Number.isInteger(count) && count > 0)],
    baseDelay: [1_000, DURATION],
    maxDelay: [60_000, DURATION],
    maxRetryAfter: [600_000, DURATION],
  },
} satisfies Record<string, Record<string, [number, Rule]>>;

function check(name: string, value: unknown, [expected, test]: Rule): void {
  if (!test(value)) throw invalidOption(name, expected, value);
}

/** One group's settings, each checked, defaults filled in. */
function resolveGroup<G extends keyof typeof GROUPS>(
  input: TokenSourceOptions,
  group: G,
): Record<keyof (typeof GROUPS)[G], number> {
  const given = (input[group] ?? {}) as Record<string, unknown>;
  const resolved: Record<string, unknown> = {};
  for (const [key, [fallback, rule]] of Object.entries(GROUPS[group])) {
    const value = (resolved[key] = given[key] === undefined ? fallback : given[key]);
    check(`${group}.${key}`, value, rule as Rule);
  }
  return resolved as Record<keyof (typeof GROUPS)[G], number>;
}

function resolveUrl(url: unknown, allowCrossOrigin: boolean): URL {
  if (typeof url !== 'string' && !(url instanceof URL)) {
    throw invalidOption('url', "the token endpoint's URL", url);
  }
  const page = globalThis.location;
  const base = page?.href;
  let resolved: URL;
  try {
    resolved = new URL(url, base);
  } catch {
    throw invalidOption(
      'url',
      base ? 'a valid URL' : 'an absolute URL outside a page',
      String(url),
    );
  }
  if (resolved.protocol !== 'https:' && resolved.protocol !== 'http:') {
    throw invalidOption('url', 'http(s)', resolved.protocol);
  }
  if (page && resolved.origin !== page.origin && !allowCrossOrigin) {
    throw new ConfigurationError(
      `\`url\` is on ${resolved.origin}, not the page's origin: set \`allowCrossOrigin: true\` (tag: data-allow-cross-origin) if intended.`,
    );
  }
  return resolved;
}

/** Checks every option once, with messages that say what was expected and what was received. */
export function resolveOptions(input: TokenSourceOptions): ResolvedOptions {
  if (typeof input !== 'object' || input === null) {
    throw invalidOption('options', 'an object with a `url`', input);
  }
  for (const [name, rule] of RULES) if (input[name] !== undefined) check(name, input[name], rule);
  const { method, body, timeout = 10_000, crossTab = true } = input;
  const refreshMargin = resolveGroup(input, 'refreshMargin');
  const url = resolveUrl(input.url, input.allowCrossOrigin === true);
  const resolved: ResolvedOptions = {
    ...input,
    url,
    method: (method ?? (body === undefined ? 'GET' : 'POST')).toUpperCase(),
    credentials: input.credentials ?? 'same-origin',
    timeout,
    refreshMargin,
    retry: resolveGroup(input, 'retry'),
    crossTab:
      crossTab &&
      `widget-token:${url.href}${crossTab !== true && crossTab.key ? `#${crossTab.key}` : ''}`,
  };
  if (timeout === 0) throw invalidOption('timeout', '> 0', 0);
  if (refreshMargin.min > refreshMargin.max) {
    throw invalidOption(
      'refreshMargin.min',
      `≤ refreshMargin.max (${refreshMargin.max})`,
      refreshMargin.min,
    );
  }
  if (resolved.method === 'GET' && body !== undefined) {
    throw invalidOption(
      'method',
      'POST (or another method with a body) when `body` is given',
      'GET',
    );
  }
  return resolved;
}
