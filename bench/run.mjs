// `npm run bench`: one table, every row measured in this run, in headless Chromium against a local
// server, written to bench/RESULTS.md with the date and the browser version. Figures, not tests:
// nothing here asserts.
import { writeFile } from 'node:fs/promises';
import { Worker } from 'node:worker_threads';
import { build } from 'esbuild';
import { launchChromium } from '../test/helpers/chromium.mjs';
import { startStandInServer } from '../demo/stand-ins/serve-stand-ins.mjs';
import { tokenControl, tokenRequests } from '../demo/stand-ins/script-tag-pages.mjs';
import { until } from '../test/helpers/until.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 8799);
const ORIGIN = `http://127.0.0.1:${PORT}`;
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const DELAY = 300;
const LIFETIME = 60;

const browser = await launchChromium();
const rows = [];
const row = (measure, value, note = '') => {
  rows.push([measure, value, note]);
  console.log(`${measure}: ${value}${note ? `  (${note})` : ''}`);
};
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The time-to-ready runs are served from a thread of their own (bench/page-server-thread.mjs);
// BENCH_SERVER=main serves them from this thread, as before, to compare.
const inThread = process.env.BENCH_SERVER !== 'main';
const pageServer = inThread
  ? await new Promise((resolve) => {
      const worker = new Worker(new URL('./page-server-thread.mjs', import.meta.url), {
        workerData: { port: PORT },
      });
      worker.once('message', () => resolve(worker));
    })
  : startStandInServer(PORT);

// 1. Time until the widget is ready, token and script each delayed 300 ms, script on another origin.
async function timeToReady(path, { instrument = false } = {}) {
  const context = await browser.newContext();
  let report;
  const reported = new Promise((resolve) => (report = resolve));
  // Nothing of Playwright's runs in the page while it loads (an evaluate after the load event would
  // compile Playwright's injected script just as the library asks for its lock): the page hands
  // its outcome over through a binding, and goto returns once the navigation is committed.
  await context.exposeBinding('__benchReport', (_source, outcome) => report(outcome));
  await context.addInitScript(reportWhenReady);
  if (instrument) await context.addInitScript(recordMilestones);
  const page = await context.newPage();
  await page.goto(`${ORIGIN}${path}`, { waitUntil: 'commit' });
  const value = await Promise.race([reported, wait(10_000).then(() => 'no outcome in 10 s')]);
  const milestones = instrument ? await page.evaluate(readMilestones) : undefined;
  await context.close();
  if (typeof value !== 'number') throw new Error(`widget failed: ${value}`);
  return instrument ? { ...milestones, ready: value } : value;
}

/** Init script: hands the page's `__report.readyAt` (or `failed`) to the bench once it is set. */
function reportWhenReady() {
  const timer = setInterval(() => {
    const outcome = window.__report?.readyAt ?? window.__report?.failed;
    if (outcome === undefined) return;
    clearInterval(timer);
    window.__benchReport(outcome);
  }, 20);
}

/**
 * Runs in the page before its own scripts (an init script), for the breakdown only: notes, in ms
 * after navigation start, the first time the page reads document.currentScript (the script-tag
 * build does so in its last statement, once its code has run), creates a BroadcastChannel, asks
 * for a Web Lock and is granted it, queries the locks, calls fetch() for the token, adds a
 * preconnect/preload link and inserts a script.
 */
function recordMilestones() {
  const at = (window.__milestones = {});
  const note = (name) => {
    if (!(name in at)) at[name] = performance.now();
  };
  const currentScript = Object.getOwnPropertyDescriptor(Document.prototype, 'currentScript');
  Object.defineProperty(Document.prototype, 'currentScript', {
    configurable: true,
    get() {
      note('libraryRan');
      return currentScript.get.call(this);
    },
  });
  const send = window.fetch;
  window.fetch = function (input, init) {
    if (String(input?.url ?? input).includes('/api/token')) note('fetchCalled');
    return send.call(this, input, init);
  };
  const locks = navigator.locks;
  const request = locks.request.bind(locks);
  const query = locks.query.bind(locks);
  locks.request = (name, ...rest) => {
    const exclusive = !(rest.length > 1 && rest[0]?.mode === 'shared');
    if (exclusive) note('lockRequested');
    const callback = rest[rest.length - 1];
    rest[rest.length - 1] = (lock) => {
      if (exclusive) note('lockGranted');
      return callback(lock);
    };
    return request(name, ...rest);
  };
  locks.query = () => {
    note('queryAsked');
    return query().then((state) => (note('queryAnswered'), state));
  };
  const Channel = window.BroadcastChannel;
  window.BroadcastChannel = class extends Channel {
    constructor(name) {
      note('channelCreated');
      super(name);
    }
  };
  const added = (node) => {
    if (node?.tagName === 'LINK' && node.rel === 'preload') note('preloadAdded');
    if (node?.tagName === 'SCRIPT') note('scriptInserted');
  };
  const append = Element.prototype.append;
  Element.prototype.append = function (...nodes) {
    nodes.forEach(added);
    return append.apply(this, nodes);
  };
}

