// What the token endpoint sees, and what DevTools shows, from real pages: no successful request
// reported as cancelled (Chromium's DevTools, so Chromium only), and an outage retried at one tab's
// rate however many tabs are open (every engine: helpers/e2e-browsers.mjs).
import assert from 'node:assert/strict';
import { beforeEach, describe } from 'node:test';
import { e2eEngines, testsFor, useEngine } from '../helpers/e2e-browsers.mjs';
import { tokenControl, tokenRequests } from '../../demo/stand-ins/script-tag-pages.mjs';
import { until } from '../helpers/until.mjs';

const PORT = 8767;
const LIFETIME = 60;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const TAB_URL = `http://127.0.0.1:${PORT}/pages/tab.html?lifetime=${LIFETIME}`;

for (const { engine, skip } of e2eEngines()) {
  describe(`token traffic, in ${engine.name}`, { skip }, () => {
    const stand = useEngine(engine, PORT);
    const { everyEngine, chromiumOnly } = testsFor(engine);
    beforeEach(() => {
      tokenRequests.length = 0;
      tokenControl.hold = false;
      tokenControl.status = 0;
    });

    /** A quiet moment: no request under way and every message delivered (WebKit's are slower). */
    const settle = () =>
      new Promise((resolve) => setTimeout(resolve, 60 * Math.min(engine.timeoutFactor, 2)));

    async function openTab(context) {
      const page = await context.newPage();
      await page.goto(TAB_URL);
      await until(
        async () => (await page.evaluate(() => window.received.length)) > 0,
        'a first token',
      );
      return page;
    }

    chromiumOnly(
      'successful token requests never show as cancelled (net::ERR_ABORTED)',
      async () => {
        const context = await stand.browser.newContext();
        const page = await openTab(context);
        const tab = page.playwright;
        const failed = [];
        let finished = 0;
        tab.on('requestfailed', (request) => {
          if (request.url().includes('/api/token')) failed.push(request.failure()?.errorText);
        });
        tab.on('requestfinished', (request) => {
          if (request.url().includes('/api/token')) finished++;
        });
        await page.evaluate(async () => {
          for (let i = 0; i < 20; i++) await window.tokens.refresh();
        });
        await until(() => finished + failed.length === 20, 'every request to end');
        console.log(`# 20 refreshes: ${finished} finished, ${failed.length} reported as failed`);
        assert.deepEqual(failed, []);
        assert.equal(finished, 20);
        await context.close();
      },
    );

    /**
     * Opens `count` tabs, lets the backend fail for `outage` seconds, then recover. Returns the token
     * requests made during the outage and in the minute after it.
     */
    async function outage(count, seconds) {
      const context = await stand.browser.newContext({ clock: NOW + 1000 });
      const tabs = [];
      for (let i = 0; i < count; i++) tabs.push(await openTab(context));
      // Random draws fixed at 0.5 in every tab: the same backoff sequence for 1 tab and for many.
      for (const tab of tabs) await tab.evaluate(() => (Math.random = () => 0.5));
      const step = async () => {
        await context.runFor(1000);
        await settle();
      };
      tokenControl.status = 503;
      const start = tokenRequests.length;
      for (let second = 0; second < seconds; second++) await step();
      const during = tokenRequests.length - start;
      tokenControl.status = 0;
      const recoveredAt = tokenRequests.length;
      const tokensBefore = await Promise.all(
        tabs.map((tab) => tab.evaluate(() => window.received.length)),
      );
      let waited = 0;
      const allRenewed = async () =>
        (await Promise.all(tabs.map((tab) => tab.evaluate(() => window.received.length)))).every(
          (length, i) => length > tokensBefore[i],
        );
      while (!(await allRenewed()) && waited++ < 120) await step();
      const after = tokenRequests.length - recoveredAt;
      await context.close();
      return { during, after, recoverySeconds: waited };
    }

    everyEngine(
      'an outage is retried at one tab’s rate however many tabs are open, and all recover together',
      async () => {
        const seconds = 180;
        const one = await outage(1, seconds);
        const five = await outage(5, seconds);
        const perMinute = (requests) => ((requests * 60) / seconds).toFixed(1);
        console.log(
          `# ${seconds} s outage, 503 from every request: 1 tab ${one.during} requests (${perMinute(one.during)}/min), ` +
            `5 tabs ${five.during} (${perMinute(five.during)}/min); after recovery 1 tab ${one.after} request(s) in ${one.recoverySeconds} s, ` +
            `5 tabs ${five.after} in ${five.recoverySeconds} s`,
        );
        // Each tab on its own would make about five times the requests; shared, they make one tab's
        // sequence, give or take the step at which the outage began.
        assert.ok(five.during <= one.during + 2, `5 tabs: ${five.during}, 1 tab: ${one.during}`);
        assert.ok(five.during >= 2, 'the tabs kept retrying');
        assert.ok(
          five.after <= 2,
          `${five.after} requests on recovery: the tabs did not all retry at once`,
        );
        assert.ok(
          five.recoverySeconds <= 62,
          'every tab has a token within a minute of the return',
        );
      },
    );
  });
}
