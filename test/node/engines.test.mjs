// The engine table (test/helpers/engines.mjs) against what people read and type: the engine
// selection of `npm run test:browser`, the skip line, and docs/browsers.md's table.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { ENGINES, engineNamed, findBinaries, missingEngineMessage } from '../helpers/engines.mjs';
import { parseArguments } from '../run-browsers.mjs';
import { withPreamble } from '../helpers/e2e-browsers.mjs';

test('--engine picks engines (repeated or comma-separated); every other argument goes on', () => {
  const names = (args) => parseArguments(args).engines.map((engine) => engine.name);
  assert.deepEqual(names([]), ['chromium', 'firefox', 'webkit']);
  assert.deepEqual(names(['--engine', 'firefox']), ['firefox']);
  assert.deepEqual(names(['--engine=webkit,chromium']), ['webkit', 'chromium']);
  assert.deepEqual(names(['--engine', 'firefox', '--engine', 'webkit']), ['firefox', 'webkit']);
  assert.deepEqual(parseArguments(['--engine', 'firefox', '--files', 'a.test.ts']).rest, [
    '--files',
    'a.test.ts',
  ]);
  assert.throws(() => names(['--engine', 'safari']), /Unknown engine "safari"/);
  assert.throws(() => names(['--engine']), /needs a name/);
});

test('a missing engine is named with the line that installs it and the variables that find it', () => {
  const saved = process.env.FIREFOX_PATH;
  process.env.FIREFOX_PATH = '/nowhere/firefox';
  try {
    const firefox = engineNamed('firefox');
    assert.equal(findBinaries(firefox), undefined, 'a variable naming a missing file is missing');
    assert.match(missingEngineMessage(firefox), /apt-get install -y firefox-esr.*FIREFOX_PATH/);
  } finally {
    if (saved === undefined) delete process.env.FIREFOX_PATH;
    else process.env.FIREFOX_PATH = saved;
  }
  assert.match(
    missingEngineMessage(engineNamed('webkit')),
    /webkit2gtk-driver xvfb.*WEBKIT_DRIVER_PATH \/ MINIBROWSER_PATH/,
  );
});

test("docs/browsers.md's engine table says what the engine table does", async () => {
  const text = await readFile(new URL('../../docs/browsers.md', import.meta.url), 'utf8');
  const doc = text.slice(text.indexOf('## How the tests run each engine')).split('\n## ')[0];
  for (const engine of ENGINES) {
    const label = engine.label;
    const row = doc.split('\n').find((line) => line.startsWith(`| ${label} `));
    assert.ok(row, `a row for ${label}`);
    const cells = row.split('|').map((cell) => cell.trim());
    assert.equal(cells.at(-3), String(engine.timeoutFactor), `${label}'s timeout factor`);
    assert.equal(cells.at(-2), String(engine.modelRuns), `${label}'s model sequences`);
    for (const { env } of engine.binaries) assert.ok(row.includes(`\`${env}\``), env);
    for (const pkg of engine.install.replace('apt-get install -y ', '').split(' '))
      assert.ok(row.includes(`\`${pkg}\``), `${label} installs ${pkg}`);
  }
});

test('the e2e preamble goes first in a page, under the nonce its CSP asks for', () => {
  const page = {
    status: 200,
    type: 'text/html',
    headers: { 'content-security-policy': "script-src 'nonce-abc123'" },
    body: '<!doctype html><html><head><title>t</title></head><body><script nonce="abc123">x()</script>',
  };
  const url = new URL('http://127.0.0.1/pages/tab.html?e2e-clock=1000&e2e-no-coordination=1');
  const { body } = withPreamble(page, url);
  const preamble = body.slice(body.indexOf('<head>') + 6, body.indexOf('<title>'));
  const scripts = preamble.match(/<script[^>]*>/g);
  assert.equal(scripts.length, 3, 'recorder, clock library, clock');
  for (const tag of scripts) assert.match(tag, /nonce="abc123"/);
  assert.match(preamble, /now: 1000/);
  assert.match(preamble, /delete Navigator\.prototype\.locks/);
  const plain = withPreamble(page, new URL('http://127.0.0.1/pages/tab.html')).body;
  assert.doesNotMatch(plain, /FakeTimers|delete Navigator/, 'no clock unless asked for');
  const script = { status: 200, type: 'text/javascript', body: 'x()' };
  assert.equal(withPreamble(script, url), script, 'only pages get it');
});
