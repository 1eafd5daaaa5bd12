// The Twilio Conversations, Agora and LiveKit adapters driven with the vendors' own npm SDKs
// (@twilio/conversations 3, agora-rtc-sdk-ng 4, livekit-client 2), bundled into a page as a host app
// would, in Chromium. Their servers are answered by Playwright (page.route, routeWebSocket), which
// is where every token is checked: as it leaves the browser, with the vendor's own server SDK's
// secret, at the page's time. The page runs on Playwright's fake clock; the host's backend signs
// tokens at that time, and can be taken down for longer than a token's lifetime.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { build } from 'esbuild';
import { chromium } from 'playwright';
import { CHROMIUM_ARGS, chromiumPath } from '../helpers/chromium.mjs';
import { fakeAgora } from '../helpers/fake-agora.mjs';
import { fakeLiveKit } from '../helpers/fake-livekit.mjs';
import { fakeTwilsock } from '../helpers/fake-twilsock.mjs';
import { until } from '../helpers/until.mjs';
import {
  agoraTokenFor,
  checkAgoraToken,
  checkLiveKitToken,
  liveKitToken,
  twilioToken,
  AGORA,
} from '../helpers/vendor-tokens.mjs';

const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);

let browser;
let server;
let origin;
let bundle;
/** The host's backend: signs at `backend.now` (the page's time) unless it is down. */
const backend = {
  now: NOW,
  down: false,
  lifetime: 120,
  /** Tokens issued, in order: { token, at }. */
  issued: [],
  /** Requests refused while down. */
  refused: 0,
  signers: {},
};

before(async () => {
  const result = await build({
    stdin: {
      contents: `
        import { Client as TwilioClient } from '@twilio/conversations';
        import AgoraRTC from 'agora-rtc-sdk-ng';
        import { Room, RoomEvent, TokenSource } from 'livekit-client';
        import { createTokenSource, twilioConversations, agora, liveKitTokenSource } from '../../src/index.ts';
        // INFO: the level at which Agora logs its API calls (renewToken with the token's start).
        AgoraRTC.setLogLevel(1);
        window.sdk = { TwilioClient, AgoraRTC, Room, RoomEvent, TokenSource, createTokenSource, twilioConversations, agora, liveKitTokenSource };`,
      // Here: the SDKs are test-only packages (test/node_modules), found from test/ only.
      resolveDir: new URL('.', import.meta.url).pathname,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    conditions: ['browser'],
    define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
    write: false,
    logLevel: 'error',
  });
  bundle = result.outputFiles[0].contents;
  server = createServer(async (request, response) => {
    const { pathname } = new URL(request.url, 'http://x');
    const vendor = /^\/api\/(\w+)-token$/.exec(pathname)?.[1];
    if (vendor) {
      const headers = {
        'content-type': 'application/json',
        'cache-control': 'no-store',
        // The token source reads the server's time from Date: it must be the page's.
        date: new Date(backend.now).toUTCString(),
      };
      if (backend.down) {
        backend.refused++;
        response.writeHead(503, headers).end('{"error":"down"}');
        return;
      }
      const token = await backend.signers[vendor]({ at: backend.now, ttl: backend.lifetime });
      backend.issued.push({ token, at: backend.now });
      response.writeHead(200, headers);
      // Agora's token is opaque: the endpoint says how long it lives.
      response.end(JSON.stringify({ token, expiresIn: backend.lifetime }));
    } else if (pathname === '/bundle.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' }).end(bundle);
    } else if (pathname === '/') {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<!doctype html><html><body>
<script>window.unhandled = []; addEventListener('unhandledrejection', (e) => unhandled.push(String(e.reason?.message ?? e.reason)));</script>
<script src="/bundle.js"></script></body></html>`);
    } else {
      response.writeHead(404).end();
    }
  });
  // Any free port: the page and its backend share the origin, nothing else depends on it.
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${server.address().port}`;
  // WebRTC between two pages of this browser (the LiveKit client and the fake server's peer):
  // loopback candidates allowed, and host candidates not hidden behind mDNS names.
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: [
      ...CHROMIUM_ARGS,
      '--allow-loopback-in-peer-connection',
      '--disable-features=WebRtcHideLocalIpsWithMdns',
    ],
  });
});
after(async () => {
  await browser?.close();
  server?.close();
});

