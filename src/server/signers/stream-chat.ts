import {
  issueTime,
  lifetimeSeconds,
  onlyCharacters,
  secretBytes,
  text,
  type Secret,
  requireOptions,
} from '../input.js';
import { signJws, type SignedToken } from '../jws.js';

const VENDOR = 'Stream Chat';

/** Inputs of {@link signStreamChatToken}: a Stream Chat user token. */
export interface StreamChatTokenOptions {
  /**
   * Your Stream app's API secret: the HS256 secret.
   * @example process.env.STREAM_API_SECRET
   */
  apiSecret: Secret;
  /**
   * The user's id (`user_id`): must equal the id the browser connects with. Letters, digits, `@`, `_`, `-`.
   * @example user.id
   */
  userId: string;
  /**
   * Seconds until `exp`. stream-chat asks the browser for a new token only after its server
   * refused the old one; widget-token's adapter refreshes before.
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
 * Stream Chat: HS256 with the API secret, header `{ alg, typ }`, claims `{ user_id, exp, iat }`,
 * byte for byte what stream-chat's `client.createToken(userId, exp, iat)` makes.
 *
 * @example
 * ```ts
 * const answer = await signStreamChatToken({ apiSecret: env.STREAM_API_SECRET, userId: user.id });
 * ```
 */
export async function signStreamChatToken(options: StreamChatTokenOptions): Promise<SignedToken> {
  requireOptions(VENDOR, options);
  const key = secretBytes(VENDOR, 'apiSecret', options.apiSecret);
  const userId = onlyCharacters(
    VENDOR,
    'userId',
    text(VENDOR, 'userId', options.userId),
    /[A-Za-z0-9@_-]/,
    'letters, digits, @, _ and -',
  );
  const iat = issueTime(VENDOR, options.issuedAt);
  const lifetime = lifetimeSeconds(VENDOR, options.lifetime, { fallback: 3600 });
  const token = await signJws(
    { alg: 'HS256', typ: 'JWT' },
    { user_id: userId, exp: iat + lifetime, iat },
    key,
  );
  return { token, expiresIn: lifetime };
}
