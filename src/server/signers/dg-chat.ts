import {
  issueTime,
  lifetimeSeconds,
  secretBytes,
  text,
  type Secret,
  requireOptions,
} from '../input.js';
import { signJws, type SignedToken } from '../jws.js';

const VENDOR = 'DigitalGenius';

/** Inputs of {@link signDgChatToken}: DigitalGenius chat's documented HS256 token. */
export interface DgChatTokenOptions {
  /**
   * The DG API key: goes into the header as `kid`. Not secret, but must match the secret.
   * @example process.env.DG_API_KEY
   */
  apiKey: string;
  /**
   * The DG API secret: the HS256 secret.
   * @example process.env.DG_API_SECRET
   */
  apiSecret: Secret;
  /**
   * Your user's id, sent as `external_id`.
   * @example user.id
   */
  externalId: string;
  /**
   * Seconds until `exp`. DG takes each new token by `sendSystemMessage`, so short ones are fine.
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
 * DigitalGenius chat: HS256 with the API secret, header `{ alg, typ, kid: apiKey }`, claims
 * `{ scope: 'user', external_id, iat, exp }`, in the order of DG's documented example.
 *
 * @example
 * ```ts
 * const answer = await signDgChatToken({
 *   apiKey: env.DG_API_KEY,
 *   apiSecret: env.DG_API_SECRET,
 *   externalId: user.id,
 *   lifetime: 600,
 * });
 * ```
 */
export async function signDgChatToken(options: DgChatTokenOptions): Promise<SignedToken> {
  requireOptions(VENDOR, options);
  const key = secretBytes(VENDOR, 'apiSecret', options.apiSecret);
  const kid = text(VENDOR, 'apiKey', options.apiKey);
  const externalId = text(VENDOR, 'externalId', options.externalId);
  const iat = issueTime(VENDOR, options.issuedAt);
  const lifetime = lifetimeSeconds(VENDOR, options.lifetime, { fallback: 3600 });
  const token = await signJws(
    { alg: 'HS256', typ: 'JWT', kid },
    { scope: 'user', external_id: externalId, iat, exp: iat + lifetime },
    key,
  );
  return { token, expiresIn: lifetime };
}
