// widget-token/server against the vendors' own server SDKs: for the same inputs, time and salt,
// each token is what the vendor's official builder makes, byte for byte where the format is
// deterministic, and the vendor's verifier accepts it where the SDK has one. Vendors without a
// server SDK are held to their documented example code (run with jsonwebtoken, as the docs do)
// and their documented claims, verified with jose.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { compactDecrypt, decodeProtectedHeader, importPKCS8, importSPKI, jwtVerify } from 'jose';
import jsonwebtoken from 'jsonwebtoken';
import * as server from '../../dist/server.js';

const require = createRequire(import.meta.url);
const TwilioAccessToken = require('twilio/lib/jwt/AccessToken');
const { RtcTokenBuilder, RtcRole } = require('agora-token');
const { AccessToken2, ServiceRtc } = require('agora-token/src/AccessToken2');
const { AccessToken: LiveKitAccessToken, TokenVerifier } = await import('livekit-server-sdk');
const { StreamChat } = await import('stream-chat');
const { signUserToken, buildUserTokenGrant } = await import('@knocklabs/node');

// A fixed moment, so both sides stamp the same iat/exp/nbf/jti.
const NOW = 1_764_460_800; // 2025-11-30T00:00:00Z
const SECRET = 'a-test-secret-that-is-only-for-tests-0123456789';
const pair = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const RSA = pair();
const RSA_ENCRYPTION = pair();
const decode = (token) => JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString());
const at = (seconds) => new Date(seconds * 1000);

beforeEach(() => mock.timers.enable({ apis: ['Date'], now: NOW * 1000 }));
afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

