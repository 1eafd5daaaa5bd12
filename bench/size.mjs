// Size budgets: prints each figure against its target and fails (exit 1) when a figure grows past
// its regression limit. Targets come from the performance issue; limits (in package.json,
// "sizeLimits") are today's sizes plus a small margin, so any growth must be deliberate.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const gzip = (code) => gzipSync(code, { level: 9 }).length;
const ADAPTERS = {
  viaSocket: 'viasocket-embed-main-script',
  dgChat: 'DG_CHAT_WIDGET_CONFIG',
  iAdvize: 'iAdvizeInterface',
  engagespot: 'userToken',
  videoSdk: 'initMeeting',
  streamChat: 'connectUser',
  knock: 'identificationStrategy',
};

/** An app importing the core and one adapter, bundled and minified as a host's bundler would. */
async function app(adapter, external) {
  const result = await build({
    stdin: {
      contents: `import { createTokenSource, ${adapter} } from './dist/widget-token.js'; globalThis.app = [createTokenSource, ${adapter}];`,
      resolveDir: new URL('..', import.meta.url).pathname,
    },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    write: false,
    external,
  });
  return result.outputFiles[0].text;
}

const { SCRIPT_TAG_BUILDS } = await import('../rollup.config.mjs');
const rows = [];
for (const [entry, file] of Object.entries(SCRIPT_TAG_BUILDS)) {
  const all = entry === 'all-widgets';
  rows.push([
    `dist/${file} (${all ? 'every adapter' : `${entry} only`}, with ky and jwt-decode)`,
    gzip(await readFile(`dist/${file}`)),
    all ? 13_000 : 11_000,
    all ? 'iife' : `iife-${entry}`,
  ]);
}
let leaks = [];
// What one adapter adds to an app that already has the token source (gzip of the difference as a
// host's bundle grows; printed, not limited).
const coreOnly = gzip(await app('createWidget', ['ky', 'jwt-decode']));
const adapterRows = [];
for (const adapter of Object.keys(ADAPTERS)) {
  const withDeps = await app(adapter, []);
  const own = await app(adapter, ['ky', 'jwt-decode']);
  for (const [other, marker] of Object.entries(ADAPTERS)) {
    if (other !== adapter && withDeps.includes(marker))
      leaks.push(`${adapter} app contains ${other}`);
  }
  rows.push([
    `app: createTokenSource + ${adapter}, with ky and jwt-decode`,
    gzip(withDeps),
    undefined,
    `app-${adapter}`,
  ]);
  rows.push([`library code only: core + ${adapter}`, gzip(own), 6000, `own-${adapter}`]);
  adapterRows.push(`${adapter} ${gzip(own) - coreOnly}`);
}

// `npm run size -- --update`: after a deliberate growth (or a saving), record today's sizes + 2 %.
if (process.argv.includes('--update')) {
  const { writeFile } = await import('node:fs/promises');
  pkg.sizeLimits = Object.fromEntries(
    rows.map(([, size, , key]) => [key, Math.ceil((size * 1.02) / 10) * 10]),
  );
  await writeFile(new URL('../package.json', import.meta.url), `${JSON.stringify(pkg, null, 2)}\n`);
  console.log('package.json sizeLimits updated to today + 2 %.');
}

let failed = false;
console.log(
  `Each adapter alone (gzip bytes over createTokenSource + createWidget): ${adapterRows.join(', ')}.`,
);
console.log('| bundle | gzip bytes | target | regression limit |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, size, target, key] of rows) {
  const limit = pkg.sizeLimits?.[key];
  const over = limit !== undefined && size > limit;
  failed ||= over;
  console.log(
    `| ${name} | ${size} | ${target ?? '–'}${size > target ? ' (over)' : ''} | ${limit ?? '–'}${over ? ' EXCEEDED' : ''} |`,
  );
}
if (leaks.length) {
  failed = true;
  console.log(`Tree-shaking failed: ${leaks.join('; ')}`);
} else {
  console.log('Tree-shaking: each single-adapter app contains none of the other adapters.');
}
if (failed) {
  console.log(
    'Size check failed: a bundle grew past its regression limit (package.json "sizeLimits").',
  );
  process.exit(1);
}
