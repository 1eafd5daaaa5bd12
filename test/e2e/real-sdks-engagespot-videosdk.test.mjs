// The Engagespot and VideoSDK adapters against the vendors' own npm packages (@engagespot/core 3.x,
// @videosdk.live/js-sdk 1.1.1), bundled into a page as a host app would. The vendors' servers are
// answered by Playwright (page.route, context.routeWebSocket), which is also where each token is
// checked: as it leaves the browser.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { launchChromium } from '../helpers/chromium.mjs';
import { until } from '../helpers/until.mjs';

const PORT = 8931;
const ORIGIN = `http://127.0.0.1:${PORT}`;

let browser;
let server;
let bundle;
/** Tokens the page's backend issued, in order. */
const issued = [];

const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
/** An unsigned test token (the browser never verifies signatures), valid for an hour. */
function testToken() {
  const iat = Math.floor(Date.now() / 1000);
  const claims = { sub: 'user:user-1', apiKey: 'key-1', iat, exp: iat + 3600 };
  return `${base64url({ alg: 'RS256', typ: 'JWT' })}.${base64url(claims)}.${randomBytes(6).toString('base64url')}`;
}

before(async () => {
  const result = await build({
    // The page: the library's adapters and the vendors' own packages, bundled as a host app would.
    stdin: {
      contents: `
        import { createInstance } from '@engagespot/core';
        import { VideoSDK } from '@videosdk.live/js-sdk';
        import { createTokenSource, engagespot, videoSdk } from '../../src/index.ts';
        window.realSdks = { createInstance, VideoSDK, createTokenSource, engagespot, videoSdk };`,
      resolveDir: new URL('.', import.meta.url).pathname,
      loader: 'js',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    write: false,
    logLevel: 'error',
  });
  bundle = result.outputFiles[0].contents;
  server = createServer((request, response) => {
    if (request.url === '/api/token') {
      const token = testToken();
      issued.push(token);
      response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify({ token }));
    } else if (request.url === '/bundle.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      response.end(bundle);
    } else if (request.url === '/') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><html><body><div id="bell"></div>
<script>window.unhandled = []; addEventListener('unhandledrejection', (e) => unhandled.push(String(e.reason?.message ?? e.reason)));</script>
<script src="/bundle.js"></script></body></html>`);
    } else {
      response.writeHead(404).end();
    }
  });
  await new Promise((resolve) => server.listen(PORT, '127.0.0.1', resolve));
  browser = await launchChromium();
});
after(async () => {
  await browser?.close();
  server?.close();
});

/** A page whose requests to anything but our server are refused unless a route answers them. */
async function openPage(routeVendor) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.route(
    (url) => !url.href.startsWith(ORIGIN),
    (route) => route.abort(),
  );
  // After the catch-all (the last route added wins), before navigating (Playwright routes
  // WebSockets by patching them as the page starts).
  await routeVendor(context, page);
  await page.goto(`${ORIGIN}/`);
  return { context, page, errors };
}

describe('@engagespot/core 3.x through the engagespot adapter', () => {
  test('each token leaves the browser from a new instance; the old one sends nothing more and its realtime connection is closed', async () => {
    /** Every request to Engagespot's API, with the token it carried. */
    const apiRequests = [];
    /** Every realtime connection, with the token of its socket.io CONNECT packet. */
    const sockets = [];
    const { context, page, errors } = await openPage(async (context, page) => {
      await page.route('https://api.engagespot.co/**', (route) => {
        const authorization = route.request().headers().authorization ?? '';
        apiRequests.push({ path: new URL(route.request().url()).pathname, authorization });
        route.fulfill({
          status: 200,
          contentType: 'application/json',
          body: JSON.stringify({ app: { enableWebPush: false } }),
        });
      });
      await context.routeWebSocket('wss://api.engagespot.co/**', (socket) => {
        const entry = { token: undefined, open: true };
        sockets.push(entry);
        // engine.io v4 open, then socket.io's CONNECT answer for the default namespace.
        socket.send(
          `0${JSON.stringify({ sid: 'e1', upgrades: [], pingInterval: 25000, pingTimeout: 20000, maxPayload: 1e6 })}`,
        );
        socket.onMessage((message) => {
          const text = String(message);
          if (text.startsWith('40')) {
            entry.token = JSON.parse(text.slice(2) || '{}').token;
            socket.send('40{"sid":"s1"}');
          } else if (text === '41') entry.open = false;
        });
        socket.onClose(() => (entry.open = false));
      });
    });

    issued.length = 0;
    await page.evaluate(async () => {
      const { createInstance, createTokenSource, engagespot } = window.realSdks;
      window.tokens = createTokenSource({ url: '/api/token', crossTab: false });
      window.inbox = engagespot({
        tokens: window.tokens,
        apiKey: 'key-1',
        userId: 'user-1',
        render(props) {
          const instance = createInstance(props);
          return () => instance.realTime.disconnect();
        },
      });
      await window.inbox.ready;
    });
    await until(() => sockets[0]?.token !== undefined, 'the first realtime connection');
    const [first] = issued;
    assert.equal(sockets[0].token, first);
    await until(() => apiRequests.length >= 1, 'the first API request');
    assert.ok(apiRequests.every((request) => request.authorization === `Bearer ${first}`));

    await page.evaluate(() => window.tokens.refresh());
    await until(() => sockets[1]?.token !== undefined, 'a second realtime connection');
    const second = issued[1];
    await until(() => !sockets[0].open, 'the first connection to close');
    assert.equal(sockets[1].token, second);
    assert.equal(sockets[1].open, true);
    const sinceRefresh = apiRequests.slice(
      apiRequests.findIndex((r) => r.authorization.includes(second)),
    );
    assert.ok(sinceRefresh.length >= 1, 'the new instance called the API');
    assert.ok(
      sinceRefresh.every((request) => request.authorization === `Bearer ${second}`),
      'nothing more with the old token',
    );

    await page.evaluate(() => window.inbox.logout());
    await until(() => !sockets[1].open, 'logout to close the connection');
    const stored = await page.evaluate(
      () => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie,
    );
    assert.ok(!issued.some((token) => stored.includes(token)), 'no token in storage or cookies');
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('@videosdk.live/js-sdk 1.1.1 through the videoSdk adapter', () => {
  test('a refused token refreshes and joins once more with the new one; then a typed error with the code, nothing unhandled', async () => {
    const joins = [];
    const { context, page, errors } = await openPage((context, page) =>
      page.route('https://api.videosdk.live/**', (route) => {
        const url = new URL(route.request().url());
        if (url.pathname !== '/infra/v1/meetings/init-config') return route.abort();
        joins.push(route.request().headers().authorization);
        const refusal =
          joins.length === 1
            ? { code: 4002, error: 'Token is invalid or expired' }
            : {
                code: 4024,
                error: "Role provided in 'token' is not valid for joining the meeting",
              };
        route.fulfill({
          status: 400,
          contentType: 'application/json',
          body: JSON.stringify(refusal),
        });
      }),
    );

    issued.length = 0;
    const outcome = await page.evaluate(async () => {
      const { VideoSDK, createTokenSource, videoSdk } = window.realSdks;
      const tokens = createTokenSource({ url: '/api/token', crossTab: false });
      const video = videoSdk({ tokens, sdk: VideoSDK });
      await video.ready;
      try {
        await video.join({
          meetingId: 'abcd-efgh-ijkl',
          name: 'Ada',
          micEnabled: false,
          webcamEnabled: false,
        });
        return { joined: true };
      } catch (error) {
        return { name: error.name, code: error.code, vendorCode: error.vendorCode };
      }
    });
    assert.deepEqual(outcome, { name: 'WidgetError', code: 'widget_failed', vendorCode: 4024 });
    assert.deepEqual(joins, [issued[0], issued[1]], 'the second join carried the refreshed token');
    // Give a stray rejection the chance to surface before looking.
    await page.evaluate(() => new Promise((resolve) => setTimeout(resolve, 50)));
    assert.deepEqual(await page.evaluate(() => window.unhandled), []);
    assert.deepEqual(errors, []);
    await context.close();
  });
});
