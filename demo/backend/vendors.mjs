// How each vendor's token is signed, exactly as its docs describe, and how the vendor's own
// server would check it. A host writing its backend needs only the `issue` function of its vendor.
// `now` is epoch seconds, so the demo's end-to-end tests can move the server's clock with the page's.
import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { CompactEncrypt, SignJWT, compactDecrypt, jwtVerify } from 'jose';

const IADVIZE_USER = 'https://iadvize.com/userId';

/** The demo's Agora project: an App ID is 32 hex digits. The page joins with it. */
export const AGORA_APP_ID = '0123456789abcdef0123456789abcdef';
const AGORA_CHANNEL = 'widget-token-demo';
const AGORA_SERVICE_RTC = 1;
// RTC privileges: join channel, publish audio, video and data streams.
const AGORA_RTC_PRIVILEGES = [1, 2, 3, 4];

// AccessToken2 packs integers little-endian and byte strings behind a uint16 length.
const uint16 = (value) => Buffer.from(new Uint16Array([value]).buffer);
const uint32 = (value) => Buffer.from(new Uint32Array([value]).buffer);
const bytes = (value) => {
  const buffer = Buffer.from(value);
  return Buffer.concat([uint16(buffer.length), buffer]);
};
const hmac = (key, message) => createHmac('sha256', key).update(message).digest();

/**
 * The AccessToken2 signing key: the App Certificate signed with the issue time, then with the salt.
 */
const agoraSigningKey = (certificate, issuedAt, salt) =>
  hmac(uint32(salt), hmac(uint32(issuedAt), certificate));

/**
 * Builds an Agora AccessToken2 (version "007") with one RTC service, for uid 0 (any uid): "007" +
 * base64 of the deflated [signature, app id, issue ts, expire, salt, services], the signature an
 * HMAC-SHA256 of everything after it. `expire` is seconds from issue, as in Agora's builders.
 */
export function buildAgoraAccessToken2({ appId, certificate, channel, issuedAt, expire, salt }) {
  const privileges = Buffer.concat([
    uint16(AGORA_RTC_PRIVILEGES.length),
    ...AGORA_RTC_PRIVILEGES.map((privilege) => Buffer.concat([uint16(privilege), uint32(expire)])),
  ]);
  // uid 0 (any user) is packed as the empty string.
  const rtc = Buffer.concat([uint16(AGORA_SERVICE_RTC), privileges, bytes(channel), bytes('')]);
  const signed = Buffer.concat([
    bytes(appId),
    uint32(issuedAt),
    uint32(expire),
    uint32(salt),
    uint16(1),
    rtc,
  ]);
  const signature = hmac(agoraSigningKey(certificate, issuedAt, salt), signed);
  return `007${deflateSync(Buffer.concat([bytes(signature), signed])).toString('base64')}`;
}

/** Reads and checks an AccessToken2 as Agora's server would; throws if forged, foreign or expired. */
export function verifyAgoraAccessToken2({ token, appId, certificate, now }) {
  if (!token.startsWith('007')) throw new Error('not an AccessToken2');
  // Either alphabet: as signed (base64) or as sent to the browser (base64url).
  const packed = inflateSync(Buffer.from(token.slice(3), 'base64'));
  let offset = 0;
  const readUint16 = () => packed.readUInt16LE((offset += 2) - 2);
  const readUint32 = () => packed.readUInt32LE((offset += 4) - 4);
  const readBytes = () => {
    const length = readUint16();
    return packed.subarray(offset, (offset += length));
  };
  const signature = readBytes();
  const signed = packed.subarray(offset);
  const tokenAppId = readBytes().toString();
  const issuedAt = readUint32();
  const expire = readUint32();
  const salt = readUint32();
  const expected = hmac(agoraSigningKey(certificate, issuedAt, salt), signed);
  if (signature.length !== expected.length || !timingSafeEqual(signature, expected)) {
    throw new Error('bad signature');
  }
  if (tokenAppId !== appId) throw new Error('another App ID');
  if (issuedAt + expire <= now) throw Object.assign(new Error('expired'), { code: 'expired' });
  return { payload: { appId: tokenAppId, iat: issuedAt, exp: issuedAt + expire } };
}