describe('vendor SDKs: byte for byte', () => {
  test("Twilio: twilio's jwt.AccessToken with a ChatGrant (Conversations)", async () => {
    const inputs = {
      accountSid: `AC${'a1'.repeat(16)}`,
      apiKeySid: `SK${'b2'.repeat(16)}`,
      serviceSid: `IS${'c3'.repeat(16)}`,
    };
    const reference = new TwilioAccessToken(inputs.accountSid, inputs.apiKeySid, SECRET, {
      identity: 'user-42@example.com',
      ttl: 600,
    });
    reference.addGrant(new TwilioAccessToken.ChatGrant({ serviceSid: inputs.serviceSid }));
    const ours = await server.signTwilioAccessToken({
      accountSid: inputs.accountSid,
      apiKeySid: inputs.apiKeySid,
      apiKeySecret: SECRET,
      identity: 'user-42@example.com',
      grants: { chat: { serviceSid: inputs.serviceSid } },
      lifetime: 600,
    });
    assert.equal(ours.token, reference.toJwt());
    assert.equal(ours.expiresIn, 600);
    assert.deepEqual(decodeProtectedHeader(ours.token), {
      alg: 'HS256',
      typ: 'JWT',
      cty: 'twilio-fpa;v=1',
    });
  });

  test("Twilio: chat, video and sync grants, nbf and region, in twilio's order", async () => {
    const [accountSid, apiKeySid, serviceSid] = ['AC', 'SK', 'IS'].map((p) => p + '0f'.repeat(16));
    const reference = new TwilioAccessToken(accountSid, apiKeySid, SECRET, {
      identity: 'agent_7',
      ttl: 24 * 3600,
      nbf: NOW - 5,
      region: 'ie1',
    });
    reference.addGrant(
      new TwilioAccessToken.ChatGrant({ serviceSid, endpointId: 'app:agent_7:device' }),
    );
    reference.addGrant(new TwilioAccessToken.VideoGrant({ room: 'support' }));
    reference.addGrant(new TwilioAccessToken.SyncGrant({ serviceSid }));
    const ours = await server.signTwilioAccessToken({
      accountSid,
      apiKeySid,
      apiKeySecret: SECRET,
      identity: 'agent_7',
      grants: {
        chat: { serviceSid, endpointId: 'app:agent_7:device' },
        video: { room: 'support' },
        sync: { serviceSid },
      },
      lifetime: 24 * 3600,
      notBefore: NOW - 5,
      region: 'ie1',
    });
    assert.equal(ours.token, reference.toJwt());
  });

  test("Stream Chat: stream-chat's createToken(userId, exp, iat)", async () => {
    const client = new StreamChat('stream-key', SECRET);
    const ours = await server.signStreamChatToken({
      apiSecret: SECRET,
      userId: 'jane_doe-42@acme',
      lifetime: 900,
    });
    assert.equal(ours.token, client.createToken('jane_doe-42@acme', NOW + 900, NOW));
    assert.deepEqual(decode(ours.token), { user_id: 'jane_doe-42@acme', exp: NOW + 900, iat: NOW });
  });

  test("Knock: @knocklabs/node's signUserToken, with and without grants", async () => {
    for (const signingKey of [RSA.privateKey, Buffer.from(RSA.privateKey).toString('base64')]) {
      const ours = await server.signKnockToken({ signingKey, userId: 'user-1', lifetime: 300 });
      assert.equal(
        ours.token,
        await signUserToken('user-1', { signingKey, expiresInSeconds: 300 }),
      );
    }
    const grants = [
      buildUserTokenGrant({ type: 'tenant', id: 'acme' }, ['feed:read']),
      buildUserTokenGrant({ type: 'object', collection: 'projects', id: 'p1' }, ['feed:read']),
      buildUserTokenGrant({ type: 'tenant', id: 'acme' }, ['slack/channels_read']),
    ];
    const ours = await server.signKnockToken({ signingKey: RSA.privateKey, userId: 'u2', grants });
    assert.equal(
      ours.token,
      await signUserToken('u2', { signingKey: RSA.privateKey, grants }),
      'grants for one entity merged as Knock merges them; default lifetime 1 h on both sides',
    );
    assert.deepEqual(Object.keys(decode(ours.token).grants), [
      'https://api.knock.app/v1/objects/$tenants/acme',
      'https://api.knock.app/v1/objects/projects/p1',
    ]);
  });

  test("LiveKit: livekit-server-sdk's AccessToken, accepted by its TokenVerifier", async () => {
    const reference = new LiveKitAccessToken('lk-key', SECRET, {
      identity: 'user-42',
      name: 'Jane',
      metadata: '{"plan":\n"pro"}',
      attributes: { team: 'blue' },
      ttl: 600,
    });
    const video = { roomJoin: true, room: 'support-42', canPublish: true, canSubscribe: true };
    reference.addGrant(video);
    const ours = await server.signLiveKitToken({
      apiKey: 'lk-key',
      apiSecret: SECRET,
      identity: 'user-42',
      name: 'Jane',
      metadata: '{"plan":\n"pro"}',
      attributes: { team: 'blue' },
      video,
      lifetime: 600,
    });
    assert.equal(ours.token, await reference.toJwt());
    const claims = await new TokenVerifier('lk-key', SECRET).verify(ours.token);
    assert.equal(claims.sub, 'user-42');
    assert.equal(claims.video.room, 'support-42');
    await assert.rejects(new TokenVerifier('lk-key', 'another-secret').verify(ours.token));

    const bare = new LiveKitAccessToken('lk-key', SECRET, { identity: 'u' });
    bare.addGrant({ roomJoin: true, room: 'r' });
    const defaults = await server.signLiveKitToken({
      apiKey: 'lk-key',
      apiSecret: SECRET,
      identity: 'u',
      video: { roomJoin: true, room: 'r' },
    });
    assert.equal(defaults.token, await bare.toJwt(), 'default lifetime 6 h on both sides');
  });

  test("Agora: agora-token's RtcTokenBuilder for the same time and salt, verified by its AccessToken2", async () => {
    const appId = '0123456789abcdef0123456789abcdef';
    const appCertificate = 'fedcba9876543210fedcba9876543210';
    const salt = 12_345_678;
    // Agora's builder draws its salt as floor(random × 99 999 999) + 1.
    mock.method(Math, 'random', () => (salt - 0.5) / 99_999_999);
    const cases = [
      [0, RtcRole.PUBLISHER, 'publisher', 'buildTokenWithUid'],
      [4_294_967_295, RtcRole.SUBSCRIBER, 'subscriber', 'buildTokenWithUid'],
      ['jane@example.com', RtcRole.PUBLISHER, 'publisher', 'buildTokenWithUserAccount'],
    ];
    for (const [uid, agoraRole, role, builder] of cases) {
      const reference = RtcTokenBuilder[builder](
        appId,
        appCertificate,
        'support room #42',
        uid,
        agoraRole,
        600,
        600,
      );
      const ours = await server.signAgoraRtcToken({
        appId,
        appCertificate,
        channelName: 'support room #42',
        uid,
        role,
        lifetime: 600,
        salt,
      });
      assert.equal(ours.token, reference, `${builder} ${uid} ${role}`);
      assert.equal(ours.expiresIn, 600);
    }
    // Agora's default privilegeExpire is 0; ours is the token's lifetime unless 0 is asked for.
    const zero = await server.signAgoraRtcToken({
      appId,
      appCertificate,
      channelName: 'c',
      lifetime: 60,
      privilegeLifetime: 0,
      salt,
    });
    assert.equal(
      zero.token,
      RtcTokenBuilder.buildTokenWithUid(appId, appCertificate, 'c', 0, 1, 60),
    );

    mock.restoreAll();
    const random = await server.signAgoraRtcToken({ appId, appCertificate, channelName: 'c' });
    const parsed = new AccessToken2();
    assert.equal(parsed.from_string(random.token), true);
    assert.equal(parsed.verifySignature(appCertificate), true, "Agora's verifier accepts it");
    assert.equal(parsed.verifySignature('00000000000000000000000000000000'), false);
    assert.equal(parsed.appId.toString(), appId);
    assert.equal(parsed.issueTs, NOW);
    assert.equal(parsed.expire, 3600);
    assert.ok(
      parsed.salt >= 1 && parsed.salt <= 99_999_999,
      `salt ${parsed.salt} in Agora's range`,
    );
    const [rtc] = parsed.getServices(1);
    assert.ok(rtc instanceof ServiceRtc);
    assert.deepEqual(rtc.__privileges, { 1: 3600, 2: 3600, 3: 3600, 4: 3600 });
    assert.equal(rtc.__channel_name.toString(), 'c');
  });
});

