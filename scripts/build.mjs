// `npm run build`, `npm start` and `prepare`: runs the rollup passes of rollup.config.mjs whose
// outputs are stale, and only those. A fresh clone builds everything once (in `npm install`'s
// prepare); `npm start` right after builds nothing; an edit to one adapter rebuilds the npm files,
// the declarations and the script-tag files that contain it.
//
// A pass is stale when one of its outputs is missing, or older than one of the files it was built
// from last time (rollup's watch files, kept in .cache/build-inputs.json), or older than the
// build's own set-up (below). `--force` rebuilds everything. Progress goes to stderr, as rollup's
// does: `npm pack --json` runs this as `prepare` and its stdout must stay JSON.
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';

const root = new URL('..', import.meta.url).pathname;
const record = join(root, '.cache/build-inputs.json');
// What every pass depends on beyond its modules: a change here rebuilds all.
const SET_UP = [
  'rollup.config.mjs',
  'scripts/build.mjs',
  'scripts/declarations.mjs',
  'scripts/minify-script.mjs',
  'src/vendors.mjs',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];

const cpuSeconds = ({ user, system }) => ((user + system) / 1e6).toFixed(1);
const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : undefined);

/** The files a pass writes (the maps and chunks beside them are written with them). */
function outputsOf(config) {
  if (config.output.file) return [config.output.file];
  const extension = config.output.entryFileNames.replace('[name]', '');
  return Object.keys(config.input).map((name) => join(config.output.dir, `${name}${extension}`));
}

/** Why `config` must be built, or undefined when its outputs are newer than all it is built from. */
const staleness = (config, inputs) => outputsStaleness(outputsOf(config), inputs);

function outputsStaleness(files, inputs) {
  const outputs = files.map((file) => join(root, file));
  const missing = outputs.find((file) => mtime(file) === undefined);
  if (missing) return `${missing.slice(root.length)} is missing`;
  if (!inputs) return 'not built by this script yet';
  const builtAt = Math.min(...outputs.map(mtime));
  for (const file of [...SET_UP.map((name) => join(root, name)), ...inputs]) {
    const changedAt = mtime(file);
    if (changedAt === undefined) return `${file.slice(root.length)} is gone`;
    if (changedAt > builtAt) return `${file.slice(root.length)} changed`;
  }
  return undefined;
}

const force = process.argv.includes('--force');
const built = existsSync(record) ? JSON.parse(readFileSync(record, 'utf8')) : {};
// Nothing stale by the record of the last build (its passes are keyed by their outputs, and a
// change of the passes is a change of rollup.config.mjs): done without loading rollup, its
// plugins and TypeScript, which cost more than a second of CPU.
const recorded = Object.entries(built);
if (
  !force &&
  recorded.length &&
  recorded.every(([outputs, inputs]) => !outputsStaleness(outputs.split(' '), inputs))
) {
  console.error('dist/ is up to date.');
  process.exit(0);
}
// V8's optimising compiler (TurboFan) only for the hottest code in this process (a 9 times higher
// threshold than Node's default): a build runs TypeScript, rollup and terser for a few seconds
// each, too short for most compiled code to pay back its compiling on a background thread.
// Measured (whole build, CPU, medians of 6 interleaved runs, loaded machine): 8.5 s, against 9.9 s
// with no TurboFan at all (the script-tag passes' hot loops then run slower); the outputs are the
// same byte for byte (the tier only changes speed). docs/performance.md has the figures.
setFlagsFromString('--interrupt-budget=600000');
const { rollup } = await import('rollup');
const { default: configs } = await import('../rollup.config.mjs');
// Shared by the script-tag passes (same plugins): a module transformed for one file serves the
// next. Not with the npm pass, which leaves ky and jwt-decode external.
let scriptTagCache;
let count = 0;
for (const config of configs) {
  const key = outputsOf(config).join(' ');
  const reason = force ? '--force' : staleness(config, built[key]);
  if (!reason) continue;
  const started = Date.now();
  const cpuBefore = process.cpuUsage();
  const scriptTag = config.output.format === 'iife';
  const bundle = await rollup({ ...config, cache: scriptTag ? scriptTagCache : undefined });
  if (scriptTag) scriptTagCache = bundle.cache;
  await bundle.write(config.output);
  await bundle.close();
  built[key] = bundle.watchFiles.filter((file) => file.startsWith('/') && existsSync(file));
  count++;
  console.error(
    `${key} (${reason}): built in ${((Date.now() - started) / 1000).toFixed(1)} s (${cpuSeconds(process.cpuUsage(cpuBefore))} s CPU)`,
  );
}
mkdirSync(dirname(record), { recursive: true });
writeFileSync(record, `${JSON.stringify(built, null, 1)}\n`);
// The whole process's CPU, module loading and garbage collection included (esbuild's service, a
// child process, adds about half a second): the figure of issue 20's budget, 10 s for a full build.
console.error(
  count
    ? `Built ${count} of ${configs.length} passes (${cpuSeconds(process.cpuUsage())} s CPU in all).`
    : 'dist/ is up to date.',
);