/** In the page, once ready: the milestones above and the resource timing entries. */
function readMilestones() {
  const entry = (part) =>
    performance.getEntriesByType('resource').find((resource) => resource.name.includes(part));
  const [navigation] = performance.getEntriesByType('navigation');
  const library = entry('/dist/');
  const token = entry('/api/token');
  const vendor = entry('/stand-ins/');
  return {
    ...window.__milestones,
    navigationStart: 0,
    htmlReceived: navigation.responseEnd,
    domContentLoaded: navigation.domContentLoadedEventStart,
    libraryRequested: library?.startTime,
    librarySent: library?.requestStart,
    libraryFirstByte: library?.responseStart,
    libraryReceived: library?.responseEnd,
    tokenRequested: token?.startTime,
    tokenReceived: token?.responseEnd,
    vendorRequested: vendor?.startTime,
    vendorReceived: vendor?.responseEnd,
  };
}

const vendor = `vendor=http://localhost:${PORT}`;
const modes = {
  library: `/pages/dg-chat.html?delay=${DELAY}&${vendor}`,
  snippet: `/pages/snippet.html?delay=${DELAY}&${vendor}`,
  ideal: `/pages/ideal.html?delay=${DELAY}&${vendor}`,
  // The ideal page that first loads the all-widgets file (which starts nothing): what loading a
  // library file at all costs, before any of its work.
  idealWithLibrary: `/pages/ideal.html?delay=${DELAY}&${vendor}&library`,
  // The same with an empty script file: the cost of a script file of any size.
  idealWithEmptyFile: `/pages/ideal.html?delay=${DELAY}&${vendor}&empty`,
  // The ideal page whose token request waits for a Web Lock: the one round trip that single
  // flight across tabs costs a lone tab, with no library at all.
  idealWithLock: `/pages/ideal.html?delay=${DELAY}&${vendor}&lock`,
  // Both: the floor of any glue that is a script file and keeps single flight across tabs.
  idealWithEmptyFileAndLock: `/pages/ideal.html?delay=${DELAY}&${vendor}&empty&lock`,
  noHints: `/pages/dg-chat.html?delay=${DELAY}&${vendor}&hints=false`,
  // The same tag with widget-token.dg-chat.iife.js, the file a one-widget site would load.
  perWidget: `/pages/dg-chat.html?delay=${DELAY}&${vendor}&file=widget`,
  // BASELINE_DIST=<another checkout's dist/>: the same page with that build, to measure a change.
  ...(process.env.BASELINE_DIST && {
    baseline: `/pages/dg-chat.html?delay=${DELAY}&${vendor}&baseline`,
  }),
};
const times = Object.fromEntries(Object.keys(modes).map((mode) => [mode, []]));
await timeToReady(modes.library); // warm-up: browser start-up is not what is measured
// Every other run in the reverse order: a page measured right after another context closed runs
// on a busier machine than the next one.
const inTurn = (names, run) => (run % 2 ? [...names].reverse() : names);
for (let run = 0; run < RUNS; run++) {
  for (const mode of inTurn(Object.keys(modes), run))
    times[mode].push(await timeToReady(modes[mode]));
}
const [lib, snip, ideal, floor, bare, own] = [
  median(times.library),
  median(times.snippet),
  median(times.ideal),
  median(times.idealWithLibrary),
  median(times.noHints),
  median(times.perWidget),
];
/** The median of each run's own ratio of `mode` to the ideal page. */
const runRatio = (mode, base = 'ideal') =>
  median(times[mode].map((time, run) => time / times[base][run]));
