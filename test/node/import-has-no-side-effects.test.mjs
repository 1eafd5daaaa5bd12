// Importing the ESM build must do nothing, so that it is safe during server-side rendering: no
// window or document access, no listeners, no timers. Run by Node's test runner against dist/.
import assert from 'node:assert/strict';
import { test } from 'node:test';

test('importing the ESM build touches no browser global and starts no timer', async () => {
  const touched = [];
  for (const name of ['window', 'document', 'location', 'navigator', 'addEventListener']) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name);
        return undefined;
      },
    });
  }
  const timers = [];
  const realSetTimeout = globalThis.setTimeout;
  const realSetInterval = globalThis.setInterval;
  globalThis.setTimeout = (...args) => (timers.push('setTimeout'), realSetTimeout(...args));
  globalThis.setInterval = (...args) => (timers.push('setInterval'), realSetInterval(...args));
  try {
    const library = await import('../../dist/widget-token.js');
    assert.equal(typeof library.createTokenSource, 'function');
    assert.deepEqual(touched, []);
    assert.deepEqual(timers, []);
  } finally {
    globalThis.setTimeout = realSetTimeout;
    globalThis.setInterval = realSetInterval;
  }
});

test('a source created on the server needs an absolute URL and still does nothing until asked', async () => {
  const { createTokenSource, isWidgetTokenError } = await import('../../dist/widget-token.js');
  assert.throws(
    () => createTokenSource({ url: '/api/token' }),
    (error) =>
      isWidgetTokenError(error, 'invalid_options') && /must be absolute/.test(error.message),
  );
  const tokens = createTokenSource({ url: 'https://example.test/api/token' });
  assert.equal(tokens.token, undefined);
  tokens.stop();
  assert.equal(tokens.stopped, true);
});
