// The three browser engines the tests run in, in one table: where each binary is found (an env
// variable overrides), how slow its cross-tab primitives are compared with Chromium (the factor
// every browser-suite timeout is multiplied by), how many random sequences its model tests run in
// `npm test`, and the Debian line that installs it.
// Playwright cannot download its own Firefox or WebKit here and cannot drive Debian's builds, so
// Firefox runs through puppeteer-core over WebDriver BiDi and WebKit through WebKitWebDriver.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright';

function playwrightChromium() {
  try {
    return chromium.executablePath();
  } catch {
    return undefined;
  }
}

export const ENGINES = [
  {
    name: 'chromium',
    label: 'Chromium',
    // Without Debian's Chromium, Playwright's own download (an ordinary laptop): see chromium.mjs.
    binaries: [{ env: 'CHROME_PATH', paths: ['/usr/bin/chromium'], fallback: playwrightChromium }],
    timeoutFactor: 1,
    // The model tests' decisions are the same in every engine: the deep run is here (and, for the
    // token source's pure transition function, in Node: test/node/token-source/).
    modelRuns: 300,
    install: 'apt-get install -y chromium',
    needsDisplay: false,
  },
  {
    name: 'firefox',
    label: 'Firefox',
    binaries: [{ env: 'FIREFOX_PATH', paths: ['/usr/bin/firefox-esr', '/usr/bin/firefox'] }],
    // Measured: the suite runs as fast as in Chromium; bodies are read a turn or two later.
    timeoutFactor: 1.5,
    // Enough sequences to put every adapter and command through this engine's timers, locks and
    // channels; a deeper search in Firefox finds nothing Chromium's 300 would not (and costs minutes).
    modelRuns: 60,
    install: 'apt-get install -y firefox-esr',
    needsDisplay: false,
  },
  {
    name: 'webkit',
    label: 'WebKit',
    binaries: [
      { env: 'WEBKIT_DRIVER_PATH', paths: ['/usr/bin/WebKitWebDriver'] },
      {
        env: 'MINIBROWSER_PATH',
        paths: [
          '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
          '/usr/lib/aarch64-linux-gnu/webkit2gtk-4.1/MiniBrowser',
          '/usr/libexec/webkit2gtk-4.1/MiniBrowser',
        ],
      },
    ],
    // Measured: BroadcastChannel and Web Locks round trips take about 5× Chromium's time.
    timeoutFactor: 5,
    modelRuns: 60,
    install: 'apt-get install -y webkit2gtk-driver xvfb',
    // MiniBrowser has no headless mode: without DISPLAY it runs under xvfb-run.
    needsDisplay: true,
  },
];

export const ENGINE_NAMES = ENGINES.map((engine) => engine.name);

export function engineNamed(name) {
  const engine = ENGINES.find((candidate) => candidate.name === name);
  if (!engine) throw new Error(`Unknown engine "${name}": one of ${ENGINE_NAMES.join(', ')}.`);
  return engine;
}

/**
 * The binaries of `engine` found on this machine, in the table's order, or `undefined` where one
 * is missing. An env variable that names a missing file counts as missing, not as "look further".
 */
export function findBinaries(engine) {
  const found = engine.binaries.map(({ env, paths, fallback }) =>
    process.env[env]
      ? [process.env[env]].find(existsSync)
      : [...paths, fallback?.()].find((path) => path && existsSync(path)),
  );
  return found.every(Boolean) ? found : undefined;
}

/** The line a person reads when an engine is missing: what, and how to get it. */
export function missingEngineMessage(engine) {
  const vars = engine.binaries.map(({ env }) => env).join(' / ');
  return (
    `${engine.name}: not installed. Install it with \`sudo ${engine.install}\` ` +
    `(Debian/Ubuntu), or point ${vars} at it.`
  );
}

/** Whether an engine without a headless mode has to run under `xvfb-run -a` here. */
export function needsXvfb(engine) {
  return engine.needsDisplay && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY;
}

export const XVFB_RUN = '/usr/bin/xvfb-run';
