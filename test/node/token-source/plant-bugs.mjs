// Run by hand (not part of npm test): `node test/node/token-source/plant-bugs.mjs [name…]`.
// Plants each bug class of #22 in a scratch copy of src/ (a text patch, checked to apply exactly
// once), rebuilds the pure bundles there, runs ONLY the two models (the single-tab model of
// model-world.mjs and the two-tab model of cross-tab-world.mjs, no table or unit test) and prints
// which model caught it, with the rule that broke. Nothing in this checkout is changed.
// MODEL_RUNS / TABS_MODEL_RUNS set the sequences (the defaults of the tests); MODEL_SHRINK=no skips
// shrinking (faster, longer sequences in the messages).
import { execFileSync, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../../../', import.meta.url).pathname;
const keep = process.env.PLANT_KEEP === 'yes'; // keep the scratch copies, to replay a sequence
const T = 'src/token-source/transition.ts';
const RETRY = 'src/token-source/retry-policy.ts';
const EXPIRY = 'src/token-source/expiry.ts';
const CROSS_TAB = 'src/token-source/cross-tab/cross-tab.ts';
const LOCK = 'src/token-source/cross-tab/lock.ts';

/** [name, file, text in the source, text planted instead], one patch or several. */
export const PLANTS = [
  [
    "a peer's older token accepted over the one held",
    [[T, '      if (held && token.fetchedAt < held.fetchedAt) break;\n', '']],
  ],
  ['failure count not reset after a success', [[T, '    next.failures = 0;\n', '']]],
  [
    'cross-tab lock released before the outcome is published',
    [
      [
        CROSS_TAB,
        '      await withLock(locks, key, lockWait, signal, async () => {',
        '      let outcome: Outcome;\n      await withLock(locks, key, lockWait, signal, async () => {',
      ],
      [
        CROSS_TAB,
        '        await publish(await request(reading.peerFailure));\n      });',
        '        outcome = await request(reading.peerFailure);\n      });\n      await publish(outcome);',
      ],
    ],
  ],
  [
    'backoff exponent off by one',
    [[RETRY, '2 ** Math.max(0, failures - 1)', '2 ** Math.max(0, failures)']],
  ],
  [
    'refresh margin sized from the time left, not the full lifetime',
    [
      [
        EXPIRY,
        'refreshMargin(lifetime ?? remaining, margin, marginDraw)',
        'refreshMargin(remaining, margin, marginDraw)',
      ],
    ],
  ],
  [
    'Retry-After ignored',
    [[T, 'state.policy.retry, retryAfter, random())', 'state.policy.retry, undefined, random())']],
  ],
  [
    'jitter removed from the backoff',
    [[RETRY, 'Math.max(MIN_RETRY_DELAY, random * ceiling)', 'Math.max(MIN_RETRY_DELAY, ceiling)']],
  ],
  [
    'jitter removed from the refresh margin',
    [[EXPIRY, 'return base + random * Math.min(', 'return base + 0 * Math.min(']],
  ],
  [
    'stop() leaving the next-request timer armed',
    [
      [
        T,
        '      next.token = undefined;\n      arm(undefined);\n',
        '      next.token = undefined;\n',
      ],
    ],
  ],
  [
    'reported #1: a retry after a failed refresh() trusts the fresh token and never goes out',
    [[T, "(fresh && request.reason !== 'retry')", 'fresh']],
  ],
  [
    'reported: a too-short-lived token left without a refresh plan',
    [
      [
        EXPIRY,
        'return { refreshAt: Math.max(atMargin, now + backoff), tooShortLived: true };',
        'return { refreshAt: undefined as unknown as number, tooShortLived: true };',
      ],
    ],
  ],
  [
    'reported: tokens ordered by expiry, so a later one cannot replace one that expires later',
    [
      [
        T,
        'if (held && held.fetchedAt > token.fetchedAt)',
        'if (held && held.expiresAt! > token.expiresAt!)',
      ],
      [
        T,
        'if (held && token.fetchedAt < held.fetchedAt) break;',
        'if (held && token.expiresAt! < held.expiresAt!) break;',
      ],
    ],
  ],
  // The two bugs the two-tab model found (#22), put back.
  [
    "found: an older token from another tab ends this tab's failure marker (block or backoff lost)",
    [[CROSS_TAB, 'if (token.fetchedAt > failedAt) dropFailureMarker();', 'dropFailureMarker();']],
  ],
  [
    'found: a tab queued behind two others steals the lock from one that has just taken it',
    [[LOCK, 'if (now !== undefined && now !== before) arm();', 'if (false) arm();']],
  ],
];

const MODELS = [
  ['single-tab model', 'test/node/token-source/transition.model.test.mjs'],
  ['two-tab model', 'test/node/token-source/cross-tab.model.test.mjs'],
];

function scratchCopy() {
  const dir = mkdtempSync(join(tmpdir(), 'widget-token-plant-'));
  for (const path of [
    'src',
    'test/node/build-pure.mjs',
    'test/node/token-source',
    'package.json',
  ]) {
    cpSync(join(root, path), join(dir, path), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  // What only the tests need (fast-check) lives in test/node_modules (scripts/test-deps.mjs).
  if (existsSync(join(root, 'test/node_modules'))) {
    symlinkSync(join(root, 'test/node_modules'), join(dir, 'test/node_modules'));
  }
  return dir;
}

function plant(dir, patches) {
  for (const [file, from, to] of patches) {
    const path = join(dir, file);
    const text = readFileSync(path, 'utf8');
    const count = text.split(from).length - 1;
    if (count !== 1) throw new Error(`${file}: the patch text occurs ${count} times, not once`);
    writeFileSync(
      path,
      text.replace(from, () => to),
    );
  }
}

/** The rule that broke, as the model reports it (`# broken rule: …`). */
function firstRule(output) {
  return output.match(/# broken rule: (.*)/)?.[1].trim() ?? 'failed (see its output)';
}

const only = process.argv.slice(2);
const rows = [];
for (const [name, patches] of PLANTS) {
  if (only.length && !only.some((word) => name.includes(word))) continue;
  const dir = scratchCopy();
  try {
    plant(dir, patches);
    execFileSync('node', ['test/node/build-pure.mjs'], { cwd: dir, stdio: 'inherit' });
    const row = { name, results: [] };
    for (const [model, file] of MODELS) {
      const started = performance.now();
      const run = spawnSync('node', ['--test', file], { cwd: dir, encoding: 'utf8' });
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      const caught = run.status !== 0;
      row.results.push({ model, caught, seconds, rule: caught ? firstRule(run.stdout) : '' });
      console.error(`${name} — ${model}: ${caught ? 'caught' : 'missed'} (${seconds} s)`);
      if (caught) console.error(`  ${row.results.at(-1).rule}`);
    }
    rows.push(row);
  } finally {
    if (keep) console.error(`  kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

console.log('\n| Planted bug | Single-tab model | Two-tab model | First rule that broke |');
console.log('| --- | --- | --- | --- |');
for (const { name, results } of rows) {
  const cell = ({ caught, seconds }) => `${caught ? 'caught' : 'missed'} (${seconds} s)`;
  const rule = results.find((r) => r.caught)?.rule ?? '—';
  console.log(
    `| ${name} | ${cell(results[0])} | ${cell(results[1])} | ${rule.replace(/\|/g, '\\|')} |`,
  );
}
const missed = rows.filter(({ results }) => results.every((r) => !r.caught));
console.log(`\n${rows.length - missed.length} of ${rows.length} caught by the models alone.`);
process.exitCode = missed.length ? 1 : 0;
