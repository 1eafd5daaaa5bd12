// Time until a widget is ready when the token endpoint and the vendor script each take 300 ms,
// with the library's resource hints and without them. Pages use the script-tag build with the DG
// chat stand-in (its script must wait for the token, so preloading it matters); the vendor script
// comes from another origin, as in real life. Each run gets a fresh browser context: no cache, no
// warm connection. Prints medians; asserts nothing (figures, not tests).
import { launchChromium } from '../test/helpers/chromium.mjs';
import { startStandInServer } from '../demo/stand-ins/serve-stand-ins.mjs';

const PORT = Number(process.env.BENCH_PORT ?? 8799);
const RUNS = Number(process.env.BENCH_RUNS ?? 15);
const DELAY = 300;

const server = startStandInServer(PORT);
const browser = await launchChromium();

async function timeToReady(hints) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const query = `delay=${DELAY}&vendor=http://localhost:${PORT}${hints ? '' : '&hints=false'}`;
  await page.goto(`http://127.0.0.1:${PORT}/pages/dg-chat.html?${query}`);
  const report = await page.waitForFunction(
    () => window.__report?.readyAt ?? window.__report?.failed,
    null,
    {
      timeout: 10_000,
    },
  );
  const value = await report.jsonValue();
  await context.close();
  if (typeof value !== 'number') throw new Error(`widget failed: ${value}`);
  return value;
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

const results = { hints: [], none: [] };
await timeToReady(true); // warm-up: the browser's own start-up is not what is measured
for (let run = 0; run < RUNS; run++) {
  // Alternate so that drift on the machine affects both modes alike.
  results.hints.push(await timeToReady(true));
  results.none.push(await timeToReady(false));
}
await browser.close();
server.close();

const row = (name, values) =>
  `| ${name.padEnd(34)} | ${median(values).toFixed(0).padStart(6)} | ${Math.min(...values)
    .toFixed(0)
    .padStart(5)} | ${Math.max(...values)
    .toFixed(0)
    .padStart(5)} |`;
console.log(
  `Time to ready, token and vendor script each delayed ${DELAY} ms, ${RUNS} runs each (ms from navigation start)`,
);
console.log(`| ${'mode'.padEnd(34)} | median |   min |   max |`);
console.log(`|${'-'.repeat(36)}|--------|-------|-------|`);
console.log(row('with hints (preconnect + preload)', results.hints));
console.log(row('without hints', results.none));
console.log(
  `saved by the hints: ${(median(results.none) - median(results.hints)).toFixed(0)} ms (median)`,
);
