// How each vendor's token is signed, exactly as its docs describe, and how the vendor's own
// server would check it. A host writing its backend needs only the `issue` function of its vendor.
// `now` is epoch seconds, so the demo's end-to-end tests can move the server's clock with the page's.
import { CompactEncrypt, SignJWT, compactDecrypt, jwtVerify } from 'jose';

const IADVIZE_USER = 'https://iadvize.com/userId';

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
};
