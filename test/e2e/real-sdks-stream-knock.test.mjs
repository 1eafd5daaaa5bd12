// The real Stream (stream-chat 9) and Knock (@knocklabs/client 0.22) clients from npm, in Chromium,
// against a loopback fake of their APIs (test/helpers/loopback-vendors.mjs). What is checked is the
// token where it leaves the browser: Stream's Authorization header and WebSocket URL, Knock's
// X-Knock-User-Token header. Time is Playwright's fake clock; the fake APIs judge expiry by it.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { launchChromium } from '../helpers/chromium.mjs';
import { startLoopbackVendors } from '../helpers/loopback-vendors.mjs';
import { until } from '../helpers/until.mjs';

const PORT = 8941;
const ORIGIN = `http://127.0.0.1:${PORT}`;
const NOW = Date.UTC(2026, 10, 24, 12, 0, 0);
const LIFETIME = 60;

let browser;
let vendors;
before(async () => {
  vendors = await startLoopbackVendors(PORT);
  vendors.lifetime = LIFETIME;
  browser = await launchChromium();
});
after(async () => {
  await browser.close();
  await vendors.close();
});

/** A page with the bundled SDKs, its clock installed at NOW and paused. */
async function openPage() {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.clock.install({ time: NOW });
  await page.clock.pauseAt(NOW + 1000);
  vendors.now = NOW + 1000;
  const console = [];
  page.on('console', (message) => console.push(message.text()));
  await page.goto(`${ORIGIN}/page.html`);
  await until(() => page.evaluate(() => 'sdk' in window), 'the page bundle');
  /** Runs the clock forward a second at a time; the fake APIs follow it. */
  const advance = async (seconds) => {
    for (let second = 0; second < seconds; second++) {
      await page.clock.runFor(1000);
      vendors.now += 1000;
      await new Promise((resolve) => setTimeout(resolve, 15));
    }
  };
  /**
   * Runs `script` in the page while the clock runs: the SDKs wait on timers while connecting.
   * Resolves with what it returned.
   */
  const run = async (script, arg) => {
    await page.evaluate(
      ([source, value]) => {
        window.outcome = undefined;
        // eslint-disable-next-line no-new-func -- the test's own code, passed as text
        Promise.resolve(new Function('arg', `return (${source})(arg)`)(value)).then(
          (result) => (window.outcome = { result }),
          (error) => (window.outcome = { error: String(error) }),
        );
      },
      [script.toString(), arg],
    );
    for (let step = 0; step < 100; step++) {
      const outcome = await page.evaluate(() => window.outcome);
      if (outcome) {
        if ('error' in outcome) throw new Error(outcome.error);
        return outcome.result;
      }
      await page.clock.runFor(100);
      vendors.now += 100;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the page script did not finish within 10 s of page time');
  };
  return { context, page, advance, run, console };
}

/** What the real client sent, summed up for the run's log (the report on real vs stand-in). */
function logTraffic(label, since) {
  const counts = {};
  for (const { method, path } of vendors.requests.slice(since)) {
    const key = `${method} ${path.replace(/ada/g, ':user')}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  console.log(`# ${label}: ${JSON.stringify(counts)}`);
}

const seenFrom = (vendor, since) => vendors.seen.slice(since).filter((s) => s.vendor === vendor);

describe('stream-chat 9 (real client, baseURL on the loopback fake)', () => {
  test('connects with the first token, and requests carry each new token before the old one expires', async () => {
    const { context, page, advance, run, console } = await openPage();
    const since = vendors.seen.length;
    const sinceRequest = vendors.requests.length;
    vendors.issued.stream.length = 0;
    await run(async (origin) => {
      const { StreamChat, createTokenSource, streamChat } = window.sdk;
      window.tokens = createTokenSource({ url: '/api/stream-token' });
      const client = new StreamChat('stream-key', { baseURL: `${origin}/stream` });
      window.client = client;
      window.chat = streamChat({ tokens: window.tokens, client, user: { id: 'ada' } });
      await window.chat.ready;
    }, ORIGIN);
    const [first] = seenFrom('stream', since);
    assert.equal(first.via, 'WebSocket URL', 'the first token leaves in the socket URL');
    assert.equal(first.token, vendors.issued.stream[0].token);

    // Three lifetimes, a request every 5 s: every request carries a valid token.
    for (let step = 0; step < (3 * LIFETIME) / 5; step++) {
      await advance(5);
      await run(() => window.client.queryChannels({}, {}, { watch: false }));
    }
    const requests = seenFrom('stream', since).filter((s) => s.via === 'Authorization header');
    assert.ok(requests.length >= 30);
    assert.deepEqual(
      requests.filter((s) => !s.valid).map((s) => s.at - NOW),
      [],
      'no request carried an expired token',
    );
    assert.ok(vendors.issued.stream.length >= 4, 'tokens were refreshed');
    const sent = [...new Set(requests.map((s) => s.token))];
    assert.deepEqual(
      sent,
      vendors.issued.stream.map((i) => i.token).slice(-sent.length),
      'in order',
    );
    assert.ok(
      console.every((line) => !vendors.issued.stream.some((i) => line.includes(i.token))),
      'no token in the console',
    );

    logTraffic('stream-chat, three lifetimes', sinceRequest);
    await run(() => window.chat.destroy());
    assert.equal(await run(() => window.client.userID), undefined);
    await context.close();
  });

  test('on its own (provider only) the client sends an expired token and is refused with error 40 first', async () => {
    const { context, page, advance, run } = await openPage();
    const since = vendors.seen.length;
    const sinceRequest = vendors.requests.length;
    await run(async (origin) => {
      const { StreamChat, createTokenSource, streamTokenProvider } = window.sdk;
      window.tokens = createTokenSource({ url: '/api/stream-token' });
      window.client = new StreamChat('stream-key', { baseURL: `${origin}/stream` });
      await window.client.connectUser({ id: 'ada' }, streamTokenProvider(window.tokens));
    }, ORIGIN);
    await advance(LIFETIME + 5);
    await run(() => window.client.queryChannels({}, {}, { watch: false }));
    const requests = seenFrom('stream', since).filter((s) => s.via === 'Authorization header');
    // The refused request, then its retry with the provider's newer token.
    assert.deepEqual(
      requests.map((s) => s.valid),
      [false, true],
    );
    await run(() => window.client.disconnectUser());
    await context.close();
  });

  test('the provider bridge answers a fresh token without a request', async () => {
    const { context, run } = await openPage();
    const result = await run(async () => {
      const { createTokenSource, streamTokenProvider } = window.sdk;
      const requests = [];
      const tokens = createTokenSource({ url: '/api/stream-token' });
      tokens.on('refreshing', () => requests.push(1));
      const provider = streamTokenProvider(tokens);
      const answers = await Promise.all([provider(), provider(), provider()]);
      const again = await provider();
      tokens.stop();
      return { requests: requests.length, same: new Set([...answers, again]).size };
    });
    assert.deepEqual(result, { requests: 1, same: 1 });
    await context.close();
  });
});

describe('@knocklabs/client 0.22 (real client, host on the loopback fake)', () => {
  test('authenticates with the first token, and requests carry each new token before the old one expires', async () => {
    const { context, page, advance, run, console } = await openPage();
    const since = vendors.seen.length;
    const sinceRequest = vendors.requests.length;
    vendors.issued.knock.length = 0;
    await run(async (origin) => {
      const { Knock, createTokenSource, knock } = window.sdk;
      window.tokens = createTokenSource({ url: '/api/knock-token' });
      window.client = new Knock('pk_test_1', { host: origin });
      window.feed = knock({ tokens: window.tokens, knock: window.client, user: 'ada' });
      await window.feed.ready;
    }, ORIGIN);
    for (let step = 0; step < (3 * LIFETIME) / 5; step++) {
      await advance(5);
      await run(() => window.client.user.get());
    }
    const requests = seenFrom('knock', since).filter((s) => s.via === 'X-Knock-User-Token header');
    assert.ok(requests.length >= 30);
    assert.equal(requests[0].token, vendors.issued.knock[0].token);
    assert.deepEqual(
      requests.filter((s) => !s.valid).map((s) => s.at - NOW),
      [],
      'no request carried an expired token',
    );
    const sent = [...new Set(requests.map((s) => s.token))];
    assert.deepEqual(
      sent,
      vendors.issued.knock.map((i) => i.token),
      'every token, in order',
    );
    assert.ok(
      console.every((line) => !vendors.issued.knock.some((i) => line.includes(i.token))),
      'no token in the console',
    );
    logTraffic('knock, three lifetimes', sinceRequest);
    assert.ok(
      vendors.requests.slice(sinceRequest).every((r) => r.method === 'GET'),
      'a bare user id is never identified (no PUT), not even on refresh',
    );
    await run(() => window.feed.logout());
    assert.equal(await run(() => window.client.userToken), undefined);
    await context.close();
  });

  test('on its own, Knock asks onUserTokenExpiring 30 s before exp (the bridge answers it)', async () => {
    const { context, page, advance, run } = await openPage();
    const since = vendors.seen.length;
    const sinceRequest = vendors.requests.length;
    vendors.issued.knock.length = 0;
    await run(async (origin) => {
      const { Knock, createTokenSource, knockTokenExpiring } = window.sdk;
      // A source whose own refresh comes late (margin 5 s), so that Knock's timer asks first.
      window.tokens = createTokenSource({
        url: '/api/knock-token',
        refreshMargin: { min: 5_000, max: 5_000, ratio: 0 },
      });
      window.client = new Knock('pk_test_1', { host: origin });
      window.client.authenticate('ada', await window.tokens.getToken(), {
        onUserTokenExpiring: knockTokenExpiring(window.tokens),
      });
    }, ORIGIN);
    await advance(LIFETIME - 25);
    await run(() => window.client.user.get());
    const [request] = seenFrom('knock', since);
    assert.equal(request.token, vendors.issued.knock[1]?.token, 'the second token, after 35 s');
    assert.equal(request.valid, true);
    await run(() => window.client.logout());
    await context.close();
  });
});
