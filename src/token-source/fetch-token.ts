import ky, { isHTTPError } from 'ky';
import {
  describe,
  isWidgetTokenError,
  TokenRequestError,
  TokenResponseError,
  TokenTimeoutError,
  UnauthorizedError,
} from '../errors.js';
import type { ResolvedOptions, TokenResponse } from './options.js';
import { readToken, type TokenFacts } from './read-token.js';
import { parseRetryAfter } from './retry-policy.js';

/** A validated token and everything known about its expiry; times are raw, not yet scheduled. */
export interface FetchedToken {
  token: string;
  facts: TokenFacts;
  /** From `expiresIn` / `expires_in`, in ms. */
  expiresIn?: number;
  /** From `expiresAt` / `expires_at`, epoch ms on the server's clock. */
  expiresAt?: number;
  /** The response's `Date` header (server clock), epoch ms, when the browser may read it. */
  serverDate?: number;
}

// No token endpoint needs more; a larger body is a misrouted request (a page, a file), and reading
// it whole would cost the visitor memory for nothing.
const MAX_BODY_BYTES = 64 * 1024;

/**
 * Reads the body, at most MAX_BODY_BYTES of it. `abort` ends the request: past the cap, cancelling
 * the reader is not enough, because of the clone below.
 */
async function readCappedText(response: Response, abort: (reason: Error) => void): Promise<string> {
  const tooLarge = (size: number | string) =>
    new TokenResponseError(
      `The response body is ${size} bytes; at most ${MAX_BODY_BYTES} allowed.`,
    );
  const declared = Number(response.headers.get('content-length'));
  if (declared > MAX_BODY_BYTES) {
    await response.body?.cancel();
    throw tooLarge(declared);
  }
  if (!response.body) return '';
  // Chromium reports a response whose body only a stream reader drained as cancelled
  // (net::ERR_ABORTED) about half the time, which QA rightly reads as a failed request. A native
  // read of a clone, not awaited, lets the request finish normally; the clone holds no more than
  // the reader lets through before the cap ends the request. A Response made in the page (type
  // "default": a fetch override, a test double) has no network request to finish.
  if (response.type !== 'default') {
    response
      .clone()
      .arrayBuffer()
      .catch(() => {});
  }
  const reader = response.body.getReader();
  // Decoded as it arrives: a character split between chunks is joined by the decoder.
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_BODY_BYTES) {
      const error = tooLarge(`over ${MAX_BODY_BYTES}`);
      abort(error);
      throw error;
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** Parses the body by content type; never lets an HTML page or other surprise pass as a token. */
function parseBody(text: string, contentType: string, status: number): unknown {
  const trimmed = text.trim();
  if (trimmed === '') {
    throw new TokenResponseError(`The token endpoint answered ${status} with an empty body.`);
  }
  // Without a content type, the body tells: JSON if it starts like an object, else text.
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type.includes('json') || (!type && trimmed.startsWith('{'))) {
    try {
      return JSON.parse(trimmed);
    } catch (error) {
      throw new TokenResponseError(
        `The response is not valid JSON (${type || 'no type'}, ${text.length} chars).`,
        { cause: error },
      );
    }
  }
  if (type === 'text/html' || trimmed.startsWith('<')) {
    throw new TokenResponseError(
      `The token endpoint answered ${status} with an HTML page, not a token (wrong URL or login redirect?).`,
    );
  }
  if (type === 'text/plain' || !type) return trimmed;
  throw new TokenResponseError(`The response is ${type}; expected application/json or text/plain.`);
}

/** A number, or a string holding one: backends write both. */
const asNumber = (value: unknown): unknown =>
  typeof value === 'string' && value.trim() !== '' ? Number(value) : value;

function toSeconds(name: string, value: unknown): number {
  const number = asNumber(value);
  if (typeof number !== 'number' || !Number.isFinite(number) || number < 0) {
    throw new TokenResponseError(`\`${name}\` must be seconds, received ${typeof value}.`);
  }
  return number;
}

/** Epoch seconds, epoch ms or an ISO date → epoch ms. */
function toEpochMs(name: string, value: unknown): number {
  const number = asNumber(value);
  if (typeof number === 'number' && Number.isFinite(number) && number > 0) {
    // 1e11 s is the year 5138 and 1e11 ms is 1973: no real expiry is ambiguous.
    return number < 1e11 ? number * 1000 : number;
  }
  const parsed = typeof value === 'string' ? Date.parse(value) : NaN;
  if (Number.isNaN(parsed)) {
    throw new TokenResponseError(
      `\`${name}\` must be epoch s, epoch ms or an ISO date, received ${typeof value}.`,
    );
  }
  return parsed;
}

/** The response's expiry fields: each one's names, and its reader. */
const EXPIRY_FIELDS = [
  ['expiresIn', 'expires_in', (name: string, value: unknown) => toSeconds(name, value) * 1000],
  ['expiresAt', 'expires_at', toEpochMs],
] as const;

