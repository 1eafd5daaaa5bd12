// The demo, end to end: the real demo server (signing with jose), the QA page, the five stand-in
// widgets. Playwright's fake clock drives the page and the server's clock follows it, so tokens are
// signed and verified at the simulated time. A screenshot of the page is saved to test-results/.
// Chromium only: these exercise the demo page, not the engine; the script-tag page runs in every
// engine in script-tag-engines.test.mjs.
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import { spawn } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { startDemoServer } from '../../demo/server.mjs';
import { VENDORS as SIGNERS } from '../../demo/backend/vendors.mjs';
import { launchChromium } from '../helpers/chromium.mjs';
import { until } from '../helpers/until.mjs';

// Every vendor the backend signs for has a panel on the page; viaSocket (no expiry) comes first.
const VENDORS = Object.keys(SIGNERS);
const LIFETIME = 60;
const STEP = 5_000;

let browser;
let demo;
before(async () => {
  demo = await startDemoServer({ port: 8767, lifetime: LIFETIME });
  browser = await launchChromium();
});
after(async () => {
  await browser.close();
  await demo.close();
});

const settle = () => new Promise((resolve) => setTimeout(resolve, 40));

/** Waits until no panel of the demo page is fetching (each panel shows its phase in data-phase). */
const requestsEnded = (page) =>
  until(
    () => page.evaluate(() => !document.querySelector('[data-phase="fetching"]')),
    'every token request under way to end',
    { attempts: 1200, interval: 25 },
  );

/** A browser context whose fake clock the demo server's clock follows; `step` moves both. */
async function sharedClock(contextOptions) {
  const context = await browser.newContext(contextOptions);
  let now = Date.now();
  await context.clock.install({ time: now });
  await context.clock.pauseAt(now + 1000);
  now += 1000;
  demo.setNow(now);
  return {
    context,
    now: () => now,
    async step(ms) {
      now += ms;
      demo.setNow(now);
      await context.clock.runFor(ms);
    },
  };
}

/** The lifetime the demo gives `vendor`'s tokens: none for viaSocket, a vendor's minimum kept. */
const lifetimeOf = (vendor, lifetime = LIFETIME) =>
  vendor === 'via-socket' ? 0 : Math.max(lifetime, SIGNERS[vendor].minLifetime ?? 0);

async function openDemo(lifetime = LIFETIME) {
  for (const vendor of VENDORS) {
    Object.assign(demo.state[vendor], {
      mode: 'ok',
      requests: 0,
      issued: 0,
      lifetime: lifetimeOf(vendor, lifetime),
    });
  }
  const clock = await sharedClock({ viewport: { width: 1400, height: 1100 } });
  const { context } = clock;
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${demo.url}/`);
  // Start-up takes a few (fake) milliseconds of vendor timers: step the clock while waiting.
  const allReady = () =>
    page.evaluate(
      (vendors) =>
        vendors.every((id) =>
          document.querySelector(`#panel-${id} .log`)?.textContent.includes('widget ready'),
        ),
      VENDORS,
    );
  await until(async () => {
    if (await allReady()) return true;
    await clock.step(100);
    return false;
  }, 'every widget to be ready');
  return {
    page,
    context,
    pageErrors,
    now: clock.now,
    step: clock.step,
    /**
     * Moves the page's clock and the server's together, a step at a time. A step waits (in real
     * time) for every request under way to end first: a request held up by a loaded machine must
     * not see its token expire, or its 10 s timeout pass, in fake time meanwhile.
     */
    async advance(ms, everyStep) {
      for (let done = 0; done < ms; done += STEP) {
        await clock.step(STEP);
        await settle();
        await requestsEnded(page);
        await everyStep?.();
      }
    },
    /** The token each stand-in holds now, as its vendor's server would judge it. */
    async heldVerdicts() {
      const held = await page.evaluate(() =>
        Object.fromEntries(
          Object.entries(window.__standIns).map(([vendor, record]) => [
            vendor,
            record.tokens.at(-1).token,
          ]),
        ),
      );
      return Object.fromEntries(
        await Promise.all(
          VENDORS.map(async (vendor) => [vendor, await demo.verify(vendor, held[vendor])]),
        ),
      );
    },
  };
}

