import { SignerInputError } from '../errors.js';
import {
  issueTime,
  lifetimeSeconds,
  onlyCharacters,
  shapeOf,
  text,
  requireOptions,
} from '../input.js';
import type { SignedToken } from '../jws.js';

const VENDOR = 'Agora';
/** Agora: "each privilege is valid for a maximum of 24 hours". */
const MAX_LIFETIME = 24 * 3600;
const HEX32 = {
  pattern: /^[0-9a-fA-F]{32}$/,
  describe: '32 hex digits, as the Agora console shows it',
};
// Agora's documented character set for channel names and user accounts.
const AGORA_CHARACTERS = /[A-Za-z0-9 !#$%&()+\-:;<=.>?@[\]^_{}|~,]/;
const AGORA_CHARACTERS_DESCRIBED =
  'letters, digits, space and ! # $ % & ( ) + - : ; < = . > ? @ [ ] ^ _ { } | ~ ,';
const SERVICE_RTC = 1;
/** RTC privileges: join the channel; publish audio, video, data streams. */
const PRIVILEGE = { join: 1, publishAudio: 2, publishVideo: 3, publishData: 4 } as const;
// Agora's own builders draw the salt from 1 to 99 999 999.
const SALT_RANGE = 99_999_999;

/** Inputs of {@link signAgoraRtcToken}: an Agora RTC AccessToken2. */
export interface AgoraRtcTokenOptions {
  /**
   * The project's App ID: 32 hex digits.
   * @example process.env.AGORA_APP_ID
   */
  appId: string;
  /**
   * The project's primary App Certificate: 32 hex digits, the HMAC key.
   * @example process.env.AGORA_APP_CERTIFICATE
   */
  appCertificate: string;
  /**
   * The channel the token admits to: under 64 bytes, Agora's channel-name characters.
   * @example 'support-42'
   */
  channelName: string;
  /**
   * Who may join: a number from 1 to 2³²−1 (Agora's `uid`), a user account string (at most 255
   * bytes), or `0` for any uid.
   * @default 0
   */
  uid?: number | string;
  /**
   * `publisher` may publish audio, video and data streams; `subscriber` may only join (when
   * co-host authentication is enabled for the project).
   * @default 'publisher'
   */
  role?: 'publisher' | 'subscriber';
  /**
   * Seconds until the whole token expires (Agora's `tokenExpire`), at most 24 hours.
   * @default 3600
   */
  lifetime?: number;
  /**
   * Seconds until each privilege expires (Agora's `privilegeExpire`); `0` means "no earlier
   * than the token", as Agora's own builder's default.
   * @default the token's `lifetime`
   */
  privilegeLifetime?: number;
  /**
   * Issue time, epoch seconds.
   * @default the current time
   */
  issuedAt?: number;
  /**
   * The salt mixed into the signing key; for reproducible tests only.
   * @default a random number from 1 to 99 999 999
   */
  salt?: number;
}

/** AccessToken2 writes integers little-endian and byte strings behind a uint16 length. */
class Packer {
  private readonly parts: Uint8Array[] = [];
  uint16(value: number): this {
    const part = new Uint8Array(2);
    new DataView(part.buffer).setUint16(0, value, true);
    this.parts.push(part);
    return this;
  }
  uint32(value: number): this {
    const part = new Uint8Array(4);
    new DataView(part.buffer).setUint32(0, value, true);
    this.parts.push(part);
    return this;
  }
  bytes(value: Uint8Array | string): this {
    const bytes = typeof value === 'string' ? new TextEncoder().encode(value) : value;
    this.uint16(bytes.length);
    this.parts.push(bytes);
    return this;
  }
  raw(bytes: Uint8Array): this {
    this.parts.push(bytes);
    return this;
  }
  done(): Uint8Array {
    const out = new Uint8Array(this.parts.reduce((sum, part) => sum + part.length, 0));
    let offset = 0;
    for (const part of this.parts) {
      out.set(part, offset);
      offset += part.length;
    }
    return out;
  }
}

async function hmacSha256(key: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const cryptoKey = await crypto.subtle.importKey(
    'raw',
    key as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(
    await crypto.subtle.sign('HMAC', cryptoKey, message as Uint8Array<ArrayBuffer>),
  );
}

/** zlib deflate (RFC 1950) through the Web Streams API: Node, Deno, Bun and Workers all have it. */
async function deflate(bytes: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new CompressionStream('deflate'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

const base64 = (bytes: Uint8Array): string => btoa(String.fromCharCode(...bytes));

function account(uid: unknown): string {
  if (uid === undefined || uid === 0) return '';
  if (typeof uid === 'number') {
    if (!Number.isInteger(uid) || uid < 0 || uid > 0xffffffff) {
      throw new SignerInputError(
        VENDOR,
        'uid',
        `must be a whole number from 0 to 4294967295, received ${uid}.`,
      );
    }
    return String(uid);
  }
  if (typeof uid !== 'string') {
    throw new SignerInputError(
      VENDOR,
      'uid',
      `must be a number or a user account string, received ${shapeOf(uid)}.`,
    );
  }
  const value = text(VENDOR, 'uid', uid, { maxBytes: 255 });
  return onlyCharacters(VENDOR, 'uid', value, AGORA_CHARACTERS, AGORA_CHARACTERS_DESCRIBED);
}

/**
 * Agora RTC: an AccessToken2 (`"007"` + base64 of the deflated signature and content), the
 * signature an HMAC-SHA256 keyed by the App Certificate, the issue time and the salt; one RTC
 * service with the join privilege (and publish audio, video, data for `publisher`). Byte for byte
 * what `agora-token`'s `RtcTokenBuilder.buildTokenWithUid`/`buildTokenWithUserAccount` makes for
 * the same time and salt. Opaque to the browser: the answer's `expiresIn` gives the lifetime.
 *
 * @example
 * ```ts
 * const answer = await signAgoraRtcToken({
 *   appId: env.AGORA_APP_ID,
 *   appCertificate: env.AGORA_APP_CERTIFICATE,
 *   channelName: 'support-42',
 *   uid: 0,
 *   lifetime: 600,
 * });
 * ```
 */
export async function signAgoraRtcToken(options: AgoraRtcTokenOptions): Promise<SignedToken> {
  requireOptions(VENDOR, options);
  const certificate = options.appCertificate as unknown;
  if (typeof certificate !== 'string' || !HEX32.pattern.test(certificate)) {
    throw new SignerInputError(
      VENDOR,
      'appCertificate',
      certificate === undefined || certificate === ''
        ? 'is missing: pass the App Certificate from your server configuration.'
        : `must be ${HEX32.describe} (received ${shapeOf(certificate)}${typeof certificate === 'string' ? ` of ${certificate.length} characters` : ''}).`,
    );
  }
  const appId = text(VENDOR, 'appId', options.appId, HEX32);
  const channel = onlyCharacters(
    VENDOR,
    'channelName',
    text(VENDOR, 'channelName', options.channelName, { maxBytes: 63 }),
    AGORA_CHARACTERS,
    AGORA_CHARACTERS_DESCRIBED,
  );
  const uid = account(options.uid);
  const role = options.role ?? 'publisher';
  if (role !== 'publisher' && role !== 'subscriber') {
    throw new SignerInputError(VENDOR, 'role', "must be 'publisher' or 'subscriber'.");
  }
  const issuedAt = issueTime(VENDOR, options.issuedAt);
  const lifetime = lifetimeSeconds(VENDOR, options.lifetime, { fallback: 3600, max: MAX_LIFETIME });
  const privilegeLifetime =
    options.privilegeLifetime === 0
      ? 0
      : lifetimeSeconds(VENDOR, options.privilegeLifetime, {
          fallback: lifetime,
          max: MAX_LIFETIME,
          field: 'privilegeLifetime',
        });
  let salt = options.salt;
  if (salt === undefined) salt = 1 + (crypto.getRandomValues(new Uint32Array(1))[0]! % SALT_RANGE);
  else if (!Number.isInteger(salt) || salt < 1 || salt > 0xffffffff) {
    throw new SignerInputError(VENDOR, 'salt', 'must be a whole number from 1 to 4294967295.');
  }

  const privileges =
    role === 'publisher'
      ? [PRIVILEGE.join, PRIVILEGE.publishAudio, PRIVILEGE.publishVideo, PRIVILEGE.publishData]
      : [PRIVILEGE.join];
  const service = new Packer().uint16(SERVICE_RTC).uint16(privileges.length);
  for (const privilege of privileges) service.uint16(privilege).uint32(privilegeLifetime);
  service.bytes(channel).bytes(uid);
  const signed = new Packer()
    .bytes(appId)
    .uint32(issuedAt)
    .uint32(lifetime)
    .uint32(salt)
    .uint16(1)
    .raw(service.done())
    .done();
  const encoder = new TextEncoder();
  const signingKey = await hmacSha256(
    new Packer().uint32(salt).done(),
    await hmacSha256(new Packer().uint32(issuedAt).done(), encoder.encode(certificate)),
  );
  const signature = await hmacSha256(signingKey, signed);
  const packed = await deflate(new Packer().bytes(signature).raw(signed).done());
  return { token: `007${base64(packed)}`, expiresIn: lifetime };
}
