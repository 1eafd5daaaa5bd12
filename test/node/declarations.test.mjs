// The build writes each source file's declarations from that file alone (scripts/declarations.mjs),
// which needs an explicit type on every export. One export without it makes the build fall back
// to a type program over all sources: the same .d.ts files, 5 s more CPU in every build, and only
// a warning among the build's lines (it happened once unnoticed: invalidOption's return type).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isolatedDeclarations } from '../../scripts/declarations.mjs';

test('every export of src/ has the explicit type its declaration needs on its own', async () => {
  const { files, outputs, problems } = await isolatedDeclarations();
  assert.deepEqual(problems, []);
  assert.equal(outputs.size, files.length);
  assert.ok(files.length > 10, `found ${files.length} source files`);
});