// The ratio within each run (the two pages seconds apart), then the median: the machine's load
// changes over a bench, and the pages of one run share it.
const pairRatio = runRatio('library');
row(
  'Time to ready, DG, token + script each 300 ms: widget-token (ms, median)',
  lib.toFixed(0),
  `${RUNS} runs, fresh context each`,
);
row("Time to ready: vendor's documented snippet, fetch then inject (ms, median)", snip.toFixed(0));
row(
  'Time to ready: ideal hand-written page, token fetch and script download in parallel (ms, median)',
  ideal.toFixed(0),
);
row(
  'Time to ready: ideal page that first loads the library file, which starts nothing (ms, median)',
  floor.toFixed(0),
  `${(floor / ideal).toFixed(2)} × ideal (run ratios ${runRatio('idealWithLibrary').toFixed(2)}): the floor of any page whose glue is a script file`,
);
// The floor in parts: each hand-written page against the ideal one.
for (const [mode, page, note] of [
  [
    'idealWithEmptyFile',
    'that first loads an empty script file',
    'a script file of no size at all',
  ],
  [
    'idealWithLock',
    'whose token request waits for a Web Lock',
    'single flight across tabs, no library',
  ],
  [
    'idealWithEmptyFileAndLock',
    'with both, an empty script file and a Web Lock',
    'the floor of a script-file glue with single flight',
  ],
]) {
  row(
    `Time to ready: ideal page ${page} (ms, median)`,
    median(times[mode]).toFixed(0),
    `${runRatio(mode).toFixed(2)} × ideal (run ratios): ${note}`,
  );
}
row('Time to ready: widget-token without resource hints (ms, median)', bare.toFixed(0));
row('Time to ready: widget-token, per-widget file (ms, median)', own.toFixed(0));
row(
  'Time to ready ratio, widget-token / ideal',
  (lib / ideal).toFixed(2),
  `goal ≤ 1.10; median of the ${RUNS} runs' own ratios: ${pairRatio.toFixed(2)}`,
);
row(
  'Time to ready ratio, widget-token per-widget file / ideal',
  (own / ideal).toFixed(2),
  `median of the runs' own ratios: ${runRatio('perWidget').toFixed(2)}`,
);
row(
  'Time to ready ratio, widget-token / ideal page with the library file loaded',
  (lib / floor).toFixed(2),
  `what the library's own work costs; run ratios ${runRatio('library', 'idealWithLibrary').toFixed(2)}`,
);
row('Time to ready ratio, widget-token / snippet', (lib / snip).toFixed(2));
if (times.baseline) {
  row(
    'Time to ready: the BASELINE_DIST build, same page (ms, median)',
    median(times.baseline).toFixed(0),
    `ratio to ideal ${runRatio('baseline').toFixed(2)}; this build / baseline ${runRatio('library', 'baseline').toFixed(2)} (medians of run ratios)`,
  );
}

