// widget-token/react during server rendering: importing it and rendering components that use every
// hook must touch no browser global, send no request and start no timer. Run against dist/ (npm
// test builds first), with React's own server renderer.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { watchServerSide } from '../helpers/server-side.mjs';

const dist = new URL('../../dist/', import.meta.url);

test('the React entry keeps its "use client" directive; the main entry has no React in it', async () => {
  const bindings = await readFile(new URL('react.js', dist), 'utf8');
  assert.match(bindings, /^'use client';\n/);
  assert.match(bindings, /from '\.\/widget-token\.js'/, 'the core is imported, not copied');
  assert.doesNotMatch(bindings, /function createTokenSource\(/);
  const core = await readFile(new URL('widget-token.js', dist), 'utf8');
  assert.doesNotMatch(core, /from 'react'|require\(['"]react/);
  assert.doesNotMatch(core, /use client/);
  const types = await readFile(new URL('react.d.ts', dist), 'utf8');
  assert.match(types, /from '\.\/widget-token\.js'/);
  assert.doesNotMatch(await readFile(new URL('widget-token.d.ts', dist), 'utf8'), /'react'/);
});

test('importing and server-rendering the hooks touches no browser global and starts nothing', async () => {
  const { touched, started, restore } = watchServerSide();
  try {
    const { createElement: h } = await import('react');
    const { renderToString } = await import('react-dom/server');
    const { dgChat } = await import('../../dist/widget-token.js');
    const { WidgetTokenProvider, useTokenSource, useToken, useWidget } =
      await import('../../dist/react.js');
    let factoryCalls = 0;
    function Chat({ userId }) {
      // A relative URL: a source created on the server would throw (no page to resolve it against).
      const tokens = useTokenSource({ url: '/api/widget-token', crossTab: { key: userId } });
      const { status, token } = useToken(tokens);
      const { ready, error } = useWidget(() => {
        factoryCalls++;
        return tokens && dgChat({ tokens, widgetId: 'w', env: 'eu' });
      }, [tokens]);
      return h(
        'p',
        null,
        `source: ${tokens === undefined ? 'none' : 'some'}, status: ${status}, token: ${token ?? 'none'}, widget: ${ready ? 'ready' : 'not yet'}${error ? ', error' : ''}`,
      );
    }
    const html = renderToString(h(WidgetTokenProvider, null, h(Chat, { userId: 'u-1' })));
    assert.equal(html, '<p>source: none, status: idle, token: none, widget: not yet</p>');
    assert.equal(factoryCalls, 0, 'no widget is created on the server');
    assert.deepEqual(touched, []);
    assert.deepEqual(started, []);
  } finally {
    restore();
  }
});
