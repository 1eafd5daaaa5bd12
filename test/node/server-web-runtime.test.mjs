// widget-token/server needs only Web APIs: bundled with jose as an edge runtime's bundler would
// (no Node built-ins available), it has none in its module graph, and it signs inside a bare V8
// context given only the Fetch, WebCrypto, encoding and streams globals a Worker has: no
// `process`, `Buffer`, `require` or `node:` module.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createContext, runInContext } from 'node:vm';
import { build } from 'esbuild';

const bundle = await build({
  entryPoints: ['dist/server.js'],
  bundle: true,
  format: 'iife',
  globalName: 'widgetTokenServer',
  platform: 'neutral',
  // What Cloudflare's and Vercel's edge bundlers resolve with.
  conditions: ['workerd', 'worker', 'edge-light', 'browser', 'import'],
  mainFields: ['module', 'main'],
  write: false,
  metafile: true,
  logLevel: 'silent',
});

test('the module graph has no Node built-in (bundling for a platform without them succeeds)', () => {
  const inputs = Object.keys(bundle.metafile.inputs);
  assert.ok(
    inputs.some((input) => input.includes('node_modules/jose/')),
    'jose is in the graph',
  );
  assert.deepEqual(
    inputs.filter((input) => input.startsWith('node:') || !/\.(m?js|cjs)$/.test(input)),
    [],
  );
  assert.doesNotMatch(bundle.outputFiles[0].text, /\brequire\(|process\.|Buffer\./);
});

test('signs every format inside a context holding only Web globals', async () => {
  const web = {
    crypto,
    CryptoKey,
    TextEncoder,
    TextDecoder,
    CompressionStream,
    Blob,
    Response,
    Request,
    Headers,
    URL,
    atob,
    btoa,
    console,
    // Typed arrays from this realm, so that the encoders' output and the bundle's `instanceof`
    // checks agree (a Worker has one realm; a vm context given outer objects has two).
    ArrayBuffer,
    DataView,
    Uint8Array,
    Uint16Array,
    Uint32Array,
  };
  const context = createContext({ ...web });
  runInContext(bundle.outputFiles[0].text, context);
  assert.equal(
    runInContext('typeof process + typeof Buffer + typeof require', context),
    'undefinedundefinedundefined',
  );
  const api = context.widgetTokenServer;
  const keys = await crypto.subtle.generateKey(
    {
      name: 'RSASSA-PKCS1-v1_5',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    false,
    ['sign', 'verify'],
  );
  const encryption = await crypto.subtle.generateKey(
    {
      name: 'RSA-OAEP',
      modulusLength: 2048,
      publicExponent: new Uint8Array([1, 0, 1]),
      hash: 'SHA-256',
    },
    false,
    ['encrypt', 'decrypt'],
  );
  const signed = await Promise.all([
    api.signDgChatToken({ apiKey: 'k', apiSecret: 's', externalId: 'u' }),
    api.signKnockToken({ signingKey: keys.privateKey, userId: 'u' }),
    api.signIAdvizeToken({
      signingKey: keys.privateKey,
      encryptionKey: encryption.publicKey,
      issuer: 'i',
      userId: 'u',
    }),
    api.signAgoraRtcToken({
      appId: 'a'.repeat(32),
      appCertificate: 'b'.repeat(32),
      channelName: 'c',
    }),
  ]);
  assert.deepEqual(
    signed.map(({ token }) =>
      token.startsWith('007') ? 'AccessToken2' : `${token.split('.').length} parts`,
    ),
    ['3 parts', '3 parts', '5 parts', 'AccessToken2'],
  );
  const endpoint = api.tokenEndpoint({ authenticate: () => ({ id: 'u' }), sign: () => signed[0] });
  const response = await endpoint(new Request('https://example.com/token'));
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
});