// 1b. Where the time goes: the same two pages again, instrumented (recordMilestones), each step
// as the median over the runs of its own duration.
{
  const instrumented = ['library', 'ideal', ...(modes.baseline ? ['baseline'] : [])];
  const samples = Object.fromEntries(instrumented.map((mode) => [mode, []]));
  for (let run = 0; run < RUNS; run++) {
    for (const mode of inTurn(instrumented, run))
      samples[mode].push(await timeToReady(modes[mode], { instrument: true }));
  }
  /** Median of `to` − `from` over the runs that have both. */
  const span = (mode, from, to) =>
    median(
      samples[mode]
        .filter((run) => run[from] !== undefined && run[to] !== undefined)
        .map((run) => run[to] - run[from]),
    );
  for (const mode of instrumented) {
    for (const run of samples[mode])
      run.bothReceived = Math.max(run.tokenReceived, run.vendorReceived);
  }
  const ms = (value) => (value === undefined ? '–' : value.toFixed(1));
  const step = (measure, from, to, note) =>
    row(`Where the time goes: ${measure} (ms, median)`, ms(span('library', from, to)), note);
  step('HTML received → library script requested', 'htmlReceived', 'libraryRequested');
  step(
    'library script requested → received',
    'libraryRequested',
    'libraryReceived',
    'the one request the ideal page does not make',
  );
  step(
    'library script: requested → sent (queued in the browser)',
    'libraryRequested',
    'librarySent',
  );
  step('library script: sent → first byte (the server)', 'librarySent', 'libraryFirstByte');
  step(
    'library received → its code has run (parse, compile, run)',
    'libraryReceived',
    'libraryRan',
  );
  step(
    'library ran → lock requested (token source and widget created)',
    'libraryRan',
    'lockRequested',
  );
  step('lock requested → granted', 'lockRequested', 'lockGranted', 'Web Locks round trip');
  step(
    'lock granted → markers read',
    'lockGranted',
    'queryAnswered',
    'the lock manager queried for the other tabs’ markers',
  );
  step('lock granted → fetch() called', 'lockGranted', 'fetchCalled');
  step(
    'lock requested → fetch() called',
    'lockRequested',
    'fetchCalled',
    'all the coordination a lone tab waits for',
  );
  step('fetch() called → token request started', 'fetchCalled', 'tokenRequested');
  step('lock requested → preload added', 'lockRequested', 'preloadAdded');
  step('token received → vendor script inserted', 'tokenReceived', 'scriptInserted');
  step(
    'max(token, vendor script) received → ready',
    'bothReceived',
    'ready',
    "vendor script runs, the stand-in's 10 ms, then onWidgetEmbedded",
  );
  const both = (measure, from, to, note) =>
    row(
      `Where the time goes: ${measure}, ideal vs widget-token (ms, median)`,
      `${ms(span('ideal', from, to))} vs ${ms(span('library', from, to))}`,
      note,
    );
  both('HTML received → token request started', 'htmlReceived', 'tokenRequested');
  if (modes.baseline) {
    const compare = (measure, from, to) =>
      row(
        `Where the time goes: ${measure}, BASELINE_DIST build vs this one (ms, median)`,
        `${ms(span('baseline', from, to))} vs ${ms(span('library', from, to))}`,
      );
    compare('library ran → fetch() called', 'libraryRan', 'fetchCalled');
    compare('library received → fetch() called', 'libraryReceived', 'fetchCalled');
    compare('HTML received → token request started', 'htmlReceived', 'tokenRequested');
  }
  both('HTML received → vendor preload started', 'htmlReceived', 'vendorRequested');
  both(
    'token request started → received',
    'tokenRequested',
    'tokenReceived',
    'server delay 300 ms',
  );
  both('token received → vendor script inserted', 'tokenReceived', 'scriptInserted');
  both('max(token, vendor script) received → ready', 'bothReceived', 'ready');
  both('navigation start → ready', 'navigationStart', 'ready', 'instrumented runs');
}
// BENCH_PART=ready: the time-to-ready rows only, printed, RESULTS.md left as it is.
if (process.env.BENCH_PART === 'ready') {
  await browser.close();
  process.exit(0);
}
// From here on the bench reads the server's request log (tokenRequests): it runs in this thread.
const server = inThread ? (await pageServer.terminate(), startStandInServer(PORT)) : pageServer;

// 2. Token requests per token lifetime with 1, 5 and 20 tabs (shared fake clock, 3 lifetimes).
async function requestsPerLifetime(tabs) {
  const context = await browser.newContext();
  const start = Date.now();
  await context.clock.install({ time: start });
  await context.clock.pauseAt(start + 1000);
  tokenRequests.length = 0;
  for (let i = 0; i < tabs; i++) {
    const page = await context.newPage();
    await page.goto(`${ORIGIN}/pages/tab.html?lifetime=${LIFETIME}`);
    await until(() => page.evaluate(() => window.received.length > 0));
  }
  const first = tokenRequests.length;
  for (let second = 0; second < 3 * LIFETIME; second++) {
    await context.clock.runFor(1000);
    await wait(tabs > 5 ? 60 : 30);
  }
  const refreshes = tokenRequests.length - first;
  await context.close();
  return { first, perLifetime: refreshes / 3 };
}
for (const tabs of [1, 5, 20]) {
  const { first, perLifetime } = await requestsPerLifetime(tabs);
  row(
    `Token requests per ${LIFETIME} s lifetime, ${tabs} tab${tabs > 1 ? 's' : ''}`,
    perLifetime.toFixed(2),
    `refreshes in 3 lifetimes ÷ 3 (one every 42–48 s gives 1.00–1.33); ${first} request(s) to open all tabs`,
  );
}