describe('vendors without a server SDK: their documented example code, byte for byte', () => {
  test('viaSocket: jwt.sign({ org_id, project_id, user_id }, accessKey), no exp', async () => {
    const ours = await server.signViaSocketToken({
      accessKey: SECRET,
      orgId: '8069',
      projectId: 'projmdFTEvPR',
      userId: 'jane@example.com',
    });
    const documented = jsonwebtoken.sign(
      { org_id: '8069', project_id: 'projmdFTEvPR', user_id: 'jane@example.com' },
      SECRET,
    );
    assert.equal(ours.token, documented);
    assert.equal(ours.expiresIn, undefined, 'no expiry: the browser never refreshes it');
    const { payload } = await jwtVerify(ours.token, new TextEncoder().encode(SECRET), {
      algorithms: ['HS256'],
      currentDate: at(NOW + 10 * 365 * 86400),
    });
    assert.deepEqual(payload, {
      org_id: '8069',
      project_id: 'projmdFTEvPR',
      user_id: 'jane@example.com',
      iat: NOW,
    });
    const expiring = await server.signViaSocketToken({
      accessKey: SECRET,
      orgId: '8069',
      projectId: 'p',
      userId: 'u',
      lifetime: 120,
    });
    assert.equal(decode(expiring.token).exp, NOW + 120);
  });

  test('DigitalGenius: jwt.sign({ scope, external_id }, secret, { header: { alg, typ, kid } }) with an expiry', async () => {
    const ours = await server.signDgChatToken({
      apiKey: 'dg-api-key',
      apiSecret: SECRET,
      externalId: 'customer-9',
      lifetime: 300,
    });
    const documented = jsonwebtoken.sign({ scope: 'user', external_id: 'customer-9' }, SECRET, {
      header: { alg: 'HS256', typ: 'JWT', kid: 'dg-api-key' },
      expiresIn: 300,
    });
    assert.equal(ours.token, documented);
    const { payload, protectedHeader } = await jwtVerify(
      ours.token,
      new TextEncoder().encode(SECRET),
      { algorithms: ['HS256'], currentDate: at(NOW) },
    );
    assert.equal(protectedHeader.kid, 'dg-api-key');
    assert.deepEqual(payload, {
      scope: 'user',
      external_id: 'customer-9',
      iat: NOW,
      exp: NOW + 300,
    });
  });

  test("VideoSDK: jwt.sign({ apikey, permissions, version, roomId, participantId, roles }, secret, { expiresIn, algorithm: 'HS256' })", async () => {
    const documented = jsonwebtoken.sign(
      {
        apikey: 'vsdk-key',
        permissions: ['allow_join'],
        version: 2,
        roomId: '2kyv-gzay-64pg',
        participantId: 'lxvdplwt',
        roles: ['crawler', 'rtc'],
      },
      SECRET,
      { expiresIn: '120m', algorithm: 'HS256' },
    );
    const ours = await server.signVideoSdkToken({
      apiKey: 'vsdk-key',
      secret: SECRET,
      permissions: ['allow_join'],
      version: 2,
      roomId: '2kyv-gzay-64pg',
      participantId: 'lxvdplwt',
      roles: ['crawler', 'rtc'],
      lifetime: 120 * 60,
    });
    assert.equal(ours.token, documented);
    const minimal = await server.signVideoSdkToken({ apiKey: 'vsdk-key', secret: SECRET });
    assert.deepEqual(decode(minimal.token), {
      apikey: 'vsdk-key',
      permissions: ['allow_join'],
      iat: NOW,
      exp: NOW + 3600,
    });
  });

  test("Engagespot: jwt.sign({ sub: 'user:<id>', apiKey }, privateKey, { algorithm: 'RS256' }) with an expiry", async () => {
    const ours = await server.signEngagespotToken({
      apiKey: 'es-key',
      signingKey: RSA.privateKey,
      userId: 'uniqueUserId123',
      lifetime: 3600,
    });
    const documented = jsonwebtoken.sign(
      { sub: 'user:uniqueUserId123', apiKey: 'es-key' },
      RSA.privateKey,
      { algorithm: 'RS256', expiresIn: 3600 },
    );
    assert.equal(ours.token, documented);
    const { payload } = await jwtVerify(ours.token, await importSPKI(RSA.publicKey, 'RS256'), {
      algorithms: ['RS256'],
      currentDate: at(NOW),
    });
    assert.deepEqual(payload, {
      sub: 'user:uniqueUserId123',
      apiKey: 'es-key',
      iat: NOW,
      exp: NOW + 3600,
    });
  });
});

