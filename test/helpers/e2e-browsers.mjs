// One small driver API over the three engines, for the end-to-end tests that must hold in all of
// them (helpers/engines.mjs has the table). Playwright drives only Chromium here (it cannot drive
// Debian's Firefox or WebKit), so:
//   chromium  Playwright
//   firefox   puppeteer-core over WebDriver BiDi (stock firefox-esr, no geckodriver)
//   webkit    webdriverio over classic WebDriver (WebKitWebDriver + MiniBrowser, under Xvfb)
// What the tests need from a browser is only this:
//   browser.newContext({ clock, withoutCoordination })  a fresh profile (own storage, locks, channels)
//   context.newPage() / context.runFor(ms) / context.close()
//   page.goto(url) / page.evaluate(fn, arg) / page.errors() / page.close()
// Classic WebDriver has no init scripts and no clock, so neither comes from the driver: the test
// server (serveWithClock below) puts a fake clock (@sinonjs/fake-timers) and an error recorder at
// the top of every page it serves, under the page's own CSP nonce. Every page of a context starts
// at the context's current fake time, and runFor moves each page's clock in turn, as Playwright's
// context clock does.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { after, before, test } from 'node:test';
import { build } from 'esbuild';
import { chromium } from 'playwright';
import puppeteer from 'puppeteer-core';
import { remote } from 'webdriverio';
import { standInResponse } from '../../demo/stand-ins/serve-stand-ins.mjs';
import { scriptTagPageResponse } from '../../demo/stand-ins/script-tag-pages.mjs';
import { CHROMIUM_ARGS } from './chromium.mjs';
import { FIREFOX_PREFS, startWebKitDriver, webKitCapabilities } from './engine-launchers.mjs';
import {
  ENGINE_NAMES,
  engineNamed,
  findBinaries,
  missingEngineMessage,
  needsXvfb,
} from './engines.mjs';

const CLOCK_PARAMETER = 'e2e-clock';
const NO_COORDINATION_PARAMETER = 'e2e-no-coordination';
const FAKE_TIMERS_PATH = '/__e2e/fake-timers.js';

/**
 * The engines the cross-engine e2e tests run in: E2E_ENGINES (comma-separated) or all three.
 * A missing engine is `skip` (with the install line) locally and an error under CI.
 */
export function e2eEngines() {
  const names = (process.env.E2E_ENGINES || ENGINE_NAMES.join(',')).split(',').filter(Boolean);
  const ci = Boolean(process.env.CI) && process.env.CI !== 'false';
  return names.map((name) => {
    const engine = engineNamed(name);
    const usable = findBinaries(engine) && !needsXvfb(engine);
    if (usable || ci) return { engine, skip: false };
    const why = findBinaries(engine)
      ? `${name}: needs a display; run the e2e tests through \`npm run test:e2e\` (xvfb-run).`
      : missingEngineMessage(engine);
    return { engine, skip: why };
  });
}

let fakeTimersBundle;
/** @sinonjs/fake-timers as one browser script defining `FakeTimers`. */
async function fakeTimersScript() {
  fakeTimersBundle ??= build({
    entryPoints: [createRequire(import.meta.url).resolve('@sinonjs/fake-timers')],
    bundle: true,
    format: 'iife',
    globalName: 'FakeTimers',
    platform: 'browser',
    // Reached only where `process` exists, never in a page.
    external: ['util'],
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0].text);
  return fakeTimersBundle;
}

/** The scripts put first in a page: error recorder, then (when asked for) the clock. */
function pagePreamble(url, nonce) {
  const attribute = nonce ? ` nonce="${nonce}"` : '';
  const now = url.searchParams.get(CLOCK_PARAMETER);
  const withoutCoordination = url.searchParams.has(NO_COORDINATION_PARAMETER);
  const clock = now
    ? `<script${attribute} src="${FAKE_TIMERS_PATH}"></script>
<script${attribute}>window.__e2eClock = FakeTimers.withGlobal(window).install({
  now: ${Number(now)}, shouldClearNativeTimers: true,
  toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });</script>`
    : '';
  return `<script${attribute}>window.__e2eErrors = [];
addEventListener('error', (event) => __e2eErrors.push(String(event.message)));
addEventListener('unhandledrejection', (event) =>
  __e2eErrors.push(String(event.reason && event.reason.message || event.reason)));
${withoutCoordination ? 'delete Navigator.prototype.locks; delete globalThis.BroadcastChannel;' : ''}
</script>${clock}`;
}

/** Puts the preamble at the top of an HTML answer, with the nonce its CSP asks for. */
export function withPreamble(answer, url) {
  if (!String(answer.type).startsWith('text/html')) return answer;
  const csp = answer.headers?.['content-security-policy'] ?? '';
  const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
  const html = String(answer.body);
  const at = html.includes('<head>') ? html.indexOf('<head>') + '<head>'.length : 0;
  return { ...answer, body: html.slice(0, at) + pagePreamble(url, nonce) + html.slice(at) };
}

/**
 * The stand-in server (pages, stand-in vendors, token endpoint) of serve-stand-ins.mjs, with the
 * preamble in every page. `answer` lets a test file serve other pages (e.g. the demo's).
 */
export function serveWithClock(port, answer = () => undefined) {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const found =
      url.pathname === FAKE_TIMERS_PATH
        ? { status: 200, type: 'text/javascript', body: await fakeTimersScript() }
        : ((await answer(url, request)) ??
          (await standInResponse(url)) ??
          (await scriptTagPageResponse(url, request.headers)) ?? {
            status: 404,
            type: 'text/plain',
            body: 'Not found',
          });
    const served = withPreamble(found, url);
    response.writeHead(served.status, {
      'content-type': served.type,
      'access-control-allow-origin': '*',
      ...served.headers,
    });
    response.end(served.body);
  });
  server.listen(port, '127.0.0.1');
  return server;
}