/**
 * A page on the fake clock (paused at NOW), whose requests to anything but its own origin are
 * refused unless `routeVendor` answers them. `tick` runs after each step of the clock (the fake
 * vendor servers push what is due).
 */
async function openPage({ routeVendor, tick = () => {}, sign }) {
  backend.now = NOW;
  backend.down = false;
  backend.issued = [];
  backend.refused = 0;
  backend.signers = sign;
  const context = await browser.newContext();
  const page = await context.newPage();
  const errors = [];
  const console = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => console.push(message.text()));
  await page.route(
    (url) => !url.href.startsWith(origin),
    (route) => route.abort(),
  );
  await routeVendor(context, page);
  await page.clock.install({ time: NOW });
  await page.clock.pauseAt(NOW + 1000);
  backend.now = NOW + 1000;
  await page.goto(`${origin}/`);
  await until(() => page.evaluate(() => 'sdk' in window), 'the page bundle');

  /** Runs the page's clock `ms` forward in steps; the backend and the fake vendors follow it. */
  const advance = async (ms, step = 1000) => {
    for (let done = 0; done < ms; done += step) {
      await page.clock.runFor(step);
      backend.now += step;
      await tick(backend.now);
      // Real time for the browser's own work (sockets, routes) between steps.
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  };
  /** Runs the clock a second at a time until `condition` holds (at most `limit` ms of page time). */
  const advanceUntil = async (condition, what, limit = 120_000) => {
    for (let waited = 0; waited <= limit; waited += 1000) {
      if (await condition()) return;
      await advance(1000);
    }
    throw new Error(`${what}: not within ${limit / 1000} s of page time`);
  };
  /** Starts `script` in the page without waiting for it: its outcome lands in window.outcome. */
  const start = (script, arg) =>
    page.evaluate(
      ([source, value]) => {
        window.outcome = undefined;
        // eslint-disable-next-line no-new-func -- the test's own code, passed as text
        Promise.resolve(new Function('arg', `return (${source})(arg)`)(value)).then(
          (result) => (window.outcome = { result }),
          (error) => (window.outcome = { error: String(error?.message ?? error) }),
        );
      },
      [script.toString(), arg],
    );
  /** Runs `script` while the clock runs (the SDKs wait on timers); resolves with its result. */
  const run = async (script, arg, limit) => {
    await start(script, arg);
    await advanceUntil(
      () => page.evaluate(() => window.outcome !== undefined),
      'the page script',
      limit,
    );
    const outcome = await page.evaluate(() => window.outcome);
    if ('error' in outcome) throw new Error(outcome.error);
    return outcome.result;
  };
  const stored = () =>
    page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }) + document.cookie);
  return { context, page, errors, console, advance, advanceUntil, start, run, stored };
}

const issuedTokens = () => backend.issued.map((issued) => issued.token);

