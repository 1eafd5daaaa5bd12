// The first step of `npm test` and of every script that runs tests (lint type-checks them too):
// installs what only the tests need, test/package.json with its own lock file, into
// test/node_modules. The root package holds only what `npm run build`, `npm start` and the demo
// need, so that `npm install && npm start` on a fresh clone unpacks a sixth of the megabytes it did
// when the vendor SDKs, browser drivers and StrykerJS were root devDependencies.
//
// Node (and @web/test-runner's resolver, and tsc) look for a bare import from a file under test/
// in test/node_modules first, then in the root's node_modules: React, the build tools and ky stay
// single copies at the root. No package is listed in both package.json files.
//
// Installs with `npm ci` (exactly the lock file) when test/node_modules is missing or older than
// test/package-lock.json (a pull or a checkout that changed the lock); otherwise does nothing, in
// a few milliseconds.
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';

const test = new URL('../test', import.meta.url).pathname;
// npm writes this file last in an install: its age is the install's.
const installed = join(test, 'node_modules/.package-lock.json');
const lock = join(test, 'package-lock.json');

const mtime = (file) => (existsSync(file) ? statSync(file).mtimeMs : undefined);
const installedAt = mtime(installed);
const reason =
  installedAt === undefined
    ? 'test/node_modules is missing'
    : installedAt < mtime(lock)
      ? 'test/package-lock.json changed'
      : undefined;
if (reason) {
  console.error(`${reason}: npm ci --prefix test`);
  const { status } = spawnSync('npm', ['ci', '--prefix', test, '--no-audit', '--no-fund'], {
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  if (status !== 0) process.exit(status ?? 1);
}
