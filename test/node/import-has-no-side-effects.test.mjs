// Importing the ESM build must do nothing, so that it is safe during server-side rendering: no
// window or document access, no listeners, no timers. Run by Node's test runner against dist/.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { watchServerSide } from '../helpers/server-side.mjs';

test('importing the ESM build touches no browser global and starts no timer', async () => {
  const { touched, started, restore } = watchServerSide();
  try {
    const library = await import('../../dist/widget-token.js');
    assert.equal(typeof library.createTokenSource, 'function');
    assert.deepEqual(touched, []);
    assert.deepEqual(started, []);
  } finally {
    restore();
  }
});

test('a source created on the server needs an absolute URL and still does nothing until asked', async () => {
  const { createTokenSource, isWidgetTokenError } = await import('../../dist/widget-token.js');
  assert.throws(
    () => createTokenSource({ url: '/api/token' }),
    (error) =>
      isWidgetTokenError(error, 'invalid_options') &&
      /must be an absolute URL outside a page/.test(error.message),
  );
  const tokens = createTokenSource({ url: 'https://example.test/api/token' });
  assert.equal(tokens.token, undefined);
  tokens.stop();
  assert.equal(tokens.stopped, true);
});