describe('@twilio/conversations 3 through the twilioConversations adapter', () => {
  test('init and every update carry a valid token in order; after an outage longer than a lifetime the client reconnects with a fresh one', async () => {
    const twilsock = fakeTwilsock({ now: NOW });
    const { context, page, errors, console, advance, advanceUntil, run, stored } = await openPage({
      sign: { twilio: twilioToken },
      routeVendor: (context) =>
        context.routeWebSocket('wss://tsock.us1.twilio.com/**', (socket) =>
          twilsock.handle(socket),
        ),
      tick: (now) => {
        twilsock.now = now;
        twilsock.tick();
      },
    });
    twilsock.now = backend.now;
    const lifetime = backend.lifetime * 1000;

    await run(async () => {
      const { TwilioClient, createTokenSource, twilioConversations } = window.sdk;
      window.events = [];
      window.tokens = createTokenSource({ url: '/api/twilio-token', retry: { maxDelay: 10_000 } });
      window.chat = twilioConversations({
        tokens: window.tokens,
        createClient(token) {
          const client = new TwilioClient(token);
          window.client = client;
          for (const type of [
            'connectionStateChanged',
            'stateChanged',
            'tokenAboutToExpire',
            'tokenExpired',
          ]) {
            client.on(type, (value) =>
              window.events.push(`${type}${typeof value === 'string' ? ` ${value}` : ''}`),
            );
          }
          return client;
        },
      });
      window.chat.on('error', ({ error }) => window.events.push(`widget error: ${error.message}`));
      await window.chat.ready;
    });
    await advanceUntil(
      () => page.evaluate(() => window.events.includes('stateChanged initialized')),
      'the client to initialise',
    );
    const [init] = twilsock.seen;
    assert.deepEqual(
      { method: init.method, token: init.token, valid: init.valid },
      { method: 'init', token: issuedTokens()[0], valid: true },
      'the first token leaves in the init message',
    );

    // Three lifetimes: every new token leaves in an update, before the old one expires.
    await advance(3 * lifetime);
    const updates = twilsock.seen.filter((seen) => seen.method === 'update');
    assert.ok(updates.length >= 3, `${updates.length} updates`);
    assert.deepEqual(
      twilsock.seen.filter((seen) => !seen.valid),
      [],
      'Twilio never saw an invalid or expired token',
    );
    assert.deepEqual(
      twilsock.seen.map((seen) => seen.token),
      issuedTokens().slice(0, twilsock.seen.length),
      'each token once, in order',
    );
    assert.ok(
      !twilsock.pushed.some((push) => push.type === 'close 410'),
      'never closed for expiry',
    );

    // The backend goes down for two and a half lifetimes: the held token expires, Twilio closes.
    const beforeOutage = twilsock.seen.length;
    backend.down = true;
    await advance(2.5 * lifetime);
    assert.ok(
      twilsock.pushed.some((push) => push.type === 'close 410'),
      'Twilio closed the connection at expiry',
    );
    const duringOutage = await page.evaluate(() => [...window.events]);
    assert.ok(duringOutage.includes('tokenExpired'), 'the client reported tokenExpired');
    // After Twilio's close the client stays disconnected: it does not try the expired token again.
    assert.equal(await page.evaluate(() => window.client.connectionState), 'disconnected');
    assert.equal(twilsock.seen.length, beforeOutage, 'nothing sent to Twilio during the outage');

    // The backend comes back: a fresh token reaches Twilio and the client is connected again.
    backend.down = false;
    const issuedBefore = backend.issued.length;
    await advanceUntil(
      () =>
        twilsock.seen.some(
          (seen) => seen.valid && issuedTokens().slice(issuedBefore).includes(seen.token),
        ),
      'a fresh token to reach Twilio',
      180_000,
    );
    await advanceUntil(
      () => page.evaluate(() => window.client.connectionState === 'connected'),
      'the client to connect again',
    );
    const afterOutage = twilsock.seen.slice(beforeOutage);
    assert.equal(afterOutage[0].method, 'init', 'a new connection, initialised with the new token');
    assert.ok(afterOutage.every((seen) => seen.valid));
    process.stdout.write(
      `# twilio: after the outage the SDK sent ${JSON.stringify(afterOutage.map((s) => `${s.method} ${s.valid ? 'valid' : s.reason}`))}; events ${JSON.stringify(await page.evaluate(() => window.events))}; pushed ${JSON.stringify(twilsock.pushed.map((p) => p.type))}\n`,
    );

    await run(() => window.chat.destroy());
    await until(
      () => twilsock.sockets.every((socket) => !socket.open),
      'shutdown to close the socket',
    );
    const kept = await stored();
    assert.ok(
      !issuedTokens().some((token) => kept.includes(token)),
      'no token in storage or cookies',
    );
    assert.ok(
      !console.some((line) => issuedTokens().some((token) => line.includes(token))),
      'no token in the console',
    );
    assert.deepEqual(errors, []);
    await context.close();
  });
});

