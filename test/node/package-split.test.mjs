// The two installs: the root package.json holds what the build, lint, `npm start` and the demo need;
// test/package.json what only the tests need (scripts/test-deps.mjs installs it). A package moved
// to the wrong side fails here: a test-only package imported by the demo or the build would break
// `npm install && npm start` on a fresh clone, one listed on both sides could give the tests a
// second React, and an unused one costs every install its megabytes.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, relative } from 'node:path';
import { describe, test } from 'node:test';

const root = new URL('../../', import.meta.url).pathname;
const json = (path) => JSON.parse(readFileSync(join(root, path), 'utf8'));
const rootPackage = json('package.json');
const testPackage = json('test/package.json');
const ROOT_NAMES = new Set(
  ['dependencies', 'devDependencies', 'peerDependencies'].flatMap((field) =>
    Object.keys(rootPackage[field] ?? {}),
  ),
);
const TEST_NAMES = new Set(Object.keys(testPackage.devDependencies));

/** Source files under `folder` (relative to the root), without installed or generated folders. */
function sources(folder) {
  return readdirSync(join(root, folder), { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(m?js|ts)$/.test(entry.name))
    .map((entry) => relative(root, join(entry.parentPath ?? entry.path, entry.name)))
    .filter((file) => !/(^|\/)(node_modules|\.cache|\.pure)\//.test(file));
}

/** The packages a file imports or resolves by bare name (comments and type-only imports left out). */
function packagesImportedBy(file) {
  const names = new Set();
  for (const line of readFileSync(join(root, file), 'utf8').split('\n')) {
    if (/^\s*(\/\/|\*|\/\*)/.test(line) || /^\s*import type /.test(line)) continue;
    for (const [, specifier] of line.matchAll(
      /(?:from|import\(?|require\(|resolve\()\s*'([^'.\/][^']*)'/g,
    )) {
      if (specifier.startsWith('node:') || builtinModules.includes(specifier)) continue;
      if (!/^(@[\w.-]+\/)?[\w.-]+(\/.*)?$/.test(specifier)) continue; // a template or a pattern
      const parts = specifier.split('/');
      names.add(specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]);
    }
  }
  return names;
}

const lockNames = (path) =>
  new Set(
    Object.keys(json(path).packages)
      .filter((key) => key.startsWith('node_modules/'))
      .map((key) => key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)),
  );

describe('root and test packages', () => {
  test('no package is listed in both', () => {
    assert.deepEqual(
      [...TEST_NAMES].filter((name) => ROOT_NAMES.has(name)),
      [],
    );
  });

  test('React and react-dom are single copies, at the root', () => {
    const testLock = lockNames('test/package-lock.json');
    for (const name of ['react', 'react-dom']) {
      assert.ok(ROOT_NAMES.has(name), `${name} is a root package`);
      assert.ok(!testLock.has(name), `test/package-lock.json installs no ${name}`);
    }
  });

  test('what the build, the demo, `npm run size` and the library import is a root package', () => {
    const files = [
      ...sources('src'),
      ...sources('demo'),
      ...sources('scripts'),
      'rollup.config.mjs',
      'bench/size.mjs',
    ];
    const missing = files.flatMap((file) =>
      [...packagesImportedBy(file)]
        .filter((name) => name !== rootPackage.name && !ROOT_NAMES.has(name))
        .map((name) => `${file}: ${name}`),
    );
    assert.deepEqual(missing, []);
  });

  test('what the tests and the bench import is installed on one side or the other', () => {
    // Listed, or (as @livekit/protocol, which livekit-server-sdk brings) installed at the top.
    const installed = new Set([
      ...ROOT_NAMES,
      ...TEST_NAMES,
      ...[...lockNames('test/package-lock.json')].filter((name) =>
        Object.hasOwn(json('test/package-lock.json').packages, `node_modules/${name}`),
      ),
    ]);
    const files = [...sources('test'), ...sources('bench')];
    const missing = files.flatMap((file) =>
      [...packagesImportedBy(file)]
        .filter((name) => name !== rootPackage.name && !installed.has(name))
        .map((name) => `${file}: ${name}`),
    );
    assert.deepEqual(missing, []);
  });

  test('every package of test/package.json is used by a test file or a test script', () => {
    const imported = new Set(
      [...sources('test'), ...sources('bench')].flatMap((file) => [...packagesImportedBy(file)]),
    );
    // Used without an import: type packages, binaries run by the scripts, the mutation runner.
    const scripts = Object.values(rootPackage.scripts).join(' ');
    const unused = [...TEST_NAMES].filter(
      (name) =>
        !imported.has(name) &&
        !name.startsWith('@types/') &&
        !(name === '@stryker-mutator/core' && scripts.includes('stryker run')) &&
        !(name === 'publint' && scripts.includes('publint')) &&
        !(name === '@arethetypeswrong/cli' && scripts.includes('attw')) &&
        !(
          name === '@web/test-runner' &&
          readFileSync(join(root, 'test/run-browsers.mjs'), 'utf8').includes('web-test-runner')
        ),
    );
    assert.deepEqual(unused, []);
  });
});
