import { SignerInputError } from '../errors.js';
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

const VENDOR = 'Zendesk';

/** Inputs of {@link signZendeskToken}: Zendesk messaging's authenticated-visitor JWT. */
export interface ZendeskTokenOptions {
  /**
   * The messaging signing key's id (`app_…`): goes into the header as `kid`.
   * @example process.env.ZENDESK_KEY_ID
   */
  keyId: string;
  /**
   * The signing key's secret: the HS256 secret.
   * @example process.env.ZENDESK_SECRET
   */
  secret: Secret;
  /**
   * Your user's id (`external_id`), at most 255 characters.
   * @example user.id
   */
  externalId: string;
  /**
   * The user's name (`name`).
   * @default undefined (left out)
   */
  name?: string;
  /**
   * The user's email (`email`).
   * @default undefined (left out)
   */
  email?: string;
  /**
   * Whether you verified `email` (`email_verified`).
   * @default undefined (left out)
   */
  emailVerified?: boolean;
  /**
   * Seconds until `exp`. Zendesk asks the page for a new JWT when the one it holds expires.
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
 * Zendesk messaging: HS256 with the signing key's secret, header `{ alg, typ, kid: keyId }`,
 * claims `{ external_id, scope: 'user', name?, email?, email_verified?, iat, exp }`.
 *
 * @example
 * ```ts
 * const answer = await signZendeskToken({
 *   keyId: env.ZENDESK_KEY_ID,
 *   secret: env.ZENDESK_SECRET,
 *   externalId: user.id,
 *   name: user.name,
 * });
 * ```
 */
export async function signZendeskToken(options: ZendeskTokenOptions): Promise<SignedToken> {
  requireOptions(VENDOR, options);
  const key = secretBytes(VENDOR, 'secret', options.secret);
  const kid = text(VENDOR, 'keyId', options.keyId);
  if (options.emailVerified !== undefined && typeof options.emailVerified !== 'boolean') {
    throw new SignerInputError(VENDOR, 'emailVerified', 'must be true or false.');
  }
  const iat = issueTime(VENDOR, options.issuedAt);
  const lifetime = lifetimeSeconds(VENDOR, options.lifetime, { fallback: 3600 });
  const claims = defined({
    external_id: text(VENDOR, 'externalId', options.externalId, { maxLength: 255 }),
    scope: 'user',
    name: optionalText(VENDOR, 'name', options.name),
    email: optionalText(VENDOR, 'email', options.email),
    email_verified: options.emailVerified,
    iat,
    exp: iat + lifetime,
  });
  return {
    token: await signJws({ alg: 'HS256', typ: 'JWT', kid }, claims, key),
    expiresIn: lifetime,
  };
}