describe('livekit-client 2 with liveKitTokenSource as its TokenSource.custom', () => {
  test('connects with a valid token; LiveKit caches it; after an outage longer than a lifetime a new connect carries a fresh one', async () => {
    const peerContext = await browser.newContext();
    const peerPage = await peerContext.newPage();
    const liveKit = fakeLiveKit({ now: NOW, peerPage });
    const { context, page, errors, console, advance, advanceUntil, run, stored } = await openPage({
      sign: { livekit: (options) => liveKitToken({ ...options, room: 'support-42' }) },
      routeVendor: (context, page) => liveKit.route(context, page),
      tick: (now) => (liveKit.now = now),
    });
    liveKit.now = backend.now;
    const lifetime = backend.lifetime * 1000;

    const joined = await run(async () => {
      const { Room, RoomEvent, TokenSource, createTokenSource, liveKitTokenSource } = window.sdk;
      window.events = [];
      window.tokens = createTokenSource({ url: '/api/livekit-token', retry: { maxDelay: 10_000 } });
      window.asked = 0;
      const answer = liveKitTokenSource(window.tokens, 'wss://lk.test');
      window.source = TokenSource.custom(async () => {
        window.asked++;
        return answer();
      });
      window.room = new Room();
      for (const type of [
        'connected',
        'disconnected',
        'reconnecting',
        'reconnected',
        'signalConnected',
      ]) {
        window.room.on(RoomEvent[type[0].toUpperCase() + type.slice(1)] ?? type, () =>
          window.events.push(type),
        );
      }
      window.join = async () => {
        const { serverUrl, participantToken } = await window.source.fetch({});
        await window.room.connect(serverUrl, participantToken, {
          peerConnectionTimeout: 3_600_000,
        });
        return window.room.state;
      };
      return window.join();
    });
    assert.equal(joined, 'connected');
    assert.deepEqual(
      liveKit.seen.map(({ via, token, valid }) => ({ via, token, valid })),
      [{ via: 'WebSocket URL', token: issuedTokens()[0], valid: true }],
    );

    // Within the lifetime LiveKit's cache answers; the source is not asked again.
    await run(() => window.room.disconnect());
    await advance(10_000);
    await run(() => window.join());
    assert.equal(await page.evaluate(() => window.asked), 1, 'LiveKit answered from its cache');
    assert.equal(liveKit.seen.at(-1).token, issuedTokens()[0]);

    // Outage longer than a lifetime, while connected: the session lives on; then a new connect.
    backend.down = true;
    await advance(2.5 * lifetime);
    const during = await page.evaluate(() => window.room.state);
    await run(() => window.room.disconnect());
    const failed = await run(
      () =>
        window.join().then(
          () => 'joined',
          (error) => `failed: ${error.message}`,
        ),
      undefined,
      60_000,
    );
    backend.down = false;
    const issuedBefore = backend.issued.length;
    await advance(15_000);
    const rejoined = await run(() => window.join());
    const fresh = liveKit.seen.at(-1);
    process.stdout.write(
      `# livekit: state during the outage ${during}; join during the outage ${failed}; seen ${JSON.stringify(liveKit.seen.map((s) => `${s.via} ${s.valid ? 'valid' : s.reason}`))}; asked ${await page.evaluate(() => window.asked)}; received ${JSON.stringify([...new Set(liveKit.received)])}; events ${JSON.stringify(await page.evaluate(() => window.events))}\n`,
    );
    assert.equal(rejoined, 'connected');
    assert.equal(fresh.valid, true, 'a valid token after the outage');
    assert.ok(issuedTokens().slice(issuedBefore).includes(fresh.token), 'a fresh token');
    assert.ok(
      liveKit.seen.filter((seen) => seen.via === 'WebSocket URL').every((seen) => seen.valid),
    );

    await run(() => window.room.disconnect());
    const kept = await stored();
    assert.ok(
      !issuedTokens().some((token) => kept.includes(token)),
      'no token in storage or cookies',
    );
    assert.deepEqual(errors, []);
    await context.close();
    await peerContext.close();
  });
  test('a dropped session resumes with the token that the LiveKit server refreshed, without asking the source, while the backend is down', async () => {
    const peerContext = await browser.newContext();
    const peerPage = await peerContext.newPage();
    const liveKit = fakeLiveKit({ now: NOW, peerPage });
    const { context, page, errors, advance, advanceUntil, run } = await openPage({
      sign: { livekit: (options) => liveKitToken({ ...options, room: 'support-42' }) },
      routeVendor: (context, page) => liveKit.route(context, page),
      tick: (now) => (liveKit.now = now),
    });
    liveKit.now = backend.now;
    const lifetime = backend.lifetime * 1000;
    await run(async () => {
      const { Room, RoomEvent, TokenSource, createTokenSource, liveKitTokenSource } = window.sdk;
      window.events = [];
      window.tokens = createTokenSource({ url: '/api/livekit-token' });
      window.asked = 0;
      const answer = liveKitTokenSource(window.tokens, 'wss://lk.test');
      const source = TokenSource.custom(async () => {
        window.asked++;
        return answer();
      });
      window.room = new Room();
      for (const type of ['Reconnecting', 'Reconnected', 'SignalReconnecting', 'Disconnected']) {
        window.room.on(RoomEvent[type], () => window.events.push(type));
      }
      const { serverUrl, participantToken } = await source.fetch({});
      await window.room.connect(serverUrl, participantToken, { peerConnectionTimeout: 3_600_000 });
      // The engine's own event (Room does not re-emit it): the client took the server's token.
      window.room.engine.on('tokenRefreshed', () => window.events.push('TokenRefreshed'));
    });
    // The backend goes down; the first token expires while the room stays connected. LiveKit's
    // server hands the client a fresh token (signed with the same API secret), as it does
    // during a session; then the signalling connection drops.
    backend.down = true;
    await advance(lifetime + 10_000);
    assert.equal(await page.evaluate(() => window.room.state), 'connected');
    const refreshed = await liveKitToken({
      at: backend.now,
      ttl: backend.lifetime,
      room: 'support-42',
    });
    liveKit.refresh(refreshed);
    await until(
      () => page.evaluate(() => window.events.includes('TokenRefreshed')),
      'the client to take the refreshed token',
    );
    liveKit.drop();
    await advanceUntil(
      () => liveKit.sockets.length === 2 && liveKit.sockets[1].joined,
      'the client to resume the signalling connection',
    );
    await advanceUntil(
      () => page.evaluate(() => window.events.includes('Reconnected')),
      'the room to be reconnected',
    );
    const resume = liveKit.seen.at(-1);
    assert.equal(resume.token, refreshed, "the resume carries the server's refreshed token");
    assert.equal(resume.valid, true);
    assert.equal(liveKit.sockets[1].resumed, true);
    assert.equal(await page.evaluate(() => window.asked), 1, 'the source was not asked');
    assert.equal(await page.evaluate(() => window.room.state), 'connected');
    process.stdout.write(
      `# livekit resume: events ${JSON.stringify(await page.evaluate(() => window.events))}; received ${JSON.stringify([...new Set(liveKit.received)])}\n`,
    );
    await run(() => window.room.disconnect());
    assert.deepEqual(errors, []);
    await context.close();
    await peerContext.close();
  });
});

