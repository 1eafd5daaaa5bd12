import { CompactEncrypt } from 'jose';
import { SignerInputError } from '../errors.js';
import { issueTime, lifetimeSeconds, shapeOf, text, requireOptions } from '../input.js';
import { defined, signJws, type SignedToken } from '../jws.js';
import { rsaKey, type PrivateKeyInput, type PublicKeyInput } from '../keys.js';

const VENDOR = 'iAdvize';
const VISITOR_FIELDS = [
  'address',
  'city',
  'country',
  'email',
  'firstName',
  'lastName',
  'phoneNumber',
  'zipCode',
] as const;

/** The visitor data iAdvize documents: all optional strings. */
export type IAdvizeVisitorData = Partial<Record<(typeof VISITOR_FIELDS)[number], string>>;

/** Inputs of {@link signIAdvizeToken}: iAdvize's JWE around an RS256 JWS. */
export interface IAdvizeTokenOptions {
  /**
   * Your RSA private key (PKCS#8 PEM or CryptoKey): signs the inner JWS with RS256.
   * @example process.env.IADVIZE_SIGNING_PRIVATE_KEY
   */
  signingKey: PrivateKeyInput;
  /**
   * iAdvize's RSA public key (SPKI PEM or CryptoKey): encrypts the JWE with RSA-OAEP-256.
   * @example process.env.IADVIZE_PUBLIC_KEY
   */
  encryptionKey: PublicKeyInput;
  /**
   * The issuer (`iss`) you declared to iAdvize.
   * @example 'https://www.example.com'
   */
  issuer: string;
  /**
   * Your user's id (`https://iadvize.com/userId`): unique per user, never reused, at most 255 characters.
   * @example user.id
   */
  userId: string;
  /**
   * Optional visitor data (`https://iadvize.com/visitorData`).
   * @default undefined (left out)
   */
  visitorData?: IAdvizeVisitorData;
  /**
   * Seconds until `exp`. iAdvize recommends one minute; its SDK asks for a new token when it wants one.
   * @default 60
   */
  lifetime?: number;
  /**
   * Issue time, epoch seconds (the JWS has no `iat`; `exp` counts from here).
   * @default the current time
   */
  issuedAt?: number;
}

function visitorData(value: unknown): IAdvizeVisitorData | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new SignerInputError(
      VENDOR,
      'visitorData',
      `must be an object, received ${shapeOf(value)}.`,
    );
  }
  for (const [name, field] of Object.entries(value)) {
    if (!(VISITOR_FIELDS as readonly string[]).includes(name)) {
      throw new SignerInputError(
        VENDOR,
        `visitorData.${name}`,
        `is not a field iAdvize documents (${VISITOR_FIELDS.join(', ')}).`,
      );
    }
    text(VENDOR, `visitorData.${name}`, field);
  }
  return value as IAdvizeVisitorData;
}

/**
 * iAdvize authenticated messaging: an RS256 JWS (header `{ alg: 'RS256' }`, claims
 * `{ "https://iadvize.com/userId", iss, "https://iadvize.com/visitorData"?, exp }`, in the order
 * of iAdvize's documented example) encrypted to a compact JWE (`RSA-OAEP-256`, `A256GCM`,
 * `cty: 'JWT'`). The browser cannot read a JWE: the answer's `expiresIn` tells it the lifetime.
 *
 * @example
 * ```ts
 * const answer = await signIAdvizeToken({
 *   signingKey: env.IADVIZE_SIGNING_PRIVATE_KEY,
 *   encryptionKey: env.IADVIZE_PUBLIC_KEY,
 *   issuer: 'https://www.example.com',
 *   userId: user.id,
 * });
 * ```
 */
export async function signIAdvizeToken(options: IAdvizeTokenOptions): Promise<SignedToken> {
  requireOptions(VENDOR, options);
  const signing = rsaKey(VENDOR, 'signingKey', options.signingKey, 'private', 'RS256');
  const encryption = rsaKey(
    VENDOR,
    'encryptionKey',
    options.encryptionKey,
    'public',
    'RSA-OAEP-256',
  );
  const claims = defined({
    'https://iadvize.com/userId': text(VENDOR, 'userId', options.userId, { maxLength: 255 }),
    iss: text(VENDOR, 'issuer', options.issuer),
    'https://iadvize.com/visitorData': visitorData(options.visitorData),
    exp: 0,
  });
  const lifetime = lifetimeSeconds(VENDOR, options.lifetime, { fallback: 60 });
  claims.exp = issueTime(VENDOR, options.issuedAt) + lifetime;
  const jws = await signJws({ alg: 'RS256' }, claims, await signing);
  const token = await new CompactEncrypt(new TextEncoder().encode(jws))
    .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' })
    .encrypt(await encryption);
  return { token, expiresIn: lifetime };
}