describe('the demo (Chromium only)', () => {
  test('the script-tag page and the ESM page start their widgets with verified tokens', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${demo.url}/script-tag.html`);
    await until(
      () => page.evaluate(() => window.WidgetToken?.widget?.ready.then(() => true)),
      'the script-tag widget',
    );
    const dgToken = await page.evaluate(() => window.__standIns['dg-chat'].tokens[0].token);
    assert.equal((await demo.verify('dg-chat', dgToken)).valid, true);

    await page.goto(`${demo.url}/spa.html`);
    await until(
      async () => (await page.locator('#log').textContent()).includes('VideoSDK ready'),
      'the ESM page',
    );
    await page.click('#join');
    await until(
      async () => (await page.locator('#log').textContent()).includes('joined the meeting'),
      'the join',
    );
    const videoToken = await page.evaluate(
      () => window.__standIns['video-sdk'].tokens.at(-1).token,
    );
    assert.equal((await demo.verify('video-sdk', videoToken)).valid, true);
    await context.close();
  });

  test('over a simulated hour of 60 s tokens, every widget always holds a valid token', async () => {
    // An hour is 50–85 refreshes of each 60 s token and two of Intercom's 30-minute rate windows;
    // each simulated second costs real time here (720 steps of 5 s), so longer adds little.
    const HOUR = 3600;
    const run = await openDemo();
    const rejected = [];
    let step = 0;
    await run.advance(HOUR * 1000, async () => {
      if (++step % 12) return; // check once a simulated minute
      const verdicts = await run.heldVerdicts();
      for (const [vendor, verdict] of Object.entries(verdicts)) {
        if (!verdict.valid) rejected.push(`${vendor} at +${step * 5} s: ${verdict.reason}`);
      }
    });
    assert.deepEqual(rejected, [], 'a stand-in held a token its verify endpoint rejects');

    const requests = Object.fromEntries(
      VENDORS.map((vendor) => [vendor, demo.state[vendor].requests]),
    );
    console.log(`# token requests in a simulated hour, 60 s tokens: ${JSON.stringify(requests)}`);
    assert.equal(requests['via-socket'], 1, 'viaSocket tokens have no expiry: one request');
    for (const vendor of VENDORS.slice(1)) {
      // One request per token, refreshed 70–80 % into its lifetime: for 60 s tokens 75–86 in an
      // hour (a vendor's longer minimum lifetime, fewer).
      const lifetime = lifetimeOf(vendor);
      const fewest = Math.floor(HOUR / (0.8 * lifetime)) - 2;
      const most = Math.ceil(HOUR / (0.7 * lifetime)) + 3;
      assert.ok(
        requests[vendor] >= fewest && requests[vendor] <= most,
        `${vendor}: ${requests[vendor]} requests, expected ${fewest}–${most}`,
      );
      assert.equal(demo.state[vendor].issued, requests[vendor]);
    }

    for (const vendor of VENDORS) {
      const log = await run.page.locator(`#panel-${vendor} .log`).textContent();
      for (const event of ['requested', 'received a token', 'delivered to the widget']) {
        assert.ok(log.includes(event), `${vendor} panel shows "${event}"`);
      }
    }
    assert.deepEqual(run.pageErrors, []);
    await mkdir('test-results', { recursive: true });
    await run.page.screenshot({ path: 'test-results/demo.png', fullPage: true });
    await run.context.close();
  });

  test('with its backend failing for 5 minutes, a widget recovers by itself once it returns', async () => {
    const run = await openDemo();
    await run.page.selectOption('#panel-dg-chat [data-action="mode"]', 'error500');
    await until(() => demo.state['dg-chat'].mode === 'error500', 'the switch to reach the backend');
    const before = demo.state['dg-chat'].requests;
    await run.advance(5 * 60_000);
    const duringOutage = demo.state['dg-chat'].requests - before;
    assert.ok(
      duringOutage >= 4 && duringOutage <= 25,
      `${duringOutage} requests during the outage`,
    );
    assert.equal(
      (await run.heldVerdicts())['dg-chat'].reason,
      'expired',
      'the old token lapsed meanwhile',
    );

    await run.page.selectOption('#panel-dg-chat [data-action="mode"]', 'ok');
    await until(() => demo.state['dg-chat'].mode === 'ok', 'the switch back');
    await run.advance(90_000);
    const verdicts = await run.heldVerdicts();
    assert.equal(verdicts['dg-chat'].valid, true, 'DG holds a valid token again');
    for (const vendor of VENDORS)
      assert.equal(verdicts[vendor].valid, true, `${vendor} unaffected`);
    const log = await run.page.locator('#panel-dg-chat .log').textContent();
    assert.match(log, /error request_failed/);
    await run.context.close();
  });

  test('each panel: vendor launchers inside it, its own counts, a verdict that follows the held token, blocked said as such', async () => {
    const run = await openDemo();
    const { page } = run;
    const text = (selector) => page.locator(selector).textContent();
    // DG's launcher and Zendesk's launcher frame are added at the end of <body> by their scripts.
    assert.deepEqual(
      await page.evaluate(() => ({
        dg: document.querySelector('.dg-stand-in')?.closest('.panel')?.id,
        zendesk: document
          .querySelector('iframe[title="Button to launch messaging window"]')
          ?.closest('.panel')?.id,
      })),
      { dg: 'panel-dg-chat', zendesk: 'panel-zendesk' },
    );

    // Counts are this page's requests and tokens: another tab's (the server's total) do not count.
    demo.state['dg-chat'].requests += 7;
    await run.advance(STEP);
    const log = await text('#panel-dg-chat .log');
    const own = `${log.match(/requested/g).length} / ${log.match(/received a token/g).length}`;
    assert.equal(await text('#panel-dg-chat .counts'), own);

    // The held token lapses during an outage: the panel says so at once, not at a later tick.
    demo.state['dg-chat'].mode = 'error500';
    const held = await page.evaluate(() => window.__standIns['dg-chat'].tokens.at(-1).token);
    const { expiresAt } = await demo.verify('dg-chat', held);
    const status = '#panel-dg-chat .widget-status';
    assert.match(await text(status), /✓ token verified/);
    while (run.now() < expiresAt - STEP) await run.advance(STEP);
    assert.match(await text(status), /✓ token verified/, 'valid until its expiry');
    await run.step(expiresAt - run.now() + 50);
    await until(
      async () => /✗ token rejected: expired/.test(await text(status)),
      'the verdict within 50 ms of the expiry',
    );

    // 401: the source is blocked until "Refresh now"; the panel says that, not ✓.
    demo.state.iadvize.mode = 'unauthorized';
    await page.click('#panel-iadvize [data-action="refresh"]');
    await until(
      async () => (await text('#panel-iadvize .widget-status')).includes('✗ blocked'),
      'the blocked verdict',
    );
    await run.advance(STEP);
    assert.equal(await text('#panel-iadvize .next'), 'blocked: press Refresh now');
    demo.state.iadvize.mode = 'ok';
    await page.click('#panel-iadvize [data-action="refresh"]');
    await until(async () => {
      if ((await text('#panel-iadvize .widget-status')).includes('✓ token verified')) return true;
      await run.step(100);
    }, 'the verdict after Refresh now');
    assert.deepEqual(run.pageErrors, []);
    await run.context.close();
  });

  test('"Go offline" for 45 s with 30 s tokens, then "Back online": every panel is verified again within 60 s', async () => {
    const run = await openDemo(30);
    await run.advance(60_000); // a few tokens in, as QA would be
    await run.page.click('#offline');
    await until(
      () => VENDORS.every((vendor) => demo.state[vendor].mode === 'offline'),
      'every backend offline',
    );
    await run.advance(45_000);
    const lapsed = Object.entries(await run.heldVerdicts()).filter(([, verdict]) => !verdict.valid);
    assert.ok(lapsed.length >= 8, `tokens lapsed during the outage: ${lapsed.length}`);

    await run.page.click('#offline');
    await until(() => VENDORS.every((vendor) => demo.state[vendor].mode === 'ok'), 'back online');
    await run.advance(60_000);
    const verdicts = await run.heldVerdicts();
    const statuses = await run.page.evaluate(
      (vendors) =>
        Object.fromEntries(
          vendors.map((id) => [
            id,
            document.querySelector(`#panel-${id} .widget-status`).textContent,
          ]),
        ),
      VENDORS,
    );
    for (const vendor of VENDORS) {
      assert.equal(
        verdicts[vendor].valid,
        true,
        `${vendor} holds a valid token: ${verdicts[vendor].reason}`,
      );
      assert.match(statuses[vendor], /✓ token verified/, `${vendor} panel: ${statuses[vendor]}`);
    }
    assert.deepEqual(run.pageErrors, []);
    await run.context.close();
  });

  test("the header shows the server's token lifetime and the claims show readable times", async () => {
    const run = await openDemo();
    assert.equal(await run.page.locator('#token-lifetime').textContent(), `${LIFETIME} s`);
    const claims = await run.page.locator('#panel-dg-chat .claims').textContent();
    assert.match(claims, /"exp": "\d{10} \(\d{1,2}:\d{2}:\d{2}/);
    await run.context.close();
  });

  test('the script-tag page logs each request, token, delivery and error', async () => {
    Object.assign(demo.state['dg-chat'], { mode: 'ok', lifetime: LIFETIME });
    const clock = await sharedClock();
    const { context } = clock;
    const page = await context.newPage();
    await page.goto(`${demo.url}/script-tag.html`);
    const log = () => page.locator('#log').textContent();
    const advance = async (ms) => {
      await clock.step(ms);
      await settle();
    };
    await until(async () => {
      if ((await log()).includes('widget ready')) return true;
      await advance(100);
    }, 'the widget');
    demo.state['dg-chat'].mode = 'error500';
    // The refresh falls 42–48 s into a 60 s token; it fails, and the log says so.
    await until(async () => {
      if ((await log()).includes('error request_failed')) return true;
      await advance(STEP);
    }, 'the failed refresh in the log');
    demo.state['dg-chat'].mode = 'ok';
    await until(async () => {
      if (((await log()).match(/delivered to the widget/g) ?? []).length >= 2) return true;
      await advance(STEP);
    }, 'the next token in the log');
    const text = await log();
    assert.match(text, /requested \(retry/);
    assert.match(text, /received a token, valid until/);
    await context.close();
  });
});

describe('the demo server', () => {
  /** Runs `npm start`'s server with these variables; its exit code and output. */
  const runServer = (env) =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, ['demo/server.mjs'], {
        env: { ...process.env, ...env },
      });
      let output = '';
      child.stdout.on('data', (chunk) => (output += chunk));
      child.stderr.on('data', (chunk) => (output += chunk));
      const timer = setTimeout(() => child.kill(), 10_000);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, lines: output.trim().split('\n') });
      });
    });

  test('a busy port is one line naming PORT, not a stack trace', async () => {
    const { code, lines } = await runServer({ PORT: '8767' }); // this file's server holds it
    assert.equal(code, 1);
    assert.equal(lines.length, 1, lines.join('\n'));
    assert.match(lines[0], /port 8767 is in use.*PORT=8768 npm start/);
  });

  test('a token lifetime of 0 is refused where the vendor needs tokens to expire', async () => {
    const { code, lines } = await runServer({ PORT: '8769', TOKEN_LIFETIME: '0' });
    assert.equal(code, 1);
    assert.deepEqual(lines, [
      'widget-token demo: TOKEN_LIFETIME must be a positive number of seconds, received 0.',
    ]);
    const control = (vendor, lifetime) =>
      fetch(`${demo.url}/api/${vendor}/control`, {
        method: 'POST',
        body: JSON.stringify({ lifetime }),
      });
    const refused = await control('dg-chat', 0);
    assert.equal(refused.status, 400);
    assert.match((await refused.json()).error, /dg-chat tokens must expire/);
    assert.equal(demo.state['dg-chat'].lifetime, LIFETIME, 'unchanged');
    assert.equal((await control('via-socket', 0)).status, 200, 'viaSocket tokens may not expire');
    assert.equal((await control('dg-chat', -5)).status, 400);
    // Shorter than the library can refresh safely: refused, rather than an error beside every
    // delivered token.
    const tooShort = await control('dg-chat', 10);
    assert.equal(tooShort.status, 400);
    assert.match((await tooShort.json()).error, /at least 15 s/);
    assert.equal((await control('dg-chat', 15)).status, 200);
    assert.equal((await control('dg-chat', LIFETIME)).status, 200);
    // Twilio and Agora refuse tokens living over 24 h: the control says so, not a failing signer.
    const tooLong = await control('twilio-conversations', 24 * 3600 + 1);
    assert.equal(tooLong.status, 400);
    assert.match((await tooLong.json()).error, /at most 86400 s/);
    assert.equal((await control('agora', 24 * 3600 + 1)).status, 400);
  });
});