describe('vendors without a server SDK: documented claims, verified with jose', () => {
  test('Intercom: HS256, user_id (required), email, iat, exp', async () => {
    const ours = await server.signIntercomToken({
      secret: SECRET,
      userId: 'u-1',
      email: 'jane@example.com',
      lifetime: 600,
    });
    const { payload, protectedHeader } = await jwtVerify(
      ours.token,
      new TextEncoder().encode(SECRET),
      { algorithms: ['HS256'], currentDate: at(NOW), requiredClaims: ['user_id', 'exp'] },
    );
    assert.deepEqual(protectedHeader, { alg: 'HS256', typ: 'JWT' });
    assert.deepEqual(payload, {
      user_id: 'u-1',
      email: 'jane@example.com',
      iat: NOW,
      exp: NOW + 600,
    });
    assert.equal(ours.expiresIn, 600);
  });

  test("Zendesk: HS256 with kid, external_id, scope 'user', name, email, email_verified, exp", async () => {
    const ours = await server.signZendeskToken({
      keyId: 'app_64ac0c',
      secret: SECRET,
      externalId: 'customer-9',
      name: 'Jane Doe',
      email: 'jane@example.com',
      emailVerified: true,
      lifetime: 600,
    });
    const { payload, protectedHeader } = await jwtVerify(
      ours.token,
      new TextEncoder().encode(SECRET),
      { algorithms: ['HS256'], currentDate: at(NOW) },
    );
    assert.deepEqual(protectedHeader, { alg: 'HS256', typ: 'JWT', kid: 'app_64ac0c' });
    assert.deepEqual(payload, {
      external_id: 'customer-9',
      scope: 'user',
      name: 'Jane Doe',
      email: 'jane@example.com',
      email_verified: true,
      iat: NOW,
      exp: NOW + 600,
    });
  });

  test('iAdvize: a JWE (RSA-OAEP-256, A256GCM) around an RS256 JWS with the documented claims', async () => {
    const visitorData = { firstName: 'Jane', country: 'France', email: 'jane@example.com' };
    const ours = await server.signIAdvizeToken({
      signingKey: RSA.privateKey,
      encryptionKey: RSA_ENCRYPTION.publicKey,
      issuer: 'https://www.example.com',
      userId: 'test_documentation',
      visitorData,
    });
    assert.equal(ours.token.split('.').length, 5, 'compact JWE');
    assert.deepEqual(decodeProtectedHeader(ours.token), {
      alg: 'RSA-OAEP-256',
      enc: 'A256GCM',
      cty: 'JWT',
    });
    const { plaintext } = await compactDecrypt(
      ours.token,
      await importPKCS8(RSA_ENCRYPTION.privateKey, 'RSA-OAEP-256'),
    );
    const jws = new TextDecoder().decode(plaintext);
    const { payload, protectedHeader } = await jwtVerify(
      jws,
      await importSPKI(RSA.publicKey, 'RS256'),
      { algorithms: ['RS256'], currentDate: at(NOW) },
    );
    assert.deepEqual(protectedHeader, { alg: 'RS256' });
    // The documented example's claims, in its order; one minute by default.
    assert.deepEqual(Object.entries(payload), [
      ['https://iadvize.com/userId', 'test_documentation'],
      ['iss', 'https://www.example.com'],
      ['https://iadvize.com/visitorData', visitorData],
      ['exp', NOW + 60],
    ]);
    assert.equal(ours.expiresIn, 60, 'the browser cannot read a JWE: expiresIn says its lifetime');
    const again = await server.signIAdvizeToken({
      signingKey: RSA.privateKey,
      encryptionKey: RSA_ENCRYPTION.publicKey,
      issuer: 'https://www.example.com',
      userId: 'test_documentation',
      visitorData,
    });
    assert.notEqual(again.token, ours.token, 'a fresh content key and IV every time');
  });
});