// 2a. A single tab whose token lapsed (time jumped on without its timers, as in a sleep): how
// long from the call (getToken(), or a wake-up: a focus event) to the token request going out.
// The page's clock is Playwright's fake one, so both instants come from the browser's network
// events: a marker request sent just before the call, and the token request.
{
  const context = await browser.newContext();
  const start = Date.now();
  await context.clock.install({ time: start });
  await context.clock.pauseAt(start + 1000);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const sent = [];
  cdp.on('Network.requestWillBeSent', ({ request, timestamp }) =>
    sent.push({ url: request.url, at: timestamp * 1000 }),
  );
  await page.goto(`${ORIGIN}/pages/tab.html?lifetime=${LIFETIME}`);
  await until(() => page.evaluate(() => window.received.length > 0));
  const delays = { lapse: [], wake: [] };
  const sentAt = (part) => sent.find(({ url }) => url.includes(part))?.at;
  for (let run = 0; run < 2 * RUNS; run++) {
    const cause = run % 2 ? 'wake' : 'lapse';
    // Five minutes on, no timer run: the 60 s token has lapsed.
    await context.clock.setSystemTime(start + 1000 + (run + 1) * 300_000);
    sent.length = 0;
    await page.evaluate((wake) => {
      fetch('/api/called').catch(() => {});
      if (wake) dispatchEvent(new Event('focus'));
      else window.tokens.getToken();
    }, cause === 'wake');
    await until(() => sentAt('/api/token') !== undefined && sentAt('/api/called') !== undefined);
    delays[cause].push(sentAt('/api/token') - sentAt('/api/called'));
    await until(() => page.evaluate((count) => window.received.length > count, run + 1));
  }
  await context.close();
  for (const [cause, call] of [
    ['lapse', 'getToken()'],
    ['wake', 'a wake-up (focus)'],
  ]) {
    row(
      `A single tab's request after a lapse: ${call} to request sent (ms, median)`,
      median(delays[cause]).toFixed(1),
      `goal ≤ 20; ${RUNS} calls, slowest ${Math.max(...delays[cause]).toFixed(1)}`,
    );
  }
}

// 2b. A 10-minute outage (every token request answered 503), 1 tab vs 20 tabs: requests per minute
// during it, and requests until every tab holds a token again after it.
async function outage(tabs, minutes) {
  const context = await browser.newContext();
  const start = Date.now();
  await context.clock.install({ time: start });
  await context.clock.pauseAt(start + 1000);
  tokenRequests.length = 0;
  const pages = [];
  for (let i = 0; i < tabs; i++) {
    const page = await context.newPage();
    await page.goto(`${ORIGIN}/pages/tab.html?lifetime=${LIFETIME}`);
    await until(() => page.evaluate(() => window.received.length > 0));
    pages.push(page);
  }
  const step = async () => {
    await context.clock.runFor(1000);
    await wait(tabs > 5 ? 60 : 30);
  };
  tokenControl.status = 503;
  const before = tokenRequests.length;
  for (let second = 0; second < minutes * 60; second++) await step();
  const during = tokenRequests.length - before;
  tokenControl.status = 0;
  const counts = await Promise.all(
    pages.map((page) => page.evaluate(() => window.received.length)),
  );
  const recovered = tokenRequests.length;
  let seconds = 0;
  const renewed = async () =>
    (await Promise.all(pages.map((page) => page.evaluate(() => window.received.length)))).every(
      (count, i) => count > counts[i],
    );
  while (!(await renewed()) && seconds++ < 120) await step();
  const after = tokenRequests.length - recovered;
  await context.close();
  return { perMinute: during / minutes, after, seconds };
}
for (const tabs of [1, 20]) {
  const minutes = 10;
  const { perMinute, after, seconds } = await outage(tabs, minutes);
  row(
    `Token requests per minute during a ${minutes}-minute outage, ${tabs} tab${tabs > 1 ? 's' : ''}`,
    perMinute.toFixed(1),
    `backoff shared by the tabs; after the outage ${after} request(s) and ${seconds} s until every tab had a new token`,
  );
}

