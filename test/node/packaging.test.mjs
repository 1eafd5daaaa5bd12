// Installing the package as a newcomer would before it is on npm: from a tarball of this checkout.
// `prepare` must build dist/ (it is not committed), and the installed package must import.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const root = new URL('../..', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'widget-token-pack-'));
after(() => rmSync(work, { recursive: true, force: true }));

const npm = (args, cwd) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

test('npm pack builds dist/ through prepare, and the tarball installs and imports', () => {
  const [packed] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root));
  const files = packed.files.map((file) => file.path);
  for (const file of [
    'dist/widget-token.js',
    'dist/widget-token.d.ts',
    'dist/widget-token.iife.js',
    'dist/server.js',
    'dist/server.d.ts',
  ]) {
    assert.ok(files.includes(file), `${file} is in the tarball`);
  }
  const app = join(work, 'app');
  execFileSync('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), '{ "name": "app", "private": true, "type": "module" }');
  npm(['install', '--no-audit', '--no-fund', '--ignore-scripts', join(work, packed.filename)], app);
  const exported = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const m = await import('widget-token'); console.log(Object.keys(m).sort().join(' '))",
    ],
    { cwd: app, encoding: 'utf8' },
  );
  assert.match(exported, /createTokenSource/);
  assert.match(exported, /createWidget/);
  // The server half, with jose installed as the package's dependency.
  const serverExports = execFileSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      "const m = await import('widget-token/server'); const { token } = await m.signStreamChatToken({ apiSecret: 's', userId: 'u' }); console.log(Object.keys(m).sort().join(' '), token.split('.').length)",
    ],
    { cwd: app, encoding: 'utf8' },
  );
  assert.match(serverExports, /signTwilioAccessToken/);
  assert.match(serverExports, /tokenEndpoint/);
  assert.match(serverExports, / 3\n$/);
});
