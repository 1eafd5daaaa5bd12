// The demo's wiring: which widget-token/server signer each vendor's endpoint uses, with the demo's
// ids and keys, and how the vendor's own server would check the token (the verify endpoint that
// stands in for it). The signing itself is widget-token/server's: a host's backend imports the
// same functions (docs/server.md). `now` is epoch seconds, so the demo's end-to-end tests can move
// the server's clock with the page's.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { compactDecrypt, jwtVerify } from 'jose';
import {
  signAgoraRtcToken,
  signDgChatToken,
  signEngagespotToken,
  signIAdvizeToken,
  signIntercomToken,
  signKnockToken,
  signStreamChatToken,
  signTwilioAccessToken,
  signVideoSdkToken,
  signViaSocketToken,
  signZendeskToken,
} from 'widget-token/server';

const IADVIZE_USER = 'https://iadvize.com/userId';

/** The demo's Agora project: an App ID is 32 hex digits. The page joins with it. */
export const AGORA_APP_ID = '0123456789abcdef0123456789abcdef';
const AGORA_CHANNEL = 'widget-token-demo';
// The demo's Twilio ids, shaped as Twilio's: a prefix and 32 hex digits.
const TWILIO = {
  accountSid: `AC${'0d'.repeat(16)}`,
  apiKeySid: `SK${'0d'.repeat(16)}`,
  serviceSid: `IS${'0d'.repeat(16)}`,
};
/** Twilio and Agora refuse tokens that live longer than 24 hours. */
const DAY = 24 * 3600;

const hmac = (key, message) => createHmac('sha256', key).update(message).digest();
const uint32 = (value) => Buffer.from(new Uint32Array([value]).buffer);
/** AccessToken2's signing key: the App Certificate signed with the issue time, then with the salt. */
const agoraSigningKey = (certificate, issuedAt, salt) =>
  hmac(uint32(salt), hmac(uint32(issuedAt), certificate));

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

/** The JWT vendors' verify: signature, algorithm, expiry at the demo's clock, required claims. */
const verifyJwt = (key, algorithm, requiredClaims) => (token, now) =>
  jwtVerify(token, key, {
    currentDate: new Date(now * 1000),
    algorithms: [algorithm],
    requiredClaims,
  });

