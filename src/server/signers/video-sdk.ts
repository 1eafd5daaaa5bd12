import { SignerInputError } from '../errors.js';
import {
  issueTime,
  lifetimeSeconds,
  optionalText,
  secretBytes,
  shapeOf,
  text,
  type Secret,
  requireOptions,
} from '../input.js';
import { defined, signJws, type SignedToken } from '../jws.js';

const VENDOR = 'VideoSDK';
/** VideoSDK's documented permissions. */
export type VideoSdkPermission = 'allow_join' | 'ask_join' | 'allow_mod';
const PERMISSIONS: readonly string[] = ['allow_join', 'ask_join', 'allow_mod'];

/** Inputs of {@link signVideoSdkToken}: VideoSDK's documented HS256 token. */
export interface VideoSdkTokenOptions {
  /**
   * Your VideoSDK API key, sent as `apikey`.
   * @example process.env.VIDEOSDK_API_KEY
   */
  apiKey: string;
  /**
   * Your VideoSDK secret: the HS256 secret.
   * @example process.env.VIDEOSDK_SECRET
   */
  secret: Secret;
  /**
   * What the participant may do.
   * @default ['allow_join']
   */
  permissions?: VideoSdkPermission[];
  /**
   * Token version (`version`); VideoSDK documents `2`, needed with `roomId`, `participantId`, `roles`.
   * @default undefined (left out)
   */
  version?: number;
  /**
   * Restricts the token to one meeting (`roomId`).
   * @default undefined (left out)
   */
  roomId?: string;
  /**
   * Restricts the token to one participant (`participantId`).
   * @default undefined (left out)
   */
  participantId?: string;
  /**
   * Roles, e.g. `['rtc']` or `['crawler']`.
   * @default undefined (left out)
   */
  roles?: string[];
  /**
   * Seconds until `exp` (VideoSDK's example: 120 minutes). The token is checked at join only.
   * @default 3600
   */
  lifetime?: number;
  /**
   * Issue time (`iat`), epoch seconds.
   * @default the current time
   */
  issuedAt?: number;
}

function stringList(field: string, value: unknown, allowed?: readonly string[]): string[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new SignerInputError(
      VENDOR,
      field,
      `must be a non-empty array, received ${shapeOf(value)}.`,
    );
  }
  return value.map((item, index) => {
    const entry = text(VENDOR, `${field}[${index}]`, item);
    if (allowed && !allowed.includes(entry)) {
      throw new SignerInputError(
        VENDOR,
        `${field}[${index}]`,
        `must be one of ${allowed.join(', ')}.`,
      );
    }
    return entry;
  });
}

/**
 * VideoSDK: HS256 with the secret, header `{ alg, typ }`, claims
 * `{ apikey, permissions, version?, roomId?, participantId?, roles?, iat, exp }`, in the order of
 * VideoSDK's documented example (jsonwebtoken with `expiresIn`).
 *
 * @example
 * ```ts
 * const answer = await signVideoSdkToken({
 *   apiKey: env.VIDEOSDK_API_KEY,
 *   secret: env.VIDEOSDK_SECRET,
 *   permissions: ['allow_join'],
 *   lifetime: 2 * 3600,
 * });
 * ```
 */
export async function signVideoSdkToken(options: VideoSdkTokenOptions): Promise<SignedToken> {
  requireOptions(VENDOR, options);
  const key = secretBytes(VENDOR, 'secret', options.secret);
  const apikey = text(VENDOR, 'apiKey', options.apiKey);
  const permissions = stringList('permissions', options.permissions ?? ['allow_join'], PERMISSIONS);
  if (
    options.version !== undefined &&
    (!Number.isInteger(options.version) || options.version < 1)
  ) {
    throw new SignerInputError(
      VENDOR,
      'version',
      'must be a positive whole number (VideoSDK documents 2).',
    );
  }
  const iat = issueTime(VENDOR, options.issuedAt);
  const lifetime = lifetimeSeconds(VENDOR, options.lifetime, { fallback: 3600 });
  const claims = defined({
    apikey,
    permissions,
    version: options.version,
    roomId: optionalText(VENDOR, 'roomId', options.roomId),
    participantId: optionalText(VENDOR, 'participantId', options.participantId),
    roles: options.roles === undefined ? undefined : stringList('roles', options.roles),
    iat,
    exp: iat + lifetime,
  });
  return { token: await signJws({ alg: 'HS256', typ: 'JWT' }, claims, key), expiresIn: lifetime };
}
