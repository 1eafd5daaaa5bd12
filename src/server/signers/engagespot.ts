import { issueTime, lifetimeSeconds, text, requireOptions } from '../input.js';
import { signJws, type SignedToken } from '../jws.js';
import { rsaKey, type PrivateKeyInput } from '../keys.js';

const VENDOR = 'Engagespot';

/** Inputs of {@link signEngagespotToken}: Engagespot's secure-mode RS256 token. */
export interface EngagespotTokenOptions {
  /**
   * Your Engagespot API key, sent as `apiKey`.
   * @example process.env.ENGAGESPOT_API_KEY
   */
  apiKey: string;
  /**
   * The signing key downloaded from Engagespot's console (PKCS#8 PEM or CryptoKey).
   * @example process.env.ENGAGESPOT_SIGNING_KEY
   */
  signingKey: PrivateKeyInput;
  /**
   * Your user's identifier: the token's `sub` is `user:<userId>`.
   * @example user.email
   */
  userId: string;
  /**
   * Seconds until `exp` (Engagespot's example: one hour).
   * @default 3600
   */
  lifetime?: number;
  /**
   * Issue time (`iat`), epoch seconds.
   * @default the current time
   */
  issuedAt?: number;
}

/**
 * Engagespot: RS256 with your signing key, header `{ alg, typ }`, claims
 * `{ sub: 'user:<userId>', apiKey, iat, exp }`, as Engagespot documents them.
 *
 * @example
 * ```ts
 * const answer = await signEngagespotToken({
 *   apiKey: env.ENGAGESPOT_API_KEY,
 *   signingKey: env.ENGAGESPOT_SIGNING_KEY,
 *   userId: user.id,
 * });
 * ```
 */
export async function signEngagespotToken(options: EngagespotTokenOptions): Promise<SignedToken> {
  requireOptions(VENDOR, options);
  const key = rsaKey(VENDOR, 'signingKey', options.signingKey, 'private', 'RS256');
  const userId = text(VENDOR, 'userId', options.userId);
  const apiKey = text(VENDOR, 'apiKey', options.apiKey);
  const iat = issueTime(VENDOR, options.issuedAt);
  const lifetime = lifetimeSeconds(VENDOR, options.lifetime, { fallback: 3600 });
  const token = await signJws(
    { alg: 'RS256', typ: 'JWT' },
    { sub: `user:${userId}`, apiKey, iat, exp: iat + lifetime },
    await key,
  );
  return { token, expiresIn: lifetime };
}
