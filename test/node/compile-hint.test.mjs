// The script-tag files open with V8's explicit compile hint, which Chromium reads only on the first
// line: without it, each function compiles on its first call, in the page's critical path (between
// the Web Lock and the token request, and between the token and the vendor script). Their source
// maps must still point at the right lines.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { SCRIPT_TAG_FILES } from '../../src/vendors.mjs';
import { COMPILE_HINT } from '../../scripts/minify-script.mjs';

const dist = new URL('../../dist/', import.meta.url);

for (const { file } of SCRIPT_TAG_FILES) {
  test(`${file}: the compile hint on line 1, the code mapped from line 2`, () => {
    const [first, second] = readFileSync(new URL(file, dist), 'utf8').split('\n');
    assert.equal(first, COMPILE_HINT);
    assert.match(second, /^var WidgetToken=/);
    const { mappings } = JSON.parse(readFileSync(new URL(`${file}.map`, dist), 'utf8'));
    const [hintLine, codeLine] = mappings.split(';');
    assert.equal(hintLine, '', 'nothing maps to the hint');
    assert.ok(codeLine.length > 0, 'the code is mapped');
  });
}