export const VENDORS = {
  // viaSocket Embed: HS256 with the access key; the documented token has no exp.
  viasocket: {
    // The only vendor whose tokens may live forever; the demo refuses lifetime 0 for the others.
    mayNotExpire: true,
    async issue({ keys, userId, now, lifetime }) {
      const jwt = new SignJWT({ org_id: '8069', project_id: 'projDemo', user_id: userId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(now);
      if (lifetime) jwt.setExpirationTime(now + lifetime);
      return { token: await jwt.sign(keys.viaSocketAccessKey) };
    },
    verify: ({ keys, token, now }) =>
      jwtVerify(token, keys.viaSocketAccessKey, {
        currentDate: new Date(now * 1000),
        algorithms: ['HS256'],
      }),
  },
  // DigitalGenius: HS256 with the API secret, the API key as `kid`.
  'dg-chat': {
    async issue({ keys, userId, now, lifetime }) {
      const token = await new SignJWT({ scope: 'user', external_id: userId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'dg-demo-api-key' })
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .sign(keys.dgApiSecret);
      return { token };
    },
    verify: ({ keys, token, now }) =>
      jwtVerify(token, keys.dgApiSecret, {
        currentDate: new Date(now * 1000),
        algorithms: ['HS256'],
      }),
  },
  // VideoSDK: HS256 with the secret; permissions and roles in the payload, an expiry.
  videosdk: {
    async issue({ keys, now, lifetime }) {
      const token = await new SignJWT({
        apikey: 'videosdk-demo-key',
        permissions: ['allow_join'],
        version: 2,
        roles: ['rtc'],
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .sign(keys.videoSdkSecret);
      return { token };
    },
    verify: ({ keys, token, now }) =>
      jwtVerify(token, keys.videoSdkSecret, {
        currentDate: new Date(now * 1000),
        algorithms: ['HS256'],
      }),
  },
  // iAdvize: an RS256 JWS (user id, iss, exp, optional visitor data) encrypted to a JWE with
  // RSA-OAEP-256 + A256GCM. The browser cannot read exp, so the response says `expiresIn`.
  iadvize: {
    async issue({ keys, userId, now, lifetime }) {
      const jws = await new SignJWT({
        [IADVIZE_USER]: userId,
        'https://iadvize.com/visitorData': { firstName: 'Jane', country: 'France' },
      })
        .setProtectedHeader({ alg: 'RS256' })
        .setIssuer('https://demo.widget-token.test')
        .setExpirationTime(now + lifetime)
        .sign(keys.iAdvizeSigning.privateKey);
      const token = await new CompactEncrypt(new TextEncoder().encode(jws))
        .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' })
        .encrypt(keys.iAdvizeEncryption.publicKey);
      return { token, expiresIn: lifetime };
    },
    async verify({ keys, token, now }) {
      const { plaintext } = await compactDecrypt(token, keys.iAdvizeEncryption.privateKey);
      return jwtVerify(new TextDecoder().decode(plaintext), keys.iAdvizeSigning.publicKey, {
        currentDate: new Date(now * 1000),
        algorithms: ['RS256'],
        requiredClaims: [IADVIZE_USER, 'iss', 'exp'],
      });
    },
  },
  // Engagespot: RS256 with the signing key, `sub: user:<id>`, the API key, iat and exp.
  engagespot: {
    async issue({ keys, userId, now, lifetime }) {
      const token = await new SignJWT({ sub: `user:${userId}`, apiKey: 'engagespot-demo-key' })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .sign(keys.engagespotSigning.privateKey);
      return { token };
    },
    verify: ({ keys, token, now }) =>
      jwtVerify(token, keys.engagespotSigning.publicKey, {
        currentDate: new Date(now * 1000),
        algorithms: ['RS256'],
      }),
  },
  // Stream Chat: HS256 with the app's API secret, `user_id` (must equal the connecting user's id).
  'stream-chat': {
    async issue({ keys, userId, now, lifetime }) {
      const token = await new SignJWT({ user_id: userId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .sign(keys.streamSecret);
      return { token };
    },
    verify: ({ keys, token, now }) =>
      jwtVerify(token, keys.streamSecret, {
        currentDate: new Date(now * 1000),
        algorithms: ['HS256'],
        requiredClaims: ['user_id'],
      }),
  },
  // Knock: RS256 with the environment's signing key, `sub` the user id, iat and exp.
  knock: {
    async issue({ keys, userId, now, lifetime }) {
      const token = await new SignJWT({ sub: userId })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .sign(keys.knockSigning.privateKey);
      return { token };
    },
    verify: ({ keys, token, now }) =>
      jwtVerify(token, keys.knockSigning.publicKey, {
        currentDate: new Date(now * 1000),
        algorithms: ['RS256'],
        requiredClaims: ['sub', 'exp'],
      }),
  },
  // Intercom: HS256 with the workspace's identity verification secret, `user_id` (and optionally
  // email) identifying the user, `exp` honoured.
  intercom: {
    // Intercom honours at most 20 `update` calls in 30 minutes, one token each: the demo's default
    // lifetime is raised to 130 s for it, refreshed every 91–104 s (QA can still set less and see the
    // widget's warning).
    minLifetime: 130,
    async issue({ keys, userId, now, lifetime }) {
      const token = await new SignJWT({ user_id: userId })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .sign(keys.intercomSecret);
      return { token };
    },
    verify: ({ keys, token, now }) =>
      jwtVerify(token, keys.intercomSecret, {
        currentDate: new Date(now * 1000),
        algorithms: ['HS256'],
        requiredClaims: ['user_id'],
      }),
  },
  // Zendesk messaging: HS256 with the signing key's secret, its key id as `kid`, `external_id` and
  // `scope: 'user'` (name and email optional), `exp` honoured.
  zendesk: {
    async issue({ keys, userId, now, lifetime }) {
      const token = await new SignJWT({ external_id: userId, scope: 'user', name: 'Demo User' })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'app_demo_zendesk' })
        .setIssuedAt(now)
        .setExpirationTime(now + lifetime)
        .sign(keys.zendeskSecret);
      return { token };
    },
    async verify({ keys, token, now }) {
      const verified = await jwtVerify(token, keys.zendeskSecret, {
        currentDate: new Date(now * 1000),
        algorithms: ['HS256'],
        requiredClaims: ['external_id', 'scope'],
      });
      if (verified.protectedHeader.kid !== 'app_demo_zendesk') throw new Error('unknown kid');
      if (verified.payload.scope !== 'user') throw new Error('scope is not user');
      return verified;
    },
  },
  // Twilio Conversations: an Access Token, HS256 with the API key's secret, header
  // cty "twilio-fpa;v=1", the API key SID as `iss`, the account SID as `sub`, a `jti`, the identity
  // and the Conversations service in `grants`, `exp` at most 24 h after issue.
  'twilio-conversations': {
    async issue({ keys, userId, now, lifetime }) {
      const apiKeySid = 'SKdemo00000000000000000000000000';
      const token = await new SignJWT({
        grants: { identity: userId, chat: { service_sid: 'ISdemo00000000000000000000000000' } },
      })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' })
        .setJti(`${apiKeySid}-${now}`)
        .setIssuer(apiKeySid)
        .setSubject('ACdemo00000000000000000000000000')
        .setIssuedAt(now)
        .setExpirationTime(now + Math.min(lifetime, 24 * 3600))
        .sign(keys.twilioApiKeySecret);
      return { token };
    },
    async verify({ keys, token, now }) {
      const verified = await jwtVerify(token, keys.twilioApiKeySecret, {
        currentDate: new Date(now * 1000),
        algorithms: ['HS256'],
        requiredClaims: ['grants', 'iss', 'sub', 'jti', 'exp'],
      });
      if (verified.protectedHeader.cty !== 'twilio-fpa;v=1') throw new Error('not an Access Token');
      return verified;
    },
  },
  // Agora RTC: an AccessToken2 (opaque, "007"), HMAC-SHA256 with the App Certificate, for the
  // demo channel and any uid. Sent as Agora issues it (standard base64), with its lifetime as
  // `expiresIn`: the browser cannot read an expiry from an opaque token.
  agora: {
    issue({ keys, now, lifetime }) {
      const token = buildAgoraAccessToken2({
        appId: AGORA_APP_ID,
        certificate: keys.agoraAppCertificate,
        channel: AGORA_CHANNEL,
        issuedAt: now,
        expire: lifetime,
        salt: randomInt(1, 2 ** 32 - 1),
      });
      return { token, expiresIn: lifetime };
    },
    verify: ({ keys, token, now }) =>
      verifyAgoraAccessToken2({
        token,
        appId: AGORA_APP_ID,
        certificate: keys.agoraAppCertificate,
        now,
      }),
  },
};