/** `url` with the parameters the preamble reads. */
function pageUrl(url, { now, withoutCoordination }) {
  const target = new URL(url);
  if (now !== undefined) target.searchParams.set(CLOCK_PARAMETER, String(now));
  if (withoutCoordination) target.searchParams.set(NO_COORDINATION_PARAMETER, '1');
  return target.href;
}

/** What every engine's context does the same way, over its own `open(url)`. */
function contextOver({ open, close }, { clock, withoutCoordination = false } = {}) {
  const pages = new Set();
  let now = clock;
  return {
    get now() {
      return now;
    },
    async newPage() {
      const page = await open();
      pages.add(page);
      const goto = page.goto;
      return Object.assign(page, {
        goto: (url) => goto(pageUrl(url, { now, withoutCoordination })),
        close: async () => {
          pages.delete(page);
          await page.closeWindow();
        },
        errors: () => page.evaluate(() => window.__e2eErrors ?? []),
      });
    },
    /** Moves every open page's fake clock by `ms`, page after page. */
    async runFor(ms) {
      if (now === undefined) throw new Error('runFor needs a context made with { clock }');
      now += ms;
      for (const page of pages) {
        await page.evaluate((step) => window.__e2eClock.tickAsync(step).then(() => true), ms);
      }
    },
    close,
  };
}

async function launchChromium(executablePath) {
  const browser = await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  return {
    async newContext(options) {
      const context = await browser.newContext();
      return contextOver(
        {
          open: async () => {
            const page = await context.newPage();
            return {
              goto: (url) => page.goto(url),
              evaluate: (fn, arg) => page.evaluate(fn, arg),
              closeWindow: () => page.close(),
              // The Playwright page, for the tests that stay Chromium-only.
              playwright: page,
            };
          },
          close: () => context.close(),
        },
        options,
      );
    },
    close: () => browser.close(),
  };
}

async function launchFirefox(executablePath) {
  const browser = await puppeteer.launch({
    browser: 'firefox',
    executablePath,
    headless: true,
    extraPrefsFirefox: FIREFOX_PREFS,
  });
  return {
    async newContext(options) {
      const context = await browser.createBrowserContext();
      return contextOver(
        {
          open: async () => {
            const page = await context.newPage();
            return {
              goto: (url) => page.goto(url),
              evaluate: (fn, arg) => page.evaluate(fn, arg),
              closeWindow: () => page.close(),
            };
          },
          close: () => context.close(),
        },
        options,
      );
    },
    close: () => browser.close(),
  };
}

async function launchWebKit(driverPath, miniBrowserPath) {
  const driver = await startWebKitDriver(driverPath);
  return {
    // A WebDriver session is one browser process with its own profile: one context.
    async newContext(options) {
      const session = await remote({
        hostname: '127.0.0.1',
        port: driver.port,
        path: '/',
        logLevel: 'error',
        capabilities: webKitCapabilities(miniBrowserPath),
      });
      const unused = [await session.getWindowHandle()];
      let current = unused[0];
      const focus = async (handle) => {
        if (current !== handle) await session.switchToWindow(handle);
        current = handle;
      };
      // One window at a time takes commands: a test's Promise.all over pages runs them in turn.
      let queue = Promise.resolve();
      const inTurn = (command) => {
        const run = queue.then(command);
        queue = run.catch(() => {});
        return run;
      };
      return contextOver(
        {
          open: async () => {
            let handle = unused.pop();
            if (!handle) {
              handle = (await session.createWindow('tab')).handle;
            }
            return {
              goto: (url) => inTurn(async () => (await focus(handle), session.url(url))),
              evaluate: (fn, arg) =>
                inTurn(async () => (await focus(handle), session.execute(fn, arg))),
              closeWindow: () =>
                inTurn(async () => {
                  await focus(handle);
                  const rest = (await session.getWindowHandles()).filter((h) => h !== handle);
                  if (rest.length === 0) return; // the last window goes with the session
                  await session.closeWindow();
                  await focus(rest[0]);
                }),
            };
          },
          close: () => session.deleteSession(),
        },
        options,
      );
    },
    close: async () => driver.stop(),
  };
}

/** Launches `engine` (a row of engines.mjs) behind the common API. */
export async function launchEngine(engine) {
  const binaries = findBinaries(engine);
  if (!binaries) throw new Error(missingEngineMessage(engine));
  if (engine.name === 'chromium') return launchChromium(binaries[0]);
  if (engine.name === 'firefox') return launchFirefox(binaries[0]);
  return launchWebKit(...binaries);
}

/**
 * Registers before/after hooks that serve the stand-ins with the preamble on `port` and launch
 * `engine`; the returned object holds `browser` and `server` once they ran.
 */
export function useEngine(engine, port, answer) {
  const started = { browser: undefined, server: undefined, engine };
  before(async () => {
    started.server = serveWithClock(port, answer);
    started.browser = await launchEngine(engine);
  });
  after(async () => {
    await started.browser?.close();
    // The next engine's suite listens on the same port.
    started.server?.closeAllConnections();
    await new Promise((resolve) => started.server?.close(resolve) ?? resolve());
  });
  return started;
}

/**
 * `test` for what must hold in every engine, and `chromiumOnly` for the rest: registered in the
 * Chromium suite only, with "(Chromium only)" in its name.
 */
export function testsFor(engine) {
  return {
    everyEngine: test,
    chromiumOnly: (name, fn) =>
      engine.name === 'chromium' ? test(`${name} (Chromium only)`, fn) : undefined,
  };
}
