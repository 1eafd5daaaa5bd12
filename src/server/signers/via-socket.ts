import { SignerInputError } from '../errors.js';
import {
  issueTime,
  lifetimeSeconds,
  secretBytes,
  text,
  type Secret,
  requireOptions,
} from '../input.js';
import { defined, signJws, type SignedToken } from '../jws.js';

const VENDOR = 'viaSocket';

/** Inputs of {@link signViaSocketToken}: viaSocket Embed's documented HS256 token. */
export interface ViaSocketTokenOptions {
  /**
   * The embed's access key (viaSocket's `access_key`): the HS256 secret.
   * @example process.env.VIASOCKET_ACCESS_KEY
   */
  accessKey: Secret;
  /**
   * Your viaSocket organisation id (`org_id`).
   * @example '8069'
   */
  orgId: string;
  /**
   * The embed project's id (`project_id`).
   * @example 'projmdFTEvPR'
   */
  projectId: string;
  /**
   * Your user's unique id (`user_id`), usually an email or username.
   * @example user.email
   */
  userId: string;
  /**
   * Seconds until `exp`. viaSocket documents no expiry ("one token per page load"), so by default
   * the token has none and the browser half never refreshes it.
   * @default undefined (no `exp`)
   */
  lifetime?: number;
  /**
   * Issue time (`iat`), epoch seconds.
   * @default the current time
   */
  issuedAt?: number;
}

/**
 * viaSocket Embed: HS256 with the access key, header `{ alg, typ }`, claims
 * `{ org_id, project_id, user_id, iat }` (and `exp` when `lifetime` is set), as viaSocket's
 * documented example (jsonwebtoken's `sign(payload, accessKey)`) makes them.
 *
 * @example
 * ```ts
 * const { token } = await signViaSocketToken({
 *   accessKey: process.env.VIASOCKET_ACCESS_KEY!,
 *   orgId: '8069',
 *   projectId: 'projmdFTEvPR',
 *   userId: user.email,
 * });
 * ```
 */
export async function signViaSocketToken(options: ViaSocketTokenOptions): Promise<SignedToken> {
  requireOptions(VENDOR, options);
  const key = secretBytes(VENDOR, 'accessKey', options.accessKey);
  const claims = {
    org_id: text(VENDOR, 'orgId', options.orgId),
    project_id: text(VENDOR, 'projectId', options.projectId),
    user_id: text(VENDOR, 'userId', options.userId),
  };
  const iat = issueTime(VENDOR, options.issuedAt);
  if (options.lifetime === 0) {
    throw new SignerInputError(
      VENDOR,
      'lifetime',
      'is 0; leave it out for a token without expiry, or give a number of seconds.',
    );
  }
  const lifetime =
    options.lifetime === undefined
      ? undefined
      : lifetimeSeconds(VENDOR, options.lifetime, { fallback: 0 });
  const token = await signJws(
    { alg: 'HS256', typ: 'JWT' },
    defined({ ...claims, iat, exp: lifetime === undefined ? undefined : iat + lifetime }),
    key,
  );
  return lifetime === undefined ? { token } : { token, expiresIn: lifetime };
}