// 3. 50 concurrent callers.
{
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${ORIGIN}/pages/blank.html`);
  tokenRequests.length = 0;
  await page.evaluate(async () => {
    const tokens = WidgetToken.createTokenSource({ url: '/api/token?kind=jws&lifetime=60' });
    await Promise.all(Array.from({ length: 50 }, () => tokens.getToken()));
    tokens.stop();
  });
  row('Token requests for 50 concurrent getToken() calls', tokenRequests.length);
  await context.close();
}

// 4. 10,000 clients given tokens in the same second: peak requests per second over the next hour,
// with the library's margin and jitter (its own code, bundled from src) against a fixed margin.
{
  const bundled = await build({
    entryPoints: ['src/token-source/expiry.ts'],
    bundle: true,
    format: 'esm',
    write: false,
    platform: 'neutral',
  });
  const { refreshMargin } = await import(
    `data:text/javascript,${encodeURIComponent(bundled.outputFiles[0].text)}`
  );
  const policy = { ratio: 0.2, min: 5_000, max: 300_000, jitter: 0.1 };
  const fixed = { ...policy, jitter: 0 };
  for (const lifetimeMinutes of [10, 60]) {
    const lifetime = lifetimeMinutes * 60_000;
    const peak = (margin) => {
      const perSecond = new Map();
      for (let client = 0; client < 10_000; client++) {
        for (let issued = 0; ;) {
          const at = issued + lifetime - margin(lifetime);
          if (at >= 3_600_000) break;
          const second = Math.floor(at / 1000);
          perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
          issued = at;
        }
      }
      return Math.max(...perSecond.values());
    };
    const withJitter = peak((l) => refreshMargin(l, policy));
    const withoutJitter = peak((l) => refreshMargin(l, fixed));
    row(
      `Peak backend requests/s, 10,000 clients, ${lifetimeMinutes}-min tokens issued in one second`,
      `${withJitter} vs ${withoutJitter}`,
      `with jitter vs fixed margin: ${(withoutJitter / withJitter).toFixed(0)}× lower`,
    );
  }
}

// 5. Leftovers after 1,000 create-and-stop cycles: live timers, listeners, heap growth.
{
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${ORIGIN}/pages/blank.html`);
  const cdp = await context.newCDPSession(page);
  const heap = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    return (await cdp.send('Runtime.getHeapUsage')).usedSize;
  };
  await page.evaluate(() => {
    const live = new Set();
    const { setTimeout: set, clearTimeout: clear } = window;
    window.setTimeout = (fn, ms, ...args) => {
      const id = set(() => (live.delete(id), fn(...args)), ms);
      live.add(id);
      return id;
    };
    window.clearTimeout = (id) => (live.delete(id), clear(id));
    let listeners = 0;
    for (const target of [window, document]) {
      const { addEventListener: add, removeEventListener: remove } = target;
      target.addEventListener = (...args) => (listeners++, add.apply(target, args));
      target.removeEventListener = (...args) => (listeners--, remove.apply(target, args));
    }
    window.__leftovers = () => ({ timers: live.size, listeners });
    window.__cycle = async () => {
      const tokens = WidgetToken.createTokenSource({ url: '/api/token?kind=jws&lifetime=60' });
      await tokens.getToken();
      tokens.stop();
    };
  });
  // Warm-up: the first thousand cycles also fill the JIT's and the browser's caches (about 60 KiB),
  // which the second thousand do not; only those say whether cycles leak.
  await page.evaluate(async () => {
    for (let i = 0; i < 1000; i++) await window.__cycle();
  });
  const before = await heap();
  await page.evaluate(async () => {
    for (let i = 0; i < 1000; i++) await window.__cycle();
  });
  await wait(200);
  const after = await heap();
  const leftovers = await page.evaluate(() => window.__leftovers());
  const locksHeld = await page.evaluate(async () => (await navigator.locks.query()).held.length);
  row('Timers left after 2,000 create–getToken–stop cycles', leftovers.timers);
  row('Window/document listeners left after 2,000 cycles', leftovers.listeners);
  // A lock left held makes every later source of that key wait for an answer from a dead "tab".
  row('Web Locks held after 2,000 cycles', locksHeld);
  row(
    'Heap growth over 1,000 cycles after 1,000 warm-up cycles, after GC (KiB)',
    ((after - before) / 1024).toFixed(1),
  );
  await context.close();
}

const version = browser.version();
await browser.close();
server.close();

const table = [
  '| measure | value | notes |',
  '| --- | ---: | --- |',
  ...rows.map(([measure, value, note]) => `| ${measure} | ${value} | ${note} |`),
].join('\n');
await writeFile(
  new URL('RESULTS.md', import.meta.url),
  `# Benchmark results\n\nMeasured ${new Date().toISOString().slice(0, 10)} with \`npm run bench\`, headless Chromium ${version}, local server on loopback.\n\n${table}\n`,
);
console.log(`\n${table}\n\nwritten to bench/RESULTS.md`);
