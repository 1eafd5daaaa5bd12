// Bad input to widget-token/server's signers: a SignerInputError naming the vendor and the field,
// saying what is wrong, and never quoting a secret, a key or a PEM's content.
import assert from 'node:assert/strict';
import { generateKeyPairSync, webcrypto } from 'node:crypto';
import { test } from 'node:test';
import * as server from '../../dist/server.js';

const SECRET = 'sup3r-secret-value-that-must-never-appear';
const RSA = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
});
const PKCS1 = generateKeyPairSync('rsa', {
  modulusLength: 2048,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
}).privateKey;
const BROKEN_PEM = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(SECRET).toString('base64')}\n-----END PRIVATE KEY-----`;
const { publicKey: PUBLIC_CRYPTO_KEY } = await webcrypto.subtle.generateKey(
  {
    name: 'RSASSA-PKCS1-v1_5',
    modulusLength: 2048,
    publicExponent: new Uint8Array([1, 0, 1]),
    hash: 'SHA-256',
  },
  true,
  ['sign', 'verify'],
);
const SID = (prefix) => prefix + 'ab'.repeat(16);
const twilio = {
  accountSid: SID('AC'),
  apiKeySid: SID('SK'),
  apiKeySecret: SECRET,
  identity: 'u',
  grants: { chat: { serviceSid: SID('IS') } },
};
const agora = {
  appId: '0123456789abcdef0123456789abcdef',
  appCertificate: 'fedcba9876543210fedcba9876543210',
  channelName: 'c',
};
const pemBody = (pem) => pem.split('\n').slice(1, -2).join('');

// [signer, options, vendor, field, what the message says]
const CASES = [
  ['signDgChatToken', { apiKey: 'k', externalId: 'u' }, 'DigitalGenius', 'apiSecret', /is missing/],
  [
    'signDgChatToken',
    { apiKey: 'k', apiSecret: 42, externalId: 'u' },
    'DigitalGenius',
    'apiSecret',
    /string or a Uint8Array, received number/,
  ],
  [
    'signDgChatToken',
    { apiSecret: SECRET, externalId: 'u' },
    'DigitalGenius',
    'apiKey',
    /is missing/,
  ],
  [
    'signDgChatToken',
    { apiKey: 'k', apiSecret: SECRET, externalId: 'u', lifetime: 1.5 },
    'DigitalGenius',
    'lifetime',
    /whole number of seconds/,
  ],
  [
    'signDgChatToken',
    { apiKey: 'k', apiSecret: SECRET, externalId: 'u', issuedAt: Date.now() },
    'DigitalGenius',
    'issuedAt',
    /looks like milliseconds/,
  ],
  [
    'signTwilioAccessToken',
    { ...twilio, lifetime: 24 * 3600 + 1 },
    'Twilio',
    'lifetime',
    /86401 s; Twilio accepts at most 86400 s \(24 h\)/,
  ],
  [
    'signTwilioAccessToken',
    { ...twilio, accountSid: SID('SK'), apiKeySid: SID('AC') },
    'Twilio',
    'accountSid',
    /"AC" followed by 32 hex digits/,
  ],
  ['signTwilioAccessToken', { ...twilio, grants: {} }, 'Twilio', 'grants', /grants nothing/],
  [
    'signTwilioAccessToken',
    { ...twilio, grants: { chat: { serviceSid: 'MG123' } } },
    'Twilio',
    'grants.chat.serviceSid',
    /"IS" followed by 32 hex/,
  ],
  [
    'signTwilioAccessToken',
    { ...twilio, grants: { voice: {} } },
    'Twilio',
    'grants.voice',
    /not a grant this signer knows/,
  ],
  [
    'signTwilioAccessToken',
    { ...twilio, apiKeySecret: '' },
    'Twilio',
    'apiKeySecret',
    /is missing/,
  ],
  [
    'signStreamChatToken',
    { apiSecret: SECRET, userId: 'jane doe' },
    'Stream Chat',
    'userId',
    /U\+0020 at index 4; Stream Chat accepts only letters, digits, @, _ and -/,
  ],
  [
    'signIntercomToken',
    { secret: SECRET, userId: 'a\nb' },
    'Intercom',
    'userId',
    /control character \(U\+000A at index 1\)/,
  ],
  [
    'signZendeskToken',
    { keyId: 'app_1', secret: SECRET, externalId: 'x'.repeat(256) },
    'Zendesk',
    'externalId',
    /256 characters long; Zendesk accepts at most 255/,
  ],
  ['signKnockToken', { signingKey: SECRET, userId: 'u' }, 'Knock', 'signingKey', /is not a PEM/],
  [
    'signKnockToken',
    { signingKey: PKCS1, userId: 'u' },
    'Knock',
    'signingKey',
    /PKCS#1 PEM.*openssl pkcs8/,
  ],
  [
    'signKnockToken',
    { signingKey: BROKEN_PEM, userId: 'u' },
    'Knock',
    'signingKey',
    /does not parse/,
  ],
  ['signKnockToken', { userId: 'u' }, 'Knock', 'signingKey', /is missing/],
  [
    'signEngagespotToken',
    { apiKey: 'k', signingKey: RSA.publicKey, userId: 'u' },
    'Engagespot',
    'signingKey',
    /PEM of kind "PUBLIC KEY"; expected PRIVATE KEY/,
  ],
  [
    'signIAdvizeToken',
    { signingKey: PUBLIC_CRYPTO_KEY, encryptionKey: RSA.publicKey, issuer: 'i', userId: 'u' },
    'iAdvize',
    'signingKey',
    /public CryptoKey; expected a private key/,
  ],
  [
    'signIAdvizeToken',
    { signingKey: RSA.privateKey, encryptionKey: RSA.privateKey, issuer: 'i', userId: 'u' },
    'iAdvize',
    'encryptionKey',
    /expected PUBLIC KEY/,
  ],
  [
    'signIAdvizeToken',
    {
      signingKey: RSA.privateKey,
      encryptionKey: RSA.publicKey,
      issuer: 'i',
      userId: 'u'.repeat(256),
    },
    'iAdvize',
    'userId',
    /at most 255/,
  ],
  [
    'signIAdvizeToken',
    {
      signingKey: RSA.privateKey,
      encryptionKey: RSA.publicKey,
      issuer: 'i',
      userId: 'u',
      visitorData: { age: '40' },
    },
    'iAdvize',
    'visitorData.age',
    /not a field iAdvize documents/,
  ],
  [
    'signAgoraRtcToken',
    { ...agora, appCertificate: SECRET },
    'Agora',
    'appCertificate',
    /32 hex digits.*string of 41 characters/,
  ],
  ['signAgoraRtcToken', { ...agora, lifetime: 2 * 86400 }, 'Agora', 'lifetime', /at most 86400 s/],
  [
    'signAgoraRtcToken',
    { ...agora, channelName: 'c'.repeat(64) },
    'Agora',
    'channelName',
    /64 bytes long \(UTF-8\); Agora accepts at most 63/,
  ],
  [
    'signAgoraRtcToken',
    { ...agora, channelName: 'a/b' },
    'Agora',
    'channelName',
    /U\+002F at index 1/,
  ],
  ['signAgoraRtcToken', { ...agora, uid: 2 ** 32 }, 'Agora', 'uid', /0 to 4294967295/],
  [
    'signAgoraRtcToken',
    { ...agora, role: 'admin' },
    'Agora',
    'role',
    /'publisher' or 'subscriber'/,
  ],
  [
    'signLiveKitToken',
    { apiKey: 'k', apiSecret: SECRET, identity: 'u', video: { roomJoin: true } },
    'LiveKit',
    'video.room',
    /roomJoin/,
  ],
  [
    'signLiveKitToken',
    { apiKey: 'k', apiSecret: SECRET, identity: 'u' },
    'LiveKit',
    'video',
    /must be an object/,
  ],
  [
    'signVideoSdkToken',
    { apiKey: 'k', secret: SECRET, permissions: ['join'] },
    'VideoSDK',
    'permissions[0]',
    /allow_join, ask_join, allow_mod/,
  ],
  [
    'signViaSocketToken',
    { accessKey: SECRET, orgId: '1', projectId: 'p', userId: 'u', lifetime: 0 },
    'viaSocket',
    'lifetime',
    /leave it out for a token without expiry/,
  ],
];

for (const [signer, options, vendor, field, says] of CASES) {
  test(`${signer}: \`${field}\` ${says.source.slice(0, 60)}`, async () => {
    const error = await server[signer](options).then(
      () => assert.fail('signed anyway'),
      (caught) => caught,
    );
    assert.ok(error instanceof server.SignerInputError, `${error}`);
    assert.equal(error.vendor, vendor);
    assert.equal(error.field, field);
    assert.match(error.message, says);
    assert.ok(error.message.includes(`${vendor}: \`${field}\``), error.message);
    for (const secret of [
      SECRET,
      Buffer.from(SECRET).toString('base64'),
      pemBody(RSA.privateKey),
      pemBody(PKCS1),
    ]) {
      assert.ok(!error.message.includes(secret), 'the message quotes a secret');
      assert.ok(!String(error.stack).includes(secret), 'the stack quotes a secret');
    }
  });
}

test('a key that failed to import is not cached: the fixed key signs next time', async () => {
  await assert.rejects(server.signKnockToken({ signingKey: BROKEN_PEM, userId: 'u' }));
  const { token } = await server.signKnockToken({ signingKey: RSA.privateKey, userId: 'u' });
  assert.equal(token.split('.').length, 3);
});

test('PEM text with escaped line breaks (as environment variables often carry it) is accepted', async () => {
  const escaped = RSA.privateKey.trim().replace(/\n/g, '\\n');
  const { token } = await server.signEngagespotToken({
    apiKey: 'k',
    signingKey: escaped,
    userId: 'u',
  });
  assert.equal(token.split('.').length, 3);
});

test('every signer called without its options object says so, naming its vendor', async () => {
  const signers = Object.keys(server).filter((name) => name.startsWith('sign'));
  assert.equal(signers.length, 12);
  for (const signer of signers) {
    for (const options of [undefined, null, 'secret']) {
      const error = await server[signer](options).catch((caught) => caught);
      assert.ok(error instanceof server.SignerInputError, `${signer}(${options}): ${error}`);
      assert.equal(error.field, 'options');
      assert.match(error.message, /must be an object of the signer's inputs/);
    }
  }
});