describe('agora-rtc-sdk-ng 4 through the agora adapter', () => {
  test('joins with a valid AccessToken2; renews every token in the session; after an outage longer than a lifetime the dropped session is joined again with a fresh token', async () => {
    const peerContext = await browser.newContext();
    const peerPage = await peerContext.newPage();
    const channel = 'support-42';
    const uid = 42;
    const agora = fakeAgora({ now: NOW, peerPage, channel, uid });
    const { context, page, errors, console, advance, advanceUntil, run, stored } = await openPage({
      sign: { agora: (options) => agoraTokenFor({ ...options, channel, uid }) },
      routeVendor: (context, page) => agora.route(context, page),
      tick: (now) => {
        agora.now = now;
        agora.tick();
      },
    });
    agora.now = backend.now;
    const lifetime = backend.lifetime * 1000;

    await run(
      async ({ appId, channel, uid }) => {
        const { AgoraRTC, createTokenSource, agora } = window.sdk;
        window.events = [];
        window.tokens = createTokenSource({ url: '/api/agora-token', retry: { maxDelay: 10_000 } });
        window.client = AgoraRTC.createClient({ mode: 'rtc', codec: 'vp8' });
        for (const type of [
          'connection-state-change',
          'token-privilege-will-expire',
          'token-privilege-did-expire',
        ]) {
          window.client.on(type, (current) =>
            window.events.push(`${type}${typeof current === 'string' ? ` ${current}` : ''}`),
          );
        }
        window.call = agora({ tokens: window.tokens, client: window.client, appId, channel, uid });
        window.call.on('rejoined', () => window.events.push('adapter rejoined'));
        window.call.on('error', ({ error }) =>
          window.events.push(`adapter error: ${error.message}`),
        );
        await window.call.ready;
      },
      { appId: AGORA.appId, channel, uid },
    );
    const seenBy = (via) => agora.seen.filter((seen) => seen.via === via);
    assert.equal(await page.evaluate(() => window.client.connectionState), 'CONNECTED');
    assert.deepEqual(
      seenBy('join_v3 channel_key').map(({ token, valid }) => ({ token, valid })),
      [{ token: issuedTokens()[0], valid: true }],
      'the first token joins the gateway',
    );
    assert.ok(
      seenBy('choose_server key').every((seen) => seen.token === issuedTokens()[0] && seen.valid),
    );

    // Three lifetimes: every new token is renewed in the session before the old one expires.
    await advance(3 * lifetime);
    const renewals = seenBy('renew_token');
    assert.ok(renewals.length >= 3, `${renewals.length} renewals`);
    assert.deepEqual(
      agora.seen.filter((seen) => !seen.valid),
      [],
      'Agora never saw an invalid token',
    );
    assert.deepEqual(
      renewals.map((seen) => seen.token),
      issuedTokens().slice(1, renewals.length + 1),
      'each token once, in order',
    );
    assert.ok(!agora.pushed.some((push) => push.type === 'on_token_privilege_did_expire'));

    // The backend goes down for two and a half lifetimes: the gateway ends the session at expiry.
    backend.down = true;
    await advance(2.5 * lifetime);
    assert.ok(agora.pushed.some((push) => push.type === 'on_token_privilege_did_expire'));
    const duringOutage = await page.evaluate(() => [...window.events]);
    assert.ok(duringOutage.includes('token-privilege-did-expire'));
    assert.equal(await page.evaluate(() => window.client.connectionState), 'DISCONNECTED');

    // The backend comes back: the adapter joins again with a fresh token.
    backend.down = false;
    const issuedBefore = backend.issued.length;
    const joinsBefore = seenBy('join_v3 channel_key').length;
    await advanceUntil(
      () => page.evaluate(() => window.client.connectionState === 'CONNECTED'),
      'the client to join again',
      180_000,
    );
    const rejoin = seenBy('join_v3 channel_key').slice(joinsBefore);
    process.stdout.write(
      `# agora: seen ${JSON.stringify(agora.seen.map((s) => `${s.via} ${s.valid ? 'valid' : s.reason}`))}; pushed ${JSON.stringify(agora.pushed.map((p) => p.type))}; events ${JSON.stringify(await page.evaluate(() => window.events))}\n`,
    );
    // At the very moment of expiry the source may still hand out the token the session held (it
    // counts the lifetime from its request): a join with it is refused at the access point, and
    // the next token joins. A renewal never carries an expired token.
    assert.deepEqual(
      seenBy('renew_token').filter((seen) => !seen.valid),
      [],
    );
    assert.equal(rejoin.length, 1);
    assert.equal(rejoin[0].valid, true);
    assert.ok(issuedTokens().slice(issuedBefore).includes(rejoin[0].token), 'a fresh token');
    assert.ok((await page.evaluate(() => window.events)).includes('adapter rejoined'));

    await run(() => window.call.destroy());
    assert.equal(await page.evaluate(() => window.client.connectionState), 'DISCONNECTED');
    assert.ok(agora.received.includes('leave'));
    const kept = await stored();
    assert.ok(
      !issuedTokens().some((token) => kept.includes(token)),
      'no token in storage or cookies',
    );
    // Agora's INFO log names each renewToken call with the token's first 50 characters, cut.
    const logged = console.filter((line) =>
      issuedTokens().some((t) => line.includes(t.slice(0, 40))),
    );
    assert.ok(
      !console.some((line) => issuedTokens().some((t) => line.includes(t))),
      'no whole token in the console',
    );
    process.stdout.write(`# agora: ${logged.length} console lines carry the start of a token\n`);
    assert.deepEqual(errors, []);
    await context.close();
    await peerContext.close();
  });
});
