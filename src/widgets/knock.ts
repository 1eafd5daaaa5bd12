import { ConfigurationError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';
import { createWidget, type WidgetHandle } from './create-widget.js';
import { checkHostSdk, resolveHostSdk, type HostSdk } from './host-sdk.js';
import { nextToken } from './next-token.js';

/** The `onUserTokenExpiring` callback of `@knocklabs/client`. */
export type KnockTokenExpiring = (
  currentToken: string,
  decoded: unknown,
) => Promise<string | undefined>;

/** The part of a `@knocklabs/client` 0.22 `Knock` instance the adapter uses. */
export interface KnockLike {
  authenticate(
    user: { id: string; [property: string]: unknown },
    userToken: string,
    options?: {
      onUserTokenExpiring?: KnockTokenExpiring;
      timeBeforeExpirationInMs?: number;
      identificationStrategy?: 'inline' | 'skip';
    },
  ): void;
  logout(): void;
}

/** Options of {@link knock}. */
export interface KnockOptions {
  tokens: TokenSource;
  /**
   * The host's `new Knock(publicApiKey, { host? })`, or a function that creates it
   * (`() => import('@knocklabs/client').then(…)`).
   */
  knock: HostSdk<KnockLike>;
  /** The user: a Knock user id (the token's `sub`), or `{ id, …properties }` to identify inline. */
  user: string | { id: string; [property: string]: unknown };
  /**
   * Passed to Knock: how long before `exp` its own timer asks for a new token, in ms. The adapter
   * hands each new token over at the source's refresh margin (at least 5 s before `exp` by
   * default), so Knock's timer is only a fallback and comes after it. Knock's own default, 30 s,
   * would come first and make a request at half-life: twice the requests for 60 s tokens.
   * @default 2_000
   */
  timeBeforeExpirationInMs?: number;
}

/**
 * A Knock `onUserTokenExpiring` callback answered from the token source: a token newer than the one
 * expiring (the current one while it is fresh, no request; else one request shared by every caller
 * and every tab). Knock asks once per token: during an outage the answer waits for the source's
 * next token rather than leave Knock without one. It never rejects (Knock awaits the callback inside
 * a timer, so a rejection would go unhandled): once the source stopped, or when the refresh it
 * needs fails, it resolves undefined; the source reports failures with its `error` event.
 *
 * @example
 * knock.authenticate({ id: 'ada' }, await tokens.getToken(), {
 *   onUserTokenExpiring: knockTokenExpiring(tokens),
 * });
 */
export function knockTokenExpiring(tokens: TokenSource): KnockTokenExpiring {
  return (currentToken) => newerToken(currentToken, () => nextToken(tokens), tokens);
}

async function newerToken(
  currentToken: string,
  getToken: () => Promise<string>,
  tokens: TokenSource,
): Promise<string | undefined> {
  try {
    const token = await getToken();
    // Knock refuses a "new" token that does not expire later than the old one, and then stops
    // asking: never hand back the token it is replacing.
    return token === currentToken ? await tokens.refresh() : token;
  } catch {
    return undefined;
  }
}

/**
 * Knock in-app feeds (`@knocklabs/client` 0.22). Authenticates the host's Knock instance with the
 * first token, then calls `authenticate(user, newToken)` with every new token before the old one
 * expires (Knock sends it as `X-Knock-User-Token` and to its socket). Knock's own
 * `onUserTokenExpiring` timer stays set as a fallback, answered from the source. Only the first
 * authentication of a `user` object identifies it inline; a bare user id and every refresh send no
 * user update. `logout()` and
 * `destroy()` call Knock's `logout()`, which closes its socket and forgets the token.
 *
 * @example
 * const tokens = createTokenSource({ url: '/api/knock-token' });
 * const feed = knock({ tokens, knock: new Knock('pk_test_…'), user: 'ada' });
 * await feed.ready;
 */
export function knock(options: KnockOptions): WidgetHandle {
  const { tokens } = options;
  checkHostSdk(options.knock, 'knock', 'knock', 'a Knock instance');
  const user = typeof options.user === 'string' ? { id: options.user } : options.user;
  if (typeof user !== 'object' || user === null || typeof user.id !== 'string' || !user.id) {
    throw new ConfigurationError(
      `knock() needs \`user\`: a user id or { id }; received ${JSON.stringify(options.user)}.`,
    );
  }
  const margin = options.timeBeforeExpirationInMs;
  if (margin !== undefined && !(Number.isFinite(margin) && margin >= 0)) {
    throw new ConfigurationError(
      `knock(): \`timeBeforeExpirationInMs\` must be a number of ms ≥ 0, received ${String(margin)}.`,
    );
  }
  let reauthenticate: ((token: string) => void) | undefined;

  return createWidget({
    name: 'knock',
    tokens,
    async start(context) {
      const token = context.token();
      token.catch(() => {}); // awaited below; a failed import must not leave it unhandled
      const authenticated = await resolveHostSdk(options.knock);
      const first = await token;
      context.throwIfDestroyed();
      const expiring: KnockTokenExpiring = (currentToken) =>
        newerToken(
          currentToken,
          () => nextToken(tokens, context.signal).then(() => context.token()),
          tokens,
        );
      const authenticate = (userToken: string, identify: boolean) =>
        authenticated.authenticate(identify ? user : { id: user.id }, userToken, {
          onUserTokenExpiring: expiring,
          timeBeforeExpirationInMs: margin ?? 2_000,
          ...(identify ? {} : { identificationStrategy: 'skip' as const }),
        });
      reauthenticate = (userToken) => authenticate(userToken, false);
      // A bare user id has nothing to identify: the inline identify would send an empty update.
      authenticate(first, typeof options.user === 'object');
      context.cleanup(() => authenticated.logout());
    },
    deliver(token) {
      reauthenticate?.(token);
    },
    // No logout step: the clean-up's Knock logout() already ends the session.
  });
}
