import {
  issueTime,
  lifetimeSeconds,
  optionalText,
  secretBytes,
  text,
  type Secret,
  requireOptions,
} from '../input.js';
import { defined, signJws, type SignedToken } from '../jws.js';

const VENDOR = 'Intercom';

/** Inputs of {@link signIntercomToken}: Intercom's identity-verification JWT. */
export interface IntercomTokenOptions {
  /**
   * The workspace's identity verification secret: the HS256 secret.
   * @example process.env.INTERCOM_IDENTITY_SECRET
   */
  secret: Secret;
  /**
   * Your user's id (`user_id`, required by Intercom).
   * @example user.id
   */
  userId: string;
  /**
   * The user's email (`email`), if you send it.
   * @default undefined (left out)
   */
  email?: string;
  /**
   * Seconds until `exp`. Intercom throttles `update` (20 calls per 30 minutes): keep lifetimes of
   * at least 90 s.
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
 * Intercom Messenger: HS256 with the identity verification secret, header `{ alg, typ }`, claims
 * `{ user_id, email?, iat, exp }`.
 *
 * @example
 * ```ts
 * const answer = await signIntercomToken({ secret: env.INTERCOM_SECRET, userId: user.id, email: user.email });
 * ```
 */
export async function signIntercomToken(options: IntercomTokenOptions): Promise<SignedToken> {
  requireOptions(VENDOR, options);
  const key = secretBytes(VENDOR, 'secret', options.secret);
  const iat = issueTime(VENDOR, options.issuedAt);
  const lifetime = lifetimeSeconds(VENDOR, options.lifetime, { fallback: 3600 });
  const claims = defined({
    user_id: text(VENDOR, 'userId', options.userId),
    email: optionalText(VENDOR, 'email', options.email),
    iat,
    exp: iat + lifetime,
  });
  return { token: await signJws({ alg: 'HS256', typ: 'JWT' }, claims, key), expiresIn: lifetime };
}
