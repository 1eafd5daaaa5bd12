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

const VENDOR = 'LiveKit';
const TRACK_SOURCES = ['camera', 'microphone', 'screen_share', 'screen_share_audio'];

/** LiveKit's video grant (the `video` claim), named as in `livekit-server-sdk`'s `VideoGrant`. */
export interface LiveKitVideoGrant {
  /**
   * The room the token admits to.
   * @default undefined (left out)
   */
  room?: string;
  /** @default undefined (left out) */
  roomJoin?: boolean;
  /** @default undefined (left out) */
  roomCreate?: boolean;
  /** @default undefined (left out) */
  roomList?: boolean;
  /** @default undefined (left out) */
  roomRecord?: boolean;
  /** @default undefined (left out) */
  roomAdmin?: boolean;
  /** @default undefined (left out) */
  canPublish?: boolean;
  /** @default undefined (left out) */
  canSubscribe?: boolean;
  /** @default undefined (left out) */
  canPublishData?: boolean;
  /**
   * Which sources may be published.
   * @default undefined (left out)
   */
  canPublishSources?: Array<'camera' | 'microphone' | 'screen_share' | 'screen_share_audio'>;
  /** @default undefined (left out) */
  canUpdateOwnMetadata?: boolean;
  /** @default undefined (left out) */
  ingressAdmin?: boolean;
  /** @default undefined (left out) */
  hidden?: boolean;
  /** @default undefined (left out) */
  recorder?: boolean;
  /** @default undefined (left out) */
  agent?: boolean;
}

/** Inputs of {@link signLiveKitToken}: a LiveKit access token. */
export interface LiveKitTokenOptions {
  /**
   * Your LiveKit API key: the token's `iss`.
   * @example process.env.LIVEKIT_API_KEY
   */
  apiKey: string;
  /**
   * The API secret: the HS256 secret.
   * @example process.env.LIVEKIT_API_SECRET
   */
  apiSecret: Secret;
  /**
   * The participant's identity (`sub`); required to join a room.
   * @example user.id
   */
  identity: string;
  /**
   * What the participant may do.
   * @example { roomJoin: true, room: 'support-42', canPublish: true, canSubscribe: true }
   */
  video: LiveKitVideoGrant;
  /**
   * Display name (`name`).
   * @default undefined (left out)
   */
  name?: string;
  /**
   * Participant metadata (`metadata`), a string.
   * @default undefined (left out)
   */
  metadata?: string;
  /**
   * Participant attributes (`attributes`).
   * @default undefined (left out)
   */
  attributes?: Record<string, string>;
  /**
   * Seconds until `exp`. LiveKit checks the token at connect only.
   * @default 21600 (6 h, as livekit-server-sdk)
   */
  lifetime?: number;
  /**
   * Issue time: the token's `nbf`, and `exp` counts from it, epoch seconds.
   * @default the current time
   */
  issuedAt?: number;
}

// Metadata is free text (often JSON, line breaks included): only its type is checked.
function metadata(value: unknown): string | undefined {
  if (value === undefined || typeof value === 'string') return value;
  throw new SignerInputError(VENDOR, 'metadata', `must be a string, received ${shapeOf(value)}.`);
}

function videoGrant(video: unknown): LiveKitVideoGrant {
  if (typeof video !== 'object' || video === null || Array.isArray(video)) {
    throw new SignerInputError(
      VENDOR,
      'video',
      `must be an object (LiveKit's VideoGrant), received ${shapeOf(video)}.`,
    );
  }
  const grant = video as LiveKitVideoGrant;
  if (grant.roomJoin && !grant.room) {
    throw new SignerInputError(
      VENDOR,
      'video.room',
      'is missing: `roomJoin` needs the room to join.',
    );
  }
  if (grant.room !== undefined) text(VENDOR, 'video.room', grant.room);
  grant.canPublishSources?.forEach((source, index) => {
    if (!TRACK_SOURCES.includes(source)) {
      throw new SignerInputError(
        VENDOR,
        `video.canPublishSources[${index}]`,
        `must be one of ${TRACK_SOURCES.join(', ')}.`,
      );
    }
  });
  return grant;
}

/**
 * LiveKit: HS256 with the API secret, header `{ alg: 'HS256' }`, claims
 * `{ metadata?, attributes?, name?, video, iss: apiKey, exp, nbf, sub: identity }`, byte for byte
 * what `livekit-server-sdk`'s `new AccessToken(key, secret, { identity, name, metadata,
 * attributes, ttl })` + `addGrant(video)` + `toJwt()` makes, and accepted by its `TokenVerifier`.
 * The browser half serves it to livekit-client through `liveKitTokenSource`.
 *
 * @example
 * ```ts
 * const answer = await signLiveKitToken({
 *   apiKey: env.LIVEKIT_API_KEY,
 *   apiSecret: env.LIVEKIT_API_SECRET,
 *   identity: user.id,
 *   video: { roomJoin: true, room: 'support-42' },
 *   lifetime: 600,
 * });
 * ```
 */
export async function signLiveKitToken(options: LiveKitTokenOptions): Promise<SignedToken> {
  requireOptions(VENDOR, options);
  const key = secretBytes(VENDOR, 'apiSecret', options.apiSecret);
  const iss = text(VENDOR, 'apiKey', options.apiKey);
  const sub = text(VENDOR, 'identity', options.identity);
  const video = videoGrant(options.video);
  if (options.attributes !== undefined) {
    for (const [name, value] of Object.entries(options.attributes)) {
      if (typeof value !== 'string') {
        throw new SignerInputError(
          VENDOR,
          `attributes.${name}`,
          `must be a string, received ${shapeOf(value)}.`,
        );
      }
    }
  }
  const now = issueTime(VENDOR, options.issuedAt);
  const lifetime = lifetimeSeconds(VENDOR, options.lifetime, { fallback: 6 * 3600 });
  const claims = defined({
    metadata: metadata(options.metadata),
    attributes: options.attributes,
    name: optionalText(VENDOR, 'name', options.name),
    video,
    iss,
    exp: now + lifetime,
    nbf: now,
    sub,
  });
  return { token: await signJws({ alg: 'HS256' }, claims, key), expiresIn: lifetime };
}
