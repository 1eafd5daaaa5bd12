// tokenEndpoint: who gets a token, who is refused, and that nothing leaks: no token or secret in
// a log line or an error body, no caching, no cross-site answer unless the origin is allowed.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import { SignerInputError, signDgChatToken, tokenEndpoint } from '../../dist/server.js';

const SECRET = 'endpoint-test-secret-never-to-be-seen';
const URL_ = 'https://app.example.com/api/dg-token';
const USER = { id: 'user-42' };
const sign = (user) =>
  signDgChatToken({ apiKey: 'dg-key', apiSecret: SECRET, externalId: user.id, lifetime: 300 });

let logged;
beforeEach(() => {
  logged = [];
  for (const method of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    mock.method(console, method, (...args) => logged.push(args.map(String).join(' ')));
  }
});
afterEach(() => mock.restoreAll());

const request = (headers = {}, init = {}) => new Request(URL_, { headers, ...init });
const endpoint = (options = {}) => tokenEndpoint({ authenticate: () => USER, sign, ...options });

/** The answer's body and headers, and every console line: no secret anywhere. */
async function assertNoSecret(response) {
  const body = await response.text();
  for (const text of [body, ...logged, JSON.stringify([...response.headers])]) {
    assert.ok(!text.includes(SECRET), 'secret leaked');
  }
  return body;
}