/** Reads `{token}`, `{token, expiresIn}`, `{token, expiresAt}`, `{access_token, expires_in}` or a bare string. */
function readTokenResponse(parsed: unknown): Omit<FetchedToken, 'facts' | 'serverDate'> {
  if (typeof parsed === 'string') return { token: parsed };
  // Another JSON value than an object has no token field: described as it is.
  const body = (
    typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed ?? {}) : {}
  ) as Record<string, unknown>;
  const token = body.token ?? body.access_token;
  if (typeof token !== 'string') {
    throw new TokenResponseError(
      token === undefined
        ? `Expected a JSON object with a \`token\` or \`access_token\`, received ${describe(parsed)}.`
        : `The token field is ${token === null ? 'null' : typeof token}, not a string.`,
    );
  }
  const result: Omit<FetchedToken, 'facts' | 'serverDate'> = { token };
  // Each expiry under its camelCase or snake_case name, the first one given.
  for (const [key, snake, read] of EXPIRY_FIELDS) {
    const name = [key, snake].find((name) => body[name] !== undefined);
    if (name) result[key] = read(name, body[name]);
  }
  return result;
}

/** The value of a host's option, called when it is a function; its failure is named for it. */
async function optionValue<T>(
  options: ResolvedOptions,
  name: 'body' | 'headers' | 'parse',
  args: unknown[] = [],
  Failure: new (message: string, details: { cause: unknown }) => Error = TokenRequestError,
): Promise<T> {
  const value = options[name];
  try {
    return typeof value === 'function'
      ? await (value as (...args: unknown[]) => T)(...args)
      : (value as T);
  } catch (cause) {
    throw new Failure(`The \`${name}\` option threw.`, { cause });
  }
}

async function send(options: ResolvedOptions, signal: AbortSignal): Promise<Response> {
  const body = await optionValue(options, 'body');
  // The host's own ky instance, when given, so its hooks (auth, CSRF, tracing) apply here too.
  const http = options.http ?? ky;
  try {
    return await http(options.url, {
      method: options.method,
      json: body,
      credentials: options.credentials,
      cache: 'no-store',
      signal,
      // Retries and the deadline belong to the token source: it must keep the current token,
      // emit events between attempts and cover the body, which ky's own timeout does not.
      retry: 0,
      timeout: false,
      hooks: {
        // Per-request headers, after the instance's own beforeRequest hooks.
        beforeRequest: [
          async (request) => {
            const headers = await optionValue<HeadersInit | undefined>(options, 'headers');
            new Headers(headers).forEach((value, name) => request.headers.set(name, value));
          },
        ],
      },
    });
  } catch (error) {
    // A status ky calls an error (and the host's beforeError hooks have seen) is still an answer:
    // its status decides what happens next.
    // (An abort is reported by fetchToken, with its reason.)
    if (isHTTPError(error)) return error.response;
    if (isWidgetTokenError(error)) throw error;
    throw new TokenRequestError(`The token request to ${options.url} failed: network error.`, {
      cause: error,
    });
  }
}

async function exchange(
  options: ResolvedOptions,
  controller: AbortController,
): Promise<FetchedToken> {
  const { signal } = controller;
  const response = await send(options, signal);
  const url = options.url.href;

  const { status, headers } = response;
  const origin = response.url && new URL(response.url).origin;
  // An answer that is not a token: its body is never read.
  const refusal =
    origin && origin !== options.url.origin
      ? new TokenResponseError(
          `The token request to ${url} was redirected to another origin (${origin}): refused.`,
        )
      : status === 401 || status === 403
        ? new UnauthorizedError(status, url)
        : !response.ok &&
          new TokenRequestError(`The token endpoint ${url} answered ${status}.`, {
            status,
            retryAfter: parseRetryAfter(headers.get('retry-after'), Date.now()),
          });
  if (refusal) {
    await response.body?.cancel();
    throw refusal;
  }

  const text = await readCappedText(response, (reason) => controller.abort(reason));
  const contentType = headers.get('content-type') ?? '';
  const fields = readTokenResponse(
    options.parse
      ? await optionValue<TokenResponse | string>(
          options,
          'parse',
          [contentType.includes('json') ? parseBody(text, contentType, status) : text, response],
          TokenResponseError,
        )
      : parseBody(text, contentType, status),
  );
  const facts = readToken(fields.token);
  const date = Date.parse(headers.get('date') ?? '');
  return { ...fields, facts, serverDate: Number.isNaN(date) ? undefined : date };
}

/**
 * Requests one token and validates it. The deadline covers headers and body alike; aborting
 * `signal` rejects with its reason and nothing is read afterwards.
 */
export async function fetchToken(
  options: ResolvedOptions,
  signal: AbortSignal,
): Promise<FetchedToken> {
  const controller = new AbortController();
  const forwardAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', forwardAbort);
  const deadline = setTimeout(
    () => controller.abort(new TokenTimeoutError(options.url.href, options.timeout)),
    options.timeout,
  );
  try {
    return await exchange(options, controller);
  } catch (error) {
    // A body read cut short by the deadline or stop() fails with a DOMException; report why.
    throw controller.signal.aborted ? controller.signal.reason : error;
  } finally {
    clearTimeout(deadline);
    signal.removeEventListener('abort', forwardAbort);
  }
}
