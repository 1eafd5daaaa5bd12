// The token endpoint for Fetch-API servers (Workers, Deno, Bun, Next.js route handlers, Hono, and
// Node through a two-line adapter): authenticate, refuse, sign, answer, and nothing that could leak.
import { SignerInputError } from './errors.js';
import type { SignedToken } from './jws.js';

type MaybePromise<T> = T | Promise<T>;

/** Options of {@link tokenEndpoint}. */
export interface TokenEndpointOptions<User> {
  /**
   * Who is asking: the signed-in user from your session (cookie, header), or `null`/`undefined`/
   * `false` when nobody is, which answers 401. A throw answers 500 (the browser retries later).
   * @example (request) => sessions.userFrom(request.headers.get('cookie'))
   */
  authenticate: (request: Request) => MaybePromise<User | null | undefined | false>;
  /**
   * Signs a token for that user: one of this module's signers, with your keys.
   * @example (user) => signDgChatToken({ apiKey, apiSecret, externalId: user.id })
   */
  sign: (user: User, request: Request) => MaybePromise<SignedToken>;
  /**
   * Origins (scheme://host[:port]) whose pages may ask from another site, with credentials; each
   * gets CORS headers and an answer to its preflight. Everything else cross-site is refused (403).
   * Behind a proxy that changes the Host, also list your own public origin here.
   * @default [] (same-origin only)
   * @example ['https://app.example.com']
   */
  allowedOrigins?: string[];
  /**
   * Methods answered; any other gets 405. The browser half asks with GET unless told otherwise.
   * @default ['GET', 'POST']
   */
  methods?: string[];
  /**
   * Hears what went wrong in `authenticate` or `sign` (the answer is then a bare 500). The default
   * logs one line: a SignerInputError's message (it names vendor and field, never a secret), or
   * only the error's name for anything else, since a host's error may quote a session or a key.
   * Tokens are never logged.
   * @default one line on console.error
   */
  onError?: (error: unknown, request: Request) => void;
}

const PREFIX = '[widget-token/server] token endpoint:';

function defaultOnError(error: unknown): void {
  const description =
    error instanceof SignerInputError
      ? error.message
      : `${error instanceof Error ? error.name : typeof error} (details withheld; pass onError to log them)`;
  console.error(`${PREFIX} ${description}`);
}

/**
 * Whether a browser sent this request from another site. `Sec-Fetch-Site` when present (every
 * current browser sends it); otherwise the `Origin` header against the request's own origin; a
 * request with neither comes from no page (curl, a server) and is not a cross-site one.
 */
export function isCrossSite(request: Request): boolean {
  const site = request.headers.get('sec-fetch-site');
  if (site) return site !== 'same-origin' && site !== 'none';
  const origin = request.headers.get('origin');
  if (!origin) return false;
  return origin !== new URL(request.url).origin;
}

/**
 * A token endpoint: `(request) => Response`. It answers 200 `{ token, expiresIn }` for a signed-in
 * user, 401 when `authenticate` finds nobody, 403 to a cross-site request from an origin not in
 * `allowedOrigins`, 405 to other methods, 500 (no details) when authenticating or signing throws;
 * always with `Cache-Control: no-store`.
 *
 * @example
 * ```ts
 * // Next.js route handler, app/api/dg-token/route.ts
 * import { signDgChatToken, tokenEndpoint } from 'widget-token/server';
 * const endpoint = tokenEndpoint({
 *   authenticate: async () => (await auth())?.user,
 *   sign: (user) => signDgChatToken({ apiKey: env.DG_API_KEY, apiSecret: env.DG_API_SECRET, externalId: user.id }),
 * });
 * export { endpoint as GET, endpoint as POST };
 * ```
 */
export function tokenEndpoint<User>(
  options: TokenEndpointOptions<User>,
): (request: Request) => Promise<Response> {
  if (typeof options?.authenticate !== 'function' || typeof options.sign !== 'function') {
    throw new TypeError(`${PREFIX} needs \`authenticate\` and \`sign\` functions.`);
  }
  const methods = (options.methods ?? ['GET', 'POST']).map((method) => method.toUpperCase());
  const allowed = new Set(options.allowedOrigins ?? []);
  const report = options.onError ?? defaultOnError;

  return async (request) => {
    const origin = request.headers.get('origin');
    const trusted = origin !== null && allowed.has(origin);
    const headers: Record<string, string> = {
      'cache-control': 'no-store',
      'content-type': 'application/json; charset=utf-8',
      'x-content-type-options': 'nosniff',
      vary: 'Origin',
    };
    if (trusted) {
      headers['access-control-allow-origin'] = origin;
      headers['access-control-allow-credentials'] = 'true';
    }
    const answer = (status: number, body: unknown, extra: Record<string, string> = {}) =>
      new Response(body === null ? null : JSON.stringify(body), {
        status,
        headers: { ...headers, ...extra },
      });

    if (isCrossSite(request) && !trusted) {
      return answer(403, { error: 'cross-site request refused' });
    }
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS' && trusted) {
      return answer(204, null, {
        'access-control-allow-methods': methods.join(', '),
        'access-control-allow-headers': request.headers.get('access-control-request-headers') ?? '',
        'access-control-max-age': '600',
      });
    }
    if (!methods.includes(method)) {
      return answer(405, { error: 'method not allowed' }, { allow: methods.join(', ') });
    }
    let user: User | null | undefined | false;
    try {
      user = await options.authenticate(request);
    } catch (error) {
      report(error, request);
      return answer(500, { error: 'authentication failed' });
    }
    if (user === null || user === undefined || user === false) {
      return answer(401, { error: 'not signed in' });
    }
    let signed: SignedToken;
    try {
      signed = await options.sign(user, request);
      if (typeof signed?.token !== 'string' || signed.token === '') {
        throw new TypeError('sign() returned no token string');
      }
    } catch (error) {
      report(error, request);
      return answer(500, { error: 'token signing failed' });
    }
    const body: SignedToken = { token: signed.token };
    if (signed.expiresIn !== undefined) body.expiresIn = signed.expiresIn;
    return answer(200, body);
  };
}
