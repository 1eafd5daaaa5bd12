// One @web/test-runner launcher per engine of engines.mjs.
// - chromium: Playwright, with Debian's /usr/bin/chromium (chromium.mjs).
// - firefox: stock firefox-esr driven by the puppeteer-core that @web/test-runner already brings,
//   over WebDriver BiDi (no geckodriver needed).
// - webkit: WebKitGTK's MiniBrowser through WebKitWebDriver (classic WebDriver); we start the
//   driver on a free port and stop it when the runner exits.
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { chromeLauncher } from '@web/test-runner-chrome';
import { webdriverLauncher } from '@web/test-runner-webdriver';
import { CHROMIUM_ARGS } from './chromium.mjs';
import { findBinaries, missingEngineMessage } from './engines.mjs';

/**
 * Firefox prefs: background tabs keep full timer resolution, without the budget throttling that
 * made each step of a multi-tab e2e test take 250 ms instead of 40 (measured), and no first-run or
 * update traffic.
 */
export const FIREFOX_PREFS = {
  'dom.min_background_timeout_value': 0,
  'dom.min_background_timeout_value_without_budget_throttling': 0,
  'dom.timeout.enable_budget_timer_throttling': false,
  'browser.shell.checkDefaultBrowser': false,
  'app.update.enabled': false,
};

/** A port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Starts WebKitWebDriver and resolves once it accepts connections; killed when Node exits. */
export async function startWebKitDriver(driverPath) {
  const port = await freePort();
  const driver = spawn(driverPath, [`--port=${port}`, '--host=127.0.0.1'], { stdio: 'ignore' });
  const stop = () => driver.kill();
  process.once('exit', stop);
  for (const signal of ['SIGINT', 'SIGTERM'])
    process.once(signal, () => {
      stop();
      process.exit(1);
    });
  for (let attempt = 0; attempt < 200; attempt++) {
    const status = await fetch(`http://127.0.0.1:${port}/status`).catch(() => undefined);
    if (status?.ok) return { port, stop };
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  stop();
  throw new Error(`WebKitWebDriver at ${driverPath} did not answer on port ${port}.`);
}

/** WebDriver capabilities for MiniBrowser, the WebKitGTK browser that webkit2gtk-driver drives. */
export function webKitCapabilities(miniBrowserPath) {
  return {
    browserName: 'MiniBrowser',
    'wdio:enforceWebDriverClassic': true,
    'webkitgtk:browserOptions': { binary: miniBrowserPath, args: ['--automation'] },
  };
}

export async function browserLauncher(engine) {
  const binaries = findBinaries(engine);
  if (!binaries) throw new Error(missingEngineMessage(engine));
  if (engine.name === 'chromium') {
    return playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: binaries[0], args: CHROMIUM_ARGS },
    });
  }
  if (engine.name === 'firefox') {
    const launcher = chromeLauncher({
      launchOptions: {
        browser: 'firefox',
        executablePath: binaries[0],
        headless: true,
        extraPrefsFirefox: FIREFOX_PREFS,
      },
    });
    launcher.name = engine.label;
    return launcher;
  }
  const [driverPath, miniBrowserPath] = binaries;
  const { port } = await startWebKitDriver(driverPath);
  const launcher = webdriverLauncher({
    hostname: '127.0.0.1',
    port,
    path: '/',
    logLevel: 'error',
    capabilities: webKitCapabilities(miniBrowserPath),
  });
  launcher.name = engine.label;
  return launcher;
}
