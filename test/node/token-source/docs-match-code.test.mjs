// What the TSDoc says about backoff and blocking, checked against the decision code (#18, 3).
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { TokenRequestError } from '../.pure/errors.mjs';
import { retryDelay } from '../.pure/retry-policy.mjs';
import { isRetriable } from '../.pure/transition.mjs';

const source = (path) =>
  readFile(new URL(`../../../src/token-source/${path}`, import.meta.url), 'utf8');
const policy = { attempts: 3, baseDelay: 1000, maxDelay: 1e9, maxRetryAfter: 0 };

test('options.ts states the backoff ceiling that retryDelay computes', async () => {
  const doc = /attempt n waits a random time up to `baseDelay \* 2\^([^`]+)`/.exec(
    await source('options.ts'),
  );
  assert.ok(doc, 'options.ts documents the backoff as `baseDelay * 2^…`');
  const exponent = { n: (n) => n, '(n-1)': (n) => n - 1 }[doc[1]];
  assert.ok(exponent, `an exponent this test knows: ${doc[1]}`);
  for (const n of [1, 2, 3, 6]) {
    // A draw just under 1 gives the ceiling.
    assert.equal(Math.round(retryDelay(n, policy, undefined, 0.999999)), 1000 * 2 ** exponent(n));
  }
});

test('events.ts names every status that blocks, and only those', async () => {
  const text = await source('events.ts');
  const line = /`blocked`: ([\s\S]*?);\n \* - `stopped`/.exec(text)?.[1];
  assert.ok(line, 'events.ts documents `blocked`');
  const blocking = [];
  for (let status = 400; status < 600; status++) {
    if (!isRetriable(new TokenRequestError('x', { status }))) blocking.push(status);
  }
  // Documented as: 401, 403, and any other 4xx but 408 and 429.
  assert.match(line.replace(/\s+\*\s*/g, ' '), /401, 403, and any other 4xx but 408 and 429/);
  const documented = [];
  for (let status = 400; status < 500; status++)
    if (status !== 408 && status !== 429) documented.push(status);
  assert.deepEqual(blocking, documented);
});