describe('tokenEndpoint', () => {
  test('a signed-in same-origin request gets { token, expiresIn }, not cacheable, nothing logged', async () => {
    const response = await endpoint()(request({ 'sec-fetch-site': 'same-origin' }));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.match(response.headers.get('content-type'), /^application\/json/);
    const body = await response.json();
    assert.deepEqual(Object.keys(body), ['token', 'expiresIn']);
    assert.equal(body.expiresIn, 300);
    assert.equal(body.token.split('.').length, 3);
    assert.deepEqual(logged, [], 'a token endpoint that works logs nothing');
  });

  test('no user: 401, no-store, and sign is never called', async () => {
    for (const nobody of [null, undefined, false]) {
      const signer = mock.fn(sign);
      const response = await endpoint({
        authenticate: async () => nobody,
        sign: signer,
      })(request());
      assert.equal(response.status, 401, String(nobody));
      assert.equal(response.headers.get('cache-control'), 'no-store');
      assert.deepEqual(await response.json(), { error: 'not signed in' });
      assert.equal(signer.mock.callCount(), 0);
    }
  });

  test('cross-site requests are refused (403) by Sec-Fetch-Site, or by Origin when the browser sends no Sec-Fetch-Site', async () => {
    const authenticate = mock.fn(() => USER);
    const handle = endpoint({ authenticate });
    const refused = [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site', origin: 'https://other.example.com' },
      { origin: 'https://evil.example' },
      { origin: 'null' },
      { origin: 'http://app.example.com' }, // another scheme is another origin
    ];
    for (const headers of refused) {
      const response = await handle(request(headers));
      assert.equal(response.status, 403, JSON.stringify(headers));
      assert.equal(response.headers.get('access-control-allow-origin'), null);
      assert.equal(response.headers.get('cache-control'), 'no-store');
    }
    assert.equal(authenticate.mock.callCount(), 0, 'refused before the session is even read');
    for (const headers of [
      { 'sec-fetch-site': 'same-origin', origin: 'https://app.example.com' },
      { 'sec-fetch-site': 'none' },
      { origin: 'https://app.example.com' },
      {}, // no browser involved (curl, another server)
    ]) {
      assert.equal((await handle(request(headers))).status, 200, JSON.stringify(headers));
    }
  });

  test('allowedOrigins: that origin gets CORS with credentials and a preflight answer; others stay refused', async () => {
    const handle = endpoint({ allowedOrigins: ['https://shop.example.net'] });
    const cross = { 'sec-fetch-site': 'cross-site', origin: 'https://shop.example.net' };
    const response = await handle(request(cross));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('access-control-allow-origin'), 'https://shop.example.net');
    assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
    assert.match(response.headers.get('vary'), /Origin/);

    const preflight = await handle(
      request(
        {
          ...cross,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
        { method: 'OPTIONS' },
      ),
    );
    assert.equal(preflight.status, 204);
    assert.equal(preflight.headers.get('access-control-allow-methods'), 'GET, POST');
    assert.equal(preflight.headers.get('access-control-allow-headers'), 'content-type');

    const other = await handle(
      request({ 'sec-fetch-site': 'cross-site', origin: 'https://shop.example.net.evil.example' }),
    );
    assert.equal(other.status, 403, 'exact origins only, no prefix match');
    const otherPreflight = await handle(
      request(
        { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
        { method: 'OPTIONS' },
      ),
    );
    assert.equal(otherPreflight.status, 403);
  });

  test('methods: GET and POST by default, others 405 with Allow; configurable', async () => {
    const handle = endpoint();
    assert.equal((await handle(request({}, { method: 'POST', body: '{}' }))).status, 200);
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const response = await handle(request({}, { method }));
      assert.equal(response.status, 405, method);
      assert.equal(response.headers.get('allow'), 'GET, POST');
    }
    const postOnly = endpoint({ methods: ['post'] });
    assert.equal((await postOnly(request())).status, 405);
    assert.equal((await postOnly(request({}, { method: 'POST' }))).status, 200);
  });

  test('a signer error is a bare 500: its message, the secret and the token never reach the body; one log line without the secret', async () => {
    const response = await endpoint({
      sign: () =>
        signDgChatToken({ apiKey: 'dg-key', apiSecret: SECRET, externalId: 'u', lifetime: -1 }),
    })(request());
    assert.equal(response.status, 500);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    assert.deepEqual(JSON.parse(await assertNoSecret(response)), {
      error: 'token signing failed',
    });
    assert.equal(logged.length, 1);
    assert.match(logged[0], /DigitalGenius: `lifetime`/);
  });

  test("the host's own errors are logged by name only (they may quote a key); onError hears the error itself", async () => {
    const hostError = new Error(`could not read key ${SECRET}`);
    const response = await endpoint({
      sign: () => {
        throw hostError;
      },
    })(request());
    assert.equal(response.status, 500);
    assert.equal(logged.length, 1);
    assert.match(logged[0], /Error \(details withheld/);
    await assertNoSecret(response);

    const heard = [];
    const failingSession = await endpoint({
      authenticate: () => {
        throw hostError;
      },
      onError: (error) => heard.push(error),
    })(request());
    assert.equal(failingSession.status, 500, 'a broken session store is not a sign-out');
    assert.deepEqual(heard, [hostError]);
    assert.equal(logged.length, 1, 'onError replaces the default log line');
  });

  test('a signer that returns no token is a 500, not an empty 200', async () => {
    const response = await endpoint({ sign: async () => ({ expiresIn: 60 }) })(request());
    assert.equal(response.status, 500);
  });

  test('never logs a token, whatever happens', async () => {
    const handle = endpoint({ allowedOrigins: ['https://shop.example.net'] });
    const tokens = [];
    for (const headers of [
      {},
      { origin: 'https://shop.example.net' },
      { 'sec-fetch-site': 'none' },
    ]) {
      const response = await handle(request(headers));
      tokens.push((await response.json()).token);
    }
    await endpoint({
      sign: () => Promise.reject(new SignerInputError('Knock', 'userId', 'is missing.')),
    })(request());
    for (const token of tokens) {
      assert.ok(token);
      for (const line of logged) assert.ok(!line.includes(token));
    }
  });

  test('refuses to be created without authenticate and sign', () => {
    assert.throws(() => tokenEndpoint({ sign }), /authenticate/);
    assert.throws(() => tokenEndpoint({ authenticate: () => USER }), /sign/);
  });
});
