// The three vendors' own server SDKs (twilio, agora-token, livekit-server-sdk) signing tokens at a
// given time (the page's fake clock), and checks of a token as each vendor's server would make
// them: signature, claims, and expiry judged at a given time. For the real-SDK e2e tests.
import { createRequire } from 'node:module';
import { jwtVerify, decodeJwt, decodeProtectedHeader } from 'jose';
import twilio from 'twilio';
import agoraToken from 'agora-token';
import { AccessToken as LiveKitAccessToken } from 'livekit-server-sdk';

const require = createRequire(import.meta.url);
const { AccessToken2 } = require('agora-token/src/AccessToken2.js');

export const TWILIO = {
  accountSid: `AC${'a'.repeat(32)}`,
  keySid: `SK${'b'.repeat(32)}`,
  secret: 'twilio-api-key-secret-for-tests-only',
  serviceSid: `IS${'c'.repeat(32)}`,
};
export const AGORA = {
  appId: '0123456789abcdef0123456789abcdef',
  certificate: 'fedcba9876543210fedcba9876543210',
};
export const LIVEKIT = { apiKey: 'APIkey4tests', secret: 'livekit-api-secret-for-tests-only-32b' };

/**
 * Runs `sign` with the clock at `ms`: the server SDKs read `Date.now()` and `new Date()` while
 * signing (synchronously, before any await), so they stamp the page's fake time.
 */
function signedAt(ms, sign) {
  const RealDate = Date;
  class FakeDate extends RealDate {
    constructor(...args) {
      if (args.length === 0) super(ms);
      else super(...args);
    }
    static now() {
      return ms;
    }
  }
  globalThis.Date = FakeDate;
  try {
    return sign();
  } finally {
    globalThis.Date = RealDate;
  }
}

/** A Twilio Access Token with a Chat (Conversations) grant, as `twilio` signs it. */
export function twilioToken({ at, ttl, identity = 'ada' }) {
  return signedAt(at, () => {
    const token = new twilio.jwt.AccessToken(TWILIO.accountSid, TWILIO.keySid, TWILIO.secret, {
      identity,
      ttl,
    });
    token.addGrant(new twilio.jwt.AccessToken.ChatGrant({ serviceSid: TWILIO.serviceSid }));
    return token.toJwt();
  });
}

/** An Agora AccessToken2 for RTC (join and publish), as `agora-token` builds it. */
export function agoraTokenFor({ at, ttl, channel, uid }) {
  return signedAt(at, () =>
    agoraToken.RtcTokenBuilder.buildTokenWithUid(
      AGORA.appId,
      AGORA.certificate,
      channel,
      uid,
      agoraToken.RtcRole.PUBLISHER,
      ttl,
      ttl,
    ),
  );
}

/** A LiveKit participant token (room join), as `livekit-server-sdk` signs it. */
export function liveKitToken({ at, ttl, identity = 'ada', room }) {
  return signedAt(at, () => {
    const token = new LiveKitAccessToken(LIVEKIT.apiKey, LIVEKIT.secret, { identity, ttl });
    token.addGrant({ roomJoin: true, room });
    return token.toJwt();
  });
}

/**
 * Twilio's check of an Access Token at `now` (ms): HS256 with the API key's secret, header cty
 * "twilio-fpa;v=1", the key as issuer, grants.identity, not expired. Returns { valid, reason,
 * identity, exp }.
 */
export async function checkTwilioToken(token, now) {
  try {
    if (decodeProtectedHeader(token).cty !== 'twilio-fpa;v=1')
      return { valid: false, reason: 'cty' };
    const { payload } = await jwtVerify(token, new TextEncoder().encode(TWILIO.secret), {
      issuer: TWILIO.keySid,
      currentDate: new Date(now),
      algorithms: ['HS256'],
    });
    if (!payload.grants?.identity) return { valid: false, reason: 'no identity' };
    return { valid: true, identity: payload.grants.identity, exp: payload.exp };
  } catch (error) {
    return { valid: false, reason: error.code ?? error.message };
  }
}

/** LiveKit's check of a participant token at `now` (ms), as its server verifies it. */
export async function checkLiveKitToken(token, now) {
  try {
    const { payload } = await jwtVerify(token, new TextEncoder().encode(LIVEKIT.secret), {
      issuer: LIVEKIT.apiKey,
      currentDate: new Date(now),
      algorithms: ['HS256'],
      requiredClaims: ['exp', 'sub'],
    });
    if (!payload.video?.roomJoin) return { valid: false, reason: 'no roomJoin grant' };
    return { valid: true, identity: payload.sub, room: payload.video.room, exp: payload.exp };
  } catch (error) {
    return { valid: false, reason: error.code ?? error.message };
  }
}

/**
 * Agora's check of an AccessToken2 at `now` (ms): the App Certificate's signature, the App ID, the
 * RTC service for this channel and uid, and the join privilege not expired.
 */
export function checkAgoraToken(token, now, { channel, uid }) {
  const parsed = new AccessToken2();
  if (!parsed.from_string(token)) return { valid: false, reason: 'not an AccessToken2' };
  if (!parsed.verifySignature(AGORA.certificate)) return { valid: false, reason: 'signature' };
  // The parser leaves the strings as bytes.
  if (String(parsed.appId) !== AGORA.appId) return { valid: false, reason: 'app id' };
  const [rtc] = parsed.getServices(1);
  if (
    !rtc ||
    String(rtc.__channel_name) !== channel ||
    String(rtc.__uid) !== (uid === 0 ? '' : `${uid}`)
  ) {
    return { valid: false, reason: 'channel or uid' };
  }
  const exp = parsed.issueTs + Math.min(parsed.expire, rtc.__privileges[1] ?? 0);
  if (exp * 1000 <= now) return { valid: false, reason: 'expired', exp };
  return { valid: true, exp };
}

/** The claims of a JWT, unchecked (for messages). */
export const claimsOf = (token) => decodeJwt(token);
