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

const VENDOR = 'Twilio';
/** Twilio refuses Access Tokens that live longer than 24 hours. */
const MAX_LIFETIME = 24 * 3600;
const sid = (prefix: string, what: string) => ({
  pattern: new RegExp(`^${prefix}[0-9a-fA-F]{32}$`),
  describe: `${what}: "${prefix}" followed by 32 hex digits`,
});

/** Grants of a Twilio Access Token, named as in `twilio`'s `jwt.AccessToken.*Grant` options. */
export interface TwilioGrants {
  /**
   * Conversations (and Chat): `chat` grant.
   * @default undefined (left out)
   */
  chat?: {
    /**
     * The Conversations service SID (`IS…`).
     * @example process.env.TWILIO_CONVERSATIONS_SERVICE_SID
     */
    serviceSid: string;
    /** @default undefined (left out) */
    endpointId?: string;
    /** @default undefined (left out) */
    deploymentRoleSid?: string;
    /** @default undefined (left out) */
    pushCredentialSid?: string;
  };
  /**
   * Video: `video` grant.
   * @default undefined (left out)
   */
  video?: {
    /**
     * The room's name or SID; any room when left out.
     * @default undefined (left out)
     */
    room?: string;
  };
  /**
   * Sync: `data_sync` grant.
   * @default undefined (left out)
   */
  sync?: {
    /**
     * The Sync service SID (`IS…`).
     * @example process.env.TWILIO_SYNC_SERVICE_SID
     */
    serviceSid: string;
    /** @default undefined (left out) */
    endpointId?: string;
  };
}

/** Inputs of {@link signTwilioAccessToken}: a Twilio Access Token. */
export interface TwilioAccessTokenOptions {
  /**
   * Your account SID (`AC…`): the token's `sub`.
   * @example process.env.TWILIO_ACCOUNT_SID
   */
  accountSid: string;
  /**
   * The API key's SID (`SK…`): the token's `iss`. Not your account SID.
   * @example process.env.TWILIO_API_KEY_SID
   */
  apiKeySid: string;
  /**
   * The API key's secret: the HS256 secret.
   * @example process.env.TWILIO_API_KEY_SECRET
   */
  apiKeySecret: Secret;
  /**
   * The user's identity (`grants.identity`).
   * @example user.id
   */
  identity: string;
  /**
   * What the token grants; Conversations needs `chat`.
   * @example { chat: { serviceSid: 'IS…' } }
   */
  grants: TwilioGrants;
  /**
   * Seconds until `exp`, at most 24 hours.
   * @default 3600 (as `twilio`'s `ttl`)
   */
  lifetime?: number;
  /**
   * Not-before time (`nbf`), epoch seconds.
   * @default undefined (left out)
   */
  notBefore?: number;
  /**
   * Twilio region, as the header's `twr`.
   * @default undefined (left out)
   */
  region?: string;
  /**
   * Issue time (`iat`, and the `jti` suffix), epoch seconds.
   * @default the current time
   */
  issuedAt?: number;
}

function grantsClaim(identity: string, grants: unknown): Record<string, unknown> {
  if (typeof grants !== 'object' || grants === null || Array.isArray(grants)) {
    throw new SignerInputError(VENDOR, 'grants', `must be an object, received ${shapeOf(grants)}.`);
  }
  const { chat, video, sync, ...unknown } = grants as TwilioGrants;
  const extra = Object.keys(unknown)[0];
  if (extra) {
    throw new SignerInputError(
      VENDOR,
      `grants.${extra}`,
      'is not a grant this signer knows (chat, video, sync).',
    );
  }
  if (!chat && !video && !sync) {
    throw new SignerInputError(
      VENDOR,
      'grants',
      'grants nothing: give `chat` (Conversations), `video` or `sync`.',
    );
  }
  const service = (field: string, value: unknown) =>
    text(VENDOR, field, value, sid('IS', 'a service SID'));
  return defined({
    identity,
    chat: chat
      ? defined({
          service_sid: service('grants.chat.serviceSid', chat.serviceSid),
          endpoint_id: optionalText(VENDOR, 'grants.chat.endpointId', chat.endpointId),
          deployment_role_sid: optionalText(
            VENDOR,
            'grants.chat.deploymentRoleSid',
            chat.deploymentRoleSid,
          ),
          push_credential_sid: optionalText(
            VENDOR,
            'grants.chat.pushCredentialSid',
            chat.pushCredentialSid,
          ),
        })
      : undefined,
    video: video
      ? defined({ room: optionalText(VENDOR, 'grants.video.room', video.room) })
      : undefined,
    data_sync: sync
      ? defined({
          service_sid: service('grants.sync.serviceSid', sync.serviceSid),
          endpoint_id: optionalText(VENDOR, 'grants.sync.endpointId', sync.endpointId),
        })
      : undefined,
  });
}

/**
 * Twilio Access Token (Conversations, Video, Sync): HS256 with the API key's secret, header
 * `{ alg, typ, cty: 'twilio-fpa;v=1', twr? }`, claims `{ jti: '<apiKeySid>-<iat>', grants, nbf?,
 * iat, exp, iss: apiKeySid, sub: accountSid }`, byte for byte what `twilio`'s
 * `jwt.AccessToken#toJwt()` makes; lifetimes over Twilio's 24 h are refused.
 *
 * @example
 * ```ts
 * const answer = await signTwilioAccessToken({
 *   accountSid: env.TWILIO_ACCOUNT_SID,
 *   apiKeySid: env.TWILIO_API_KEY_SID,
 *   apiKeySecret: env.TWILIO_API_KEY_SECRET,
 *   identity: user.id,
 *   grants: { chat: { serviceSid: env.TWILIO_CONVERSATIONS_SERVICE_SID } },
 * });
 * ```
 */
export async function signTwilioAccessToken(
  options: TwilioAccessTokenOptions,
): Promise<SignedToken> {
  requireOptions(VENDOR, options);
  const key = secretBytes(VENDOR, 'apiKeySecret', options.apiKeySecret);
  const accountSid = text(VENDOR, 'accountSid', options.accountSid, sid('AC', 'an account SID'));
  const apiKeySid = text(VENDOR, 'apiKeySid', options.apiKeySid, sid('SK', 'an API key SID'));
  const grants = grantsClaim(text(VENDOR, 'identity', options.identity), options.grants);
  if (
    options.notBefore !== undefined &&
    (!Number.isInteger(options.notBefore) || options.notBefore <= 0)
  ) {
    throw new SignerInputError(
      VENDOR,
      'notBefore',
      'must be a positive whole number of epoch seconds.',
    );
  }
  const region = optionalText(VENDOR, 'region', options.region);
  const iat = issueTime(VENDOR, options.issuedAt);
  const lifetime = lifetimeSeconds(VENDOR, options.lifetime, { fallback: 3600, max: MAX_LIFETIME });
  const token = await signJws(
    defined({ alg: 'HS256' as const, typ: 'JWT', cty: 'twilio-fpa;v=1', twr: region }),
    defined({
      jti: `${apiKeySid}-${iat}`,
      grants,
      nbf: options.notBefore,
      iat,
      exp: iat + lifetime,
      iss: apiKeySid,
      sub: accountSid,
    }),
    key,
  );
  return { token, expiresIn: lifetime };
}
