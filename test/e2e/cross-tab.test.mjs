// One refresh for all tabs: several pages of one browser context share a token source's work.
// Time is a fake clock in every page, moved together by the test (helpers/e2e-browsers.mjs); the
// Node side only waits for the browser's own asynchronous work (locks, messages, requests) to
// finish after each step. Runs in Chromium, Firefox and WebKit; the tests marked "(Chromium only)"
// add cases whose engine-specific part is already covered by the others.
import assert from 'node:assert/strict';
import { beforeEach, describe } from 'node:test';
import { e2eEngines, testsFor, useEngine } from '../helpers/e2e-browsers.mjs';
import { tokenControl, tokenRequests } from '../../demo/stand-ins/script-tag-pages.mjs';
import { until } from '../helpers/until.mjs';

const PORT = 8766;
const LIFETIME = 60;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const TAB_URL = `http://127.0.0.1:${PORT}/pages/tab.html?lifetime=${LIFETIME}`;

for (const { engine, skip } of e2eEngines()) {
  describe(`one refresh for all tabs, in ${engine.name}`, { skip }, () => {
    const stand = useEngine(engine, PORT);
    const { everyEngine, chromiumOnly } = testsFor(engine);
    beforeEach(() => {
      tokenRequests.length = 0;
      tokenControl.hold = false;
    });

    /** A quiet moment: no request under way and every message delivered (WebKit's are slower). */
    const settle = () =>
      new Promise((resolve) => setTimeout(resolve, 60 * Math.min(engine.timeoutFactor, 2)));

    async function newContext({ withoutCoordination = false } = {}) {
      // The clock stands still at NOW + 1 s until the test moves it.
      return stand.browser.newContext({ clock: NOW + 1000, withoutCoordination });
    }

    async function openTab(context) {
      const page = await context.newPage();
      await page.goto(TAB_URL);
      await until(
        async () => (await page.evaluate(() => window.received.length)) > 0,
        'a first token',
      );
      return page;
    }

    /** Runs the shared fake clock forward a second at a time, letting the pages work in between. */
    async function advance(context, seconds) {
      for (let second = 0; second < seconds; second++) {
        await context.runFor(1000);
        await settle();
      }
    }

    const receivedBy = (page) => page.evaluate(() => window.received);

    everyEngine(
      '5 tabs over 3 token lifetimes: one request per token, every tab receives every token',
      async () => {
        const context = await newContext();
        const tabs = [];
        for (let i = 0; i < 5; i++) tabs.push(await openTab(context));
        assert.equal(tokenRequests.length, 1, 'tabs 2–5 took the token from tab 1');
        await advance(context, 3 * LIFETIME);
        await settle();

        const tokens = new Set(
          (await Promise.all(tabs.map(receivedBy))).flat().map((entry) => entry.token),
        );
        console.log(
          `# 5 tabs, ${3 * LIFETIME} s of ${LIFETIME} s tokens: ${tokenRequests.length} token requests for ${tokens.size} tokens`,
        );
        assert.equal(tokenRequests.length, tokens.size, 'each token was requested once');
        // One request per cycle: a 60 s token is refreshed 42 to 48 s after it was issued, so two
        // requests closer than that would be two tabs fetching in the same cycle.
        const fetches = (await Promise.all(tabs.map((tab) => tab.evaluate(() => window.fetchedAt))))
          .flat()
          .sort((a, b) => a - b);
        const gaps = fetches.slice(1).map((time, i) => (time - fetches[i]) / 1000);
        assert.equal(fetches.length, tokenRequests.length);
        assert.ok(Math.min(...gaps) >= 40, `gaps between requests (s): ${gaps.join(', ')}`);
        for (const tab of tabs) {
          const received = await receivedBy(tab);
          assert.deepEqual(
            new Set(received.map((entry) => entry.token)),
            tokens,
            'every tab has every token',
          );
          // Each new token reached this tab before the previous one expired.
          for (let i = 1; i < received.length; i++)
            assert.ok(received[i].at < received[i - 1].expiresAt);
        }
        // Within a second of the fake clock: every tab got each token in the same second it was fetched.
        const arrival = await Promise.all(
          tabs.map(async (tab) => (await receivedBy(tab)).map((entry) => entry.at)),
        );
        for (let generation = 0; generation < tokens.size; generation++) {
          const times = arrival.map((list) => list[generation]);
          assert.ok(
            Math.max(...times) - Math.min(...times) <= 1000,
            `token ${generation} reached all tabs within 1 s`,
          );
        }
        await context.close();
      },
    );

    everyEngine(
      'without Web Locks and BroadcastChannel each tab works on its own, correctly',
      async () => {
        const context = await newContext({ withoutCoordination: true });
        const tabs = [];
        for (let i = 0; i < 3; i++) tabs.push(await openTab(context));
        await advance(context, LIFETIME);
        console.log(
          `# 3 tabs without coordination, ${LIFETIME} s: ${tokenRequests.length} token requests`,
        );
        assert.equal(new Set(tokenRequests.map((request) => request.tab)).size, 3);
        for (const tab of tabs) {
          const received = await receivedBy(tab);
          assert.ok(received.length >= 2, 'each tab refreshed its own token');
          assert.equal(await tab.evaluate(() => typeof window.tokens.token), 'string');
        }
        await context.close();
      },
    );

    chromiumOnly('a tab opened mid-cycle fetches nothing', async () => {
      const context = await newContext();
      await openTab(context);
      await advance(context, 20);
      const late = await openTab(context);
      assert.equal(tokenRequests.length, 1);
      const [first] = await receivedBy(late);
      assert.equal(typeof first.token, 'string');
      await context.close();
    });

    chromiumOnly(
      'when the fetching tab closes mid-request, another tab completes the cycle',
      async () => {
        const context = await newContext();
        const tabs = [];
        for (let i = 0; i < 3; i++) tabs.push(await openTab(context));
        const firstToken = (await receivedBy(tabs[0]))[0];
        tokenControl.hold = true;
        let seconds = 0;
        while (tokenRequests.length < 2 && seconds++ < LIFETIME) await advance(context, 1);
        const holder = tokenRequests.at(-1).tab;
        const ids = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.tabId)));
        const closing = tabs[ids.indexOf(holder)];
        tokenControl.hold = false;
        await closing.close();
        const rest = tabs.filter((tab) => tab !== closing);
        await advance(context, 15);
        assert.equal(tokenRequests.length, 3, 'one more request, from another tab');
        assert.notEqual(tokenRequests.at(-1).tab, holder);
        for (const tab of rest) {
          const received = await receivedBy(tab);
          assert.equal(received.length, 2);
          assert.ok(received[1].at < firstToken.expiresAt, 'before the old token expired');
        }
        await context.close();
      },
    );

    chromiumOnly('hidden tabs alongside a visible one add no requests', async () => {
      const context = await newContext();
      const tabs = [];
      for (let i = 0; i < 4; i++) tabs.push(await openTab(context));
      for (const hidden of tabs.slice(1)) {
        await hidden.evaluate(() => {
          Object.defineProperty(document, 'visibilityState', {
            value: 'hidden',
            configurable: true,
          });
          document.dispatchEvent(new Event('visibilitychange'));
        });
      }
      for (let cycle = 0; cycle < 3; cycle++) {
        await advance(context, 45);
        // The visible tab is looked at, focused, comes back: wake-ups in every tab.
        for (const tab of tabs) await tab.evaluate(() => window.dispatchEvent(new Event('focus')));
        await settle();
      }
      const tokens = new Set(
        (await Promise.all(tabs.map(receivedBy))).flat().map((entry) => entry.token),
      );
      console.log(
        `# 1 visible + 3 hidden tabs, 135 s: ${tokenRequests.length} token requests for ${tokens.size} tokens`,
      );
      assert.equal(tokenRequests.length, tokens.size);
      await context.close();
    });

    everyEngine('a logout in one tab stops every tab and drops its token', async () => {
      const context = await newContext();
      const tabs = [];
      for (let i = 0; i < 3; i++) tabs.push(await openTab(context));
      await tabs[0].evaluate(() => window.tokens.stop({ logout: true }));
      await until(
        async () =>
          (await Promise.all(tabs.map((tab) => tab.evaluate(() => window.stoppedBy)))).every(
            (by) => by === 'logout',
          ),
        'every tab to stop',
      );
      // Asked in the page: classic WebDriver hands `undefined` back as null.
      for (const tab of tabs)
        assert.equal(await tab.evaluate(() => window.tokens.token === undefined), true);
      const before = tokenRequests.length;
      await advance(context, 2 * LIFETIME);
      assert.equal(tokenRequests.length, before, 'no tab fetches after logout');
      await context.close();
    });

    chromiumOnly('stop() without logout stops only its own tab', async () => {
      const context = await newContext();
      const [first, second] = [await openTab(context), await openTab(context)];
      await first.evaluate(() => window.tokens.stop());
      await advance(context, LIFETIME);
      assert.equal(await first.evaluate(() => window.stoppedBy), 'stop');
      assert.equal(await second.evaluate(() => window.stoppedBy === undefined), true);
      assert.ok((await receivedBy(second)).length >= 2, 'the other tab keeps refreshing');
      await context.close();
    });
  });
}
