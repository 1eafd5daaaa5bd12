// docs/server.md against the code: its signer table names every signer the module exports (and
// nothing else), its endpoint table every option, and each signer's stated defaults are the ones
// it signs with.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import * as server from '../../dist/server.js';

const doc = await readFile(new URL('../../docs/server.md', import.meta.url), 'utf8');
const section = (title) => doc.slice(doc.indexOf(`## ${title}`)).split(/\n## /)[0];
const firstColumnCode = (text, column) =>
  text
    .split('\n')
    .filter((line) => /^\| [^-]/.test(line))
    .map((line) => /`(\w+)/.exec(line.split('|')[column])?.[1])
    .filter(Boolean);

test('the signer table lists exactly the exported signers', () => {
  const documented = firstColumnCode(section('Signers'), 2).sort();
  const exported = Object.keys(server)
    .filter((name) => name.startsWith('sign'))
    .sort();
  assert.deepEqual(documented, exported);
});

test('the endpoint table lists exactly the options tokenEndpoint reads', () => {
  const endpoint = section('The token endpoint');
  const optionsTable = endpoint.slice(endpoint.indexOf('| option')).split('\n\n')[0];
  const documented = firstColumnCode(optionsTable, 1).sort();
  const read = new Set();
  const options = new Proxy(
    { authenticate: () => null, sign: () => ({ token: 't' }) },
    { get: (target, name) => (read.add(name), target[name]) },
  );
  server.tokenEndpoint(options);
  assert.deepEqual(documented, [...read].sort());
});

test("each default lifetime in the table is the signer's", async () => {
  const rsa = await crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    false,
    ['sign'],
  );
  const oaep = await crypto.subtle.generateKey(
    {
      name: 'RSA-OAEP',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    false,
    ['encrypt', 'decrypt'],
  );
  const minimal = {
    signDgChatToken: { apiKey: 'k', apiSecret: 's', externalId: 'u' },
    signVideoSdkToken: { apiKey: 'k', secret: 's' },
    signIAdvizeToken: {
      signingKey: rsa.privateKey,
      encryptionKey: oaep.publicKey,
      issuer: 'i',
      userId: 'u',
    },
    signEngagespotToken: { apiKey: 'k', signingKey: rsa.privateKey, userId: 'u' },
    signIntercomToken: { secret: 's', userId: 'u' },
    signZendeskToken: { keyId: 'k', secret: 's', externalId: 'u' },
    signTwilioAccessToken: {
      accountSid: `AC${'0'.repeat(32)}`,
      apiKeySid: `SK${'0'.repeat(32)}`,
      apiKeySecret: 's',
      identity: 'u',
      grants: { video: {} },
    },
    signStreamChatToken: { apiSecret: 's', userId: 'u' },
    signKnockToken: { signingKey: rsa.privateKey, userId: 'u' },
    signAgoraRtcToken: { appId: 'a'.repeat(32), appCertificate: 'b'.repeat(32), channelName: 'c' },
    signLiveKitToken: { apiKey: 'k', apiSecret: 's', identity: 'u', video: {} },
  };
  for (const row of section('Signers')
    .split('\n')
    .filter((line) => line.startsWith('| ') && line.includes('`sign'))) {
    const signer = /`(sign\w+)`/.exec(row)[1];
    const stated = /`lifetime` \((\d+)( h)?/.exec(row);
    if (!stated) continue; // viaSocket: no expiry by default
    const seconds = Number(stated[1]) * (stated[2] ? 3600 : 1);
    const { expiresIn } = await server[signer](minimal[signer]);
    assert.equal(expiresIn, seconds, signer);
  }
  assert.equal(
    (await server.signViaSocketToken({ accessKey: 's', orgId: 'o', projectId: 'p', userId: 'u' }))
      .expiresIn,
    undefined,
  );
});
