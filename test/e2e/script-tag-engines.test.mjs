// The demo's script-tag page (the built IIFE, `data-` attributes, a stand-in DG chat) in every
// engine: it starts its widget with a token the demo backend verifies. The rest of the demo's
// end-to-end tests (demo.test.mjs) stay in Chromium: they exercise the demo page, not the engine.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startDemoServer } from '../../demo/server.mjs';
import { e2eEngines, launchEngine } from '../helpers/e2e-browsers.mjs';
import { until } from '../helpers/until.mjs';

const PORT = 8951;

for (const { engine, skip } of e2eEngines()) {
  describe(`the demo's script-tag page, in ${engine.name}`, { skip }, () => {
    let browser;
    let demo;
    before(async () => {
      demo = await startDemoServer({ port: PORT, lifetime: 60 });
      browser = await launchEngine(engine);
    });
    after(async () => {
      await browser?.close();
      await demo?.close();
    });

    test('starts its widget with a token its backend verifies', async () => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await page.goto(`${demo.url}/script-tag.html`);
      await until(
        () => page.evaluate(() => window.WidgetToken?.widget?.ready.then(() => true)),
        'the script-tag widget',
      );
      const dgToken = await page.evaluate(() => window.__standIns['dg-chat'].tokens[0].token);
      assert.equal((await demo.verify('dg-chat', dgToken)).valid, true);
      await context.close();
    });
  });
}
