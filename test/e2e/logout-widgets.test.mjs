// A logout reaches every widget in every tab: several pages of one site, each with the five widgets
// (their stand-ins) on token sources shared across tabs; one tab signs out, then a new user signs in.
// The logout runs in every engine (helpers/e2e-browsers.mjs); the user switch in Chromium only.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { e2eEngines, testsFor, useEngine } from '../helpers/e2e-browsers.mjs';
import { issuedTokens } from '../../demo/stand-ins/script-tag-pages.mjs';
import { until } from '../helpers/until.mjs';

const PORT = 8932;
const TAB_URL = `http://127.0.0.1:${PORT}/pages/widgets-tab.html`;
const WIDGETS = ['dg', 'via-socket', 'engagespot', 'video', 'iadvize'];

async function openTab(context, user) {
  const page = await context.newPage();
  await page.goto(TAB_URL);
  await page.evaluate((name) => window.startFor(name), user);
  return { page };
}

/** What each vendor session looks like in a tab: the stand-ins' records and their nodes. */
const sessionIn = (page) =>
  page.evaluate(() => {
    const calls = (vendor) => (window.__standIns[vendor]?.calls ?? []).map((call) => call.name);
    return {
      loggedOut: [...window.loggedOut].sort(),
      dgReset: calls('dg-chat').includes('resetChat'),
      iadvizeLogout: calls('iadvize').includes('logout'),
      videoLeft: calls('video-sdk').includes('leave'),
      viasocketDestroyed: calls('via-socket').includes('destroy'),
      engagespotOpen: (window.__standIns.engagespot?.connections ?? []).some((c) => c.open),
      nodes: document.querySelectorAll(
        '.dg-stand-in, .viasocket-stand-in, .engagespot-stand-in, #iframe-viasocket-embed-parent-container',
      ).length,
      iAdvizeInterface: 'iAdvizeInterface' in window,
    };
  });

for (const { engine, skip } of e2eEngines()) {
  describe(`logout reaches every widget, in every tab, in ${engine.name}`, { skip }, () => {
    const stand = useEngine(engine, PORT);
    const { everyEngine, chromiumOnly } = testsFor(engine);

    everyEngine('a logout in one tab ends every vendor session in all three tabs', async () => {
      const context = await stand.browser.newContext();
      const tabs = [];
      for (let i = 0; i < 3; i++) tabs.push(await openTab(context, 'user-a'));
      await tabs[1].page.evaluate(() => window.logout());
      for (const { page } of tabs) {
        await until(
          async () => (await page.evaluate(() => window.loggedOut.length)) === 5,
          'every widget of every tab to log out',
        );
        assert.deepEqual(await sessionIn(page), {
          loggedOut: [...WIDGETS].sort(),
          dgReset: true,
          iadvizeLogout: true,
          videoLeft: true,
          viasocketDestroyed: true,
          engagespotOpen: false,
          nodes: 0,
          iAdvizeInterface: false,
        });
      }
      for (const { page } of tabs) assert.deepEqual(await page.errors(), []);
      await context.close();
    });

    chromiumOnly(
      "switching user never hands user A's token to user B's widgets, in any tab",
      async () => {
        const context = await stand.browser.newContext();
        const tabs = [];
        for (let i = 0; i < 3; i++) tabs.push(await openTab(context, 'user-a'));
        await tabs[0].page.evaluate(() => window.logout());
        for (const { page } of tabs) {
          await until(
            async () => (await page.evaluate(() => window.loggedOut.length)) === 5,
            'logout',
          );
          // What user B's widgets receive from here on is all the stand-ins will show.
          await page.evaluate(() => (window.__standIns = {}));
        }
        // The SPA signs user B in: in the tab that signed out first, then in the others.
        for (const { page } of tabs) await page.evaluate(() => window.startFor('user-b'));
        for (const { page } of tabs) {
          await page.evaluate(() => Promise.all(window.sources.map((source) => source.refresh())));
          const received = await page.evaluate(() =>
            Object.values(window.__standIns).flatMap((record) => record.tokens.map((t) => t.token)),
          );
          assert.ok(received.length >= 5, 'every widget of user B has a token');
          const users = new Set(received.map((token) => issuedTokens.get(token)));
          assert.deepEqual([...users], ['user-b']);
          assert.equal(await page.evaluate(() => window.started), 'user-b');
        }
        await context.close();
      },
    );
  });
}