export const VENDORS = {
  // viaSocket Embed: the documented token has no exp (lifetime 0 here).
  'via-socket': {
    // The only vendor whose tokens may live forever; the demo refuses lifetime 0 for the others.
    mayNotExpire: true,
    issue: ({ keys, userId, now, lifetime }) =>
      signViaSocketToken({
        accessKey: keys.viaSocketAccessKey,
        orgId: '8069',
        projectId: 'projDemo',
        userId,
        lifetime: lifetime || undefined,
        issuedAt: now,
      }),
    verify: ({ keys, token, now }) => verifyJwt(keys.viaSocketAccessKey, 'HS256')(token, now),
  },
  'dg-chat': {
    issue: ({ keys, userId, now, lifetime }) =>
      signDgChatToken({
        apiKey: 'dg-demo-api-key',
        apiSecret: keys.dgApiSecret,
        externalId: userId,
        lifetime,
        issuedAt: now,
      }),
    verify: ({ keys, token, now }) => verifyJwt(keys.dgApiSecret, 'HS256')(token, now),
  },
  'video-sdk': {
    issue: ({ keys, now, lifetime }) =>
      signVideoSdkToken({
        apiKey: 'videosdk-demo-key',
        secret: keys.videoSdkSecret,
        permissions: ['allow_join'],
        version: 2,
        roles: ['rtc'],
        lifetime,
        issuedAt: now,
      }),
    verify: ({ keys, token, now }) => verifyJwt(keys.videoSdkSecret, 'HS256')(token, now),
  },
  // iAdvize: the JWE is opened with iAdvize's private key, then the JWS checked with the host's
  // public key. The browser cannot read exp: the answer says `expiresIn`.
  iadvize: {
    issue: ({ keys, userId, now, lifetime }) =>
      signIAdvizeToken({
        signingKey: keys.iAdvizeSigning.privateKey,
        encryptionKey: keys.iAdvizeEncryption.publicKey,
        issuer: 'https://demo.widget-token.test',
        userId,
        visitorData: { firstName: 'Jane', country: 'France' },
        lifetime,
        issuedAt: now,
      }),
    async verify({ keys, token, now }) {
      const { plaintext } = await compactDecrypt(token, keys.iAdvizeEncryption.privateKey);
      return verifyJwt(keys.iAdvizeSigning.publicKey, 'RS256', [IADVIZE_USER, 'iss', 'exp'])(
        new TextDecoder().decode(plaintext),
        now,
      );
    },
  },
  engagespot: {
    issue: ({ keys, userId, now, lifetime }) =>
      signEngagespotToken({
        apiKey: 'engagespot-demo-key',
        signingKey: keys.engagespotSigning.privateKey,
        userId,
        lifetime,
        issuedAt: now,
      }),
    verify: ({ keys, token, now }) =>
      verifyJwt(keys.engagespotSigning.publicKey, 'RS256')(token, now),
  },
  'stream-chat': {
    issue: ({ keys, userId, now, lifetime }) =>
      signStreamChatToken({ apiSecret: keys.streamSecret, userId, lifetime, issuedAt: now }),
    verify: ({ keys, token, now }) =>
      verifyJwt(keys.streamSecret, 'HS256', ['user_id'])(token, now),
  },
  knock: {
    issue: ({ keys, userId, now, lifetime }) =>
      signKnockToken({ signingKey: keys.knockSigning.privateKey, userId, lifetime, issuedAt: now }),
    verify: ({ keys, token, now }) =>
      verifyJwt(keys.knockSigning.publicKey, 'RS256', ['sub', 'exp'])(token, now),
  },
  intercom: {
    // Intercom honours at most 20 `update` calls in 30 minutes, one token each: the demo's default
    // lifetime is raised to 130 s for it, refreshed every 91–104 s (QA can still set less and see the
    // widget's warning).
    minLifetime: 130,
    issue: ({ keys, userId, now, lifetime }) =>
      signIntercomToken({ secret: keys.intercomSecret, userId, lifetime, issuedAt: now }),
    verify: ({ keys, token, now }) =>
      verifyJwt(keys.intercomSecret, 'HS256', ['user_id'])(token, now),
  },
  zendesk: {
    issue: ({ keys, userId, now, lifetime }) =>
      signZendeskToken({
        keyId: 'app_demo_zendesk',
        secret: keys.zendeskSecret,
        externalId: userId,
        name: 'Demo User',
        lifetime,
        issuedAt: now,
      }),
    async verify({ keys, token, now }) {
      const verified = await verifyJwt(keys.zendeskSecret, 'HS256', ['external_id', 'scope'])(
        token,
        now,
      );
      if (verified.protectedHeader.kid !== 'app_demo_zendesk') throw new Error('unknown kid');
      if (verified.payload.scope !== 'user') throw new Error('scope is not user');
      return verified;
    },
  },
  'twilio-conversations': {
    maxLifetime: DAY,
    issue: ({ keys, userId, now, lifetime }) =>
      signTwilioAccessToken({
        accountSid: TWILIO.accountSid,
        apiKeySid: TWILIO.apiKeySid,
        apiKeySecret: keys.twilioApiKeySecret,
        identity: userId,
        grants: { chat: { serviceSid: TWILIO.serviceSid } },
        lifetime,
        issuedAt: now,
      }),
    async verify({ keys, token, now }) {
      const verified = await verifyJwt(keys.twilioApiKeySecret, 'HS256', [
        'grants',
        'iss',
        'sub',
        'jti',
        'exp',
      ])(token, now);
      if (verified.protectedHeader.cty !== 'twilio-fpa;v=1') throw new Error('not an Access Token');
      return verified;
    },
  },
  // Agora RTC: an AccessToken2 for the demo channel and any uid, sent as Agora issues it
  // (standard base64) with its lifetime as `expiresIn`.
  agora: {
    maxLifetime: DAY,
    issue: ({ keys, now, lifetime }) =>
      signAgoraRtcToken({
        appId: AGORA_APP_ID,
        appCertificate: keys.agoraAppCertificate,
        channelName: AGORA_CHANNEL,
        uid: 0,
        lifetime,
        issuedAt: now,
      }),
    verify: ({ keys, token, now }) =>
      verifyAgoraAccessToken2({
        token,
        appId: AGORA_APP_ID,
        certificate: keys.agoraAppCertificate,
        now,
      }),
  },
};
