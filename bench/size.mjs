// Size budgets: prints each figure against its target and fails (exit 1) when a figure grows past
// its regression limit. Targets come from the performance issue; limits (in package.json,
// "sizeLimits") are today's sizes plus a small margin, so any growth must be deliberate.
import { build } from 'esbuild';
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import { SCRIPT_TAG_FILES, VENDORS } from '../src/vendors.mjs';

const pkg = JSON.parse(await readFile(new URL('../package.json', import.meta.url), 'utf8'));
const gzip = (code) => gzipSync(code, { level: 9 }).length;
/** The package.json "sizeLimits" key of a script-tag file. */
export const sizeKey = (file) => (file === 'all-widgets' ? 'iife' : `iife-${file}`);
// Every adapter and the string only its code contains, from the vendor table.
const ADAPTERS = Object.fromEntries(VENDORS.map(({ adapter, marker }) => [adapter, marker]));
// Targets of the first-hour issue (20): the all-widgets file with the tag-build widgets only, and
// each per-widget file (which also waits on the core shrinking, issue 18); and the own code of an
// app with the core and dgChat (issue 18). The other apps have no target of their own.
const TARGET = { allWidgets: 18_000, perWidget: 14_500, ownCoreAndDgChat: 9_500 };

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

const rows = [];
for (const { name, file } of SCRIPT_TAG_FILES) {
  const all = name === 'all-widgets';
  rows.push([
    `dist/${file} (${all ? 'every widget with a tag build' : `${name} only`}, with ky and jwt-decode)`,
    gzip(await readFile(`dist/${file}`)),
    all ? TARGET.allWidgets : TARGET.perWidget,
    sizeKey(name),
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
  rows.push([
    `library code only: core + ${adapter}`,
    gzip(own),
    adapter === 'dgChat' ? TARGET.ownCoreAndDgChat : undefined,
    `own-${adapter}`,
  ]);
  // A bridge without createWidget (liveKitTokenSource) would show a negative share: not listed.
  if (gzip(own) >= coreOnly) adapterRows.push(`${adapter} ${gzip(own) - coreOnly}`);
}

// The React bindings (widget-token/react) on their own: minified, React and the core left out (an
// app importing them has both anyway).
const bindings = await build({
  entryPoints: ['dist/react.js'],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  write: false,
  external: ['react', './widget-token.js'],
});
rows.push([
  'dist/react.js minified (React bindings only, core and React excluded)',
  gzip(bindings.outputFiles[0].text),
  2000,
  'react-bindings',
]);
// The main entry must stay free of React: an app without React never pays for the bindings.
const core = await readFile('dist/widget-token.js', 'utf8');
if (/from\s*['"]react(-dom)?['"/]/.test(core)) leaks.push('dist/widget-token.js imports React');
if (/useSyncExternalStore|useWidget/.test(core)) leaks.push('dist/widget-token.js has React code');
// The browser entries must stay free of the server half (widget-token/server) and of jose: no
// import of either, none of their code (their message prefix, jose's error codes, the signers'
// vendor constants) in the npm entries or in any script-tag file.
const SERVER_MARKERS = [
  /from\s*['"](jose|\.\/server\.js)['"]/,
  /\[widget-token\/server\]/,
  /ERR_JOSE_|ERR_JWS_|ERR_JWE_/,
  /twilio-fpa;v=1|CompressionStream/,
];
const { readdir } = await import('node:fs/promises');
const browserFiles = [
  'widget-token.js',
  'react.js',
  ...(await readdir('dist')).filter((file) => file.endsWith('.iife.js')),
];
for (const file of browserFiles) {
  const code = await readFile(`dist/${file}`, 'utf8');
  const marker = SERVER_MARKERS.find((pattern) => pattern.test(code));
  if (marker) leaks.push(`dist/${file} contains server code (${marker.source})`);
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

// Where the bytes go: each module's share of one app's own code (core + dgChat, ky and jwt-decode
// external), built from the sources; gzip shares are proportional to minified bytes.
async function perModule() {
  const result = await build({
    stdin: {
      contents: `import { createTokenSource, dgChat } from './src/index.ts'; globalThis.app = [createTokenSource, dgChat];`,
      resolveDir: new URL('..', import.meta.url).pathname,
    },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    metafile: true,
    external: ['ky', 'jwt-decode'],
  });
  const code = result.outputFiles[0].text;
  const total = gzip(code);
  const inputs = Object.entries(Object.values(result.metafile.outputs)[0].inputs)
    .filter(([, { bytesInOutput }]) => bytesInOutput > 100)
    .sort(([, a], [, b]) => b.bytesInOutput - a.bytesInOutput);
  console.log(`\nOwn code of an app with dgChat, by module (${total} B gzip in all):`);
  console.log('| module | minified bytes | ≈ gzip bytes |');
  console.log('| --- | ---: | ---: |');
  for (const [name, { bytesInOutput }] of inputs) {
    console.log(
      `| ${name} | ${bytesInOutput} | ${Math.round((total * bytesInOutput) / code.length)} |`,
    );
  }
}
if (process.argv.includes('--modules')) await perModule();

let failed = false;
console.log(
  `Each adapter alone (gzip bytes over createTokenSource + createWidget): ${adapterRows.join(', ')}.`,
);
console.log('| bundle | gzip bytes | target | regression limit |');
console.log('| --- | ---: | ---: | ---: |');
for (const [name, size, target, key] of rows) {
  const limit = pkg.sizeLimits?.[key];
  // A row without a limit (a new vendor) fails too: its limit is recorded with --update.
  const over = limit === undefined || size > limit;
  failed ||= over;
  console.log(
    `| ${name} | ${size} | ${target ?? '–'}${size > target ? ' (over target)' : ''} | ${limit ?? 'none: run npm run size -- --update'}${over ? ' EXCEEDED' : ''} |`,
  );
}
if (leaks.length) {
  failed = true;
  console.log(`Tree-shaking failed: ${leaks.join('; ')}`);
} else {
  console.log('Tree-shaking: each single-adapter app contains none of the other adapters.');
  console.log('The main entry (dist/widget-token.js) contains no React.');
  console.log(
    `No server code or jose in the ${browserFiles.length} browser files (widget-token.js, react.js, every *.iife.js).`,
  );
}
if (failed) {
  console.log(
    'Size check failed: a bundle grew past its regression limit (package.json "sizeLimits").',
  );
  process.exit(1);
}
