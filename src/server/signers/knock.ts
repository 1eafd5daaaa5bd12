import { SignerInputError } from '../errors.js';
import { issueTime, lifetimeSeconds, shapeOf, text, requireOptions } from '../input.js';
import { defined, signJws, type SignedToken } from '../jws.js';
import { rsaKey, type PrivateKeyInput } from '../keys.js';

const VENDOR = 'Knock';

/** One grant, as `@knocklabs/node`'s `buildUserTokenGrant` makes it. */
export interface KnockTokenGrant {
  /**
   * The resource's URI, e.g. `https://api.knock.app/v1/objects/$tenants/acme`.
   * @example 'https://api.knock.app/v1/objects/$tenants/acme'
   */
  entity: string;
  /**
   * Grant names, each mapped to `[]`, e.g. `{ 'slack/channels_read': [] }`.
   * @example { 'slack/channels_read': [] }
   */
  grants: Record<string, unknown[]>;
}

/** Inputs of {@link signKnockToken}: Knock's enhanced-security user token. */
export interface KnockTokenOptions {
  /**
   * The environment's signing key: PKCS#8 PEM, the base64-encoded PEM Knock's dashboard shows, or a
   * CryptoKey.
   * @example process.env.KNOCK_SIGNING_KEY
   */
  signingKey: PrivateKeyInput;
  /**
   * The user's id (`sub`).
   * @example user.id
   */
  userId: string;
  /**
   * Grants for this user; several for one entity are merged, as Knock's SDK does.
   * @default undefined (no `grants` claim)
   */
  grants?: KnockTokenGrant[];
  /**
   * Adds a random `jti` (Knock's `shouldGenerateJti`).
   * @default false
   */
  jti?: boolean;
  /**
   * Seconds until `exp`.
   * @default 3600
   */
  lifetime?: number;
  /**
   * Issue time (`iat`), epoch seconds.
   * @default the current time
   */
  issuedAt?: number;
}

function mergeGrants(grants: unknown): Record<string, Record<string, unknown[]>> | undefined {
  if (grants === undefined) return undefined;
  if (!Array.isArray(grants)) {
    throw new SignerInputError(VENDOR, 'grants', `must be an array, received ${shapeOf(grants)}.`);
  }
  const merged: Record<string, Record<string, unknown[]>> = {};
  grants.forEach((grant: Partial<KnockTokenGrant> | null, index) => {
    const entity = text(VENDOR, `grants[${index}].entity`, grant?.entity);
    if (typeof grant?.grants !== 'object' || grant.grants === null || Array.isArray(grant.grants)) {
      throw new SignerInputError(
        VENDOR,
        `grants[${index}].grants`,
        'must be an object of grant names.',
      );
    }
    merged[entity] = { ...merged[entity], ...grant.grants };
  });
  return merged;
}

/**
 * Knock: RS256 with the environment's signing key, header `{ alg, typ }`, claims
 * `{ sub, grants?, iat, exp, jti? }`, byte for byte what `@knocklabs/node`'s `signUserToken` makes.
 *
 * @example
 * ```ts
 * const answer = await signKnockToken({ signingKey: env.KNOCK_SIGNING_KEY, userId: user.id });
 * ```
 */
export async function signKnockToken(options: KnockTokenOptions): Promise<SignedToken> {
  requireOptions(VENDOR, options);
  const key = rsaKey(VENDOR, 'signingKey', options.signingKey, 'private', 'RS256', {
    base64Pem: true,
  });
  const sub = text(VENDOR, 'userId', options.userId);
  const grants = mergeGrants(options.grants);
  const iat = issueTime(VENDOR, options.issuedAt);
  const lifetime = lifetimeSeconds(VENDOR, options.lifetime, { fallback: 3600 });
  const claims = defined({
    sub,
    grants,
    iat,
    exp: iat + lifetime,
    jti: options.jti ? crypto.randomUUID() : undefined,
  });
  return {
    token: await signJws({ alg: 'RS256', typ: 'JWT' }, claims, await key),
    expiresIn: lifetime,
  };
}
