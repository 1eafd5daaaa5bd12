// The yardstick: under StrictMode (mount, unmount, mount), how many token requests and
// vendor script tags does a DG chat cost with the bindings, and with the useEffect glue an SPA
// developer writes by hand? Both are measured in the same page against the same stand-in.
import { expect } from 'chai';
import { createElement, useEffect, useState } from 'react';
import { createTokenSource, dgChat } from '../../src/index.js';
import { useToken, useTokenSource, useWidget } from '../../src/react/index.js';
import { fakeBackend, type FakeBackend } from '../helpers/fake-backend.js';
import { freshJwt } from '../helpers/jwt.js';
import { mount, settle, waitFor, watchScripts } from '../helpers/react.js';
import { STAND_INS } from '../helpers/stand-ins.js';

const h = createElement;
const DG_SCRIPT = `${STAND_INS}/dg-chat.js`;
const page = window as unknown as Record<string, unknown>;

/** The bindings: what the README shows. */
function WithBindings() {
  const tokens = useTokenSource({ url: '/token' });
  const { status } = useToken(tokens);
  const { ready } = useWidget(
    () => tokens && dgChat({ tokens, widgetId: 'w-1', env: 'eu', scriptUrl: DG_SCRIPT }),
    [tokens],
  );
  return h('p', null, ready && status === 'ready' ? 'ready' : 'wait');
}

/**
 * Hand-written glue, as careful as such code usually is: the token fetched in an effect, the
 * config and script added when it arrives unless the effect was cleaned up meanwhile, everything
 * removed in the clean-up.
 */
function HandWritten() {
  const [ready, setReady] = useState(false);
  useEffect(() => {
    let cancelled = false;
    let script: HTMLScriptElement | undefined;
    void fetch('/token')
      .then((response) => response.json() as Promise<{ token: string }>)
      .then(({ token }) => {
        if (cancelled) return;
        page.DG_CHAT_WIDGET_CONFIG = {
          widgetId: 'w-1',
          env: 'eu',
          metadata: { auth_token: token },
          callbacks: { onWidgetEmbedded: () => setReady(true) },
        };
        script = document.createElement('script');
        script.src = DG_SCRIPT;
        document.head.append(script);
      });
    return () => {
      cancelled = true;
      script?.remove();
      delete page.DG_CHAT_WIDGET_CONFIG;
      delete page.dgchat;
      document.querySelector('.dg-stand-in')?.remove();
    };
  }, []);
  return h('p', null, ready ? 'ready' : 'wait');
}

/** The library's core with the obvious useEffect: a source and a widget per effect run. */
function CoreInUseEffect({ crossTab = true }: { crossTab?: boolean }) {
  const [ready, setReady] = useState(false);
  const [token, setToken] = useState<string>();
  useEffect(() => {
    const tokens = createTokenSource({ url: '/token', crossTab });
    tokens.getToken().then(setToken, () => {});
    const chat = dgChat({ tokens, widgetId: 'w-1', env: 'eu', scriptUrl: DG_SCRIPT });
    chat.ready.then(
      () => setReady(true),
      () => {},
    );
    return () => {
      void chat.destroy();
      tokens.stop();
    };
  }, [crossTab]);
  return h('p', null, ready && token ? 'ready' : 'wait');
}

describe('React: StrictMode counts, bindings against hand-written useEffect glue', () => {
  let backend: FakeBackend;
  const results: Record<string, { requests: number; scripts: number }> = {};

  beforeEach(() => {
    backend = fakeBackend(() => ({ json: { token: freshJwt(3600) }, delay: 5 }));
  });
  afterEach(() => backend.restore());
  after(() => {
    // The figures for the closing note.
    console.log(`StrictMode counts: ${JSON.stringify(results)}`);
  });

  async function measure(name: string, component: (props: never) => unknown, props = {}) {
    const scripts = watchScripts(DG_SCRIPT);
    const tree = await mount(h(component as never, props));
    await waitFor(() => tree.container.textContent === 'ready', `${name} ready`);
    await settle(100);
    results[name] = { requests: backend.requests.length, scripts: scripts.added };
    await tree.unmount();
    await settle(50);
    scripts.stop();
    expect(document.querySelectorAll(`script[src^="${DG_SCRIPT}"]`)).to.have.length(0);
    return results[name];
  }

  it('the bindings: one token request, one script tag', async () => {
    expect(await measure('bindings', WithBindings)).to.deep.equal({ requests: 1, scripts: 1 });
  });

  it('hand-written glue: the simulated remount fetches the token twice', async () => {
    const counts = await measure('hand-written useEffect', HandWritten);
    expect(counts.requests).to.equal(2);
    expect(counts.scripts).to.equal(1);
  });

  it('the core in a plain useEffect: a second source and widget per remount', async () => {
    const counts = await measure('core in useEffect', CoreInUseEffect);
    // Whether the first source's request reaches fetch() before its stop() depends on how fast the
    // browser grants the cross-tab lock; recorded, not asserted beyond "never fewer".
    expect(counts.requests).to.be.at.least(1);
    expect(counts.scripts).to.be.at.least(1);
  });

  it('the core in a plain useEffect, per-tab token (crossTab: false)', async () => {
    const counts = await measure('core in useEffect, crossTab false', CoreInUseEffect as never, {
      crossTab: false,
    });
    expect(counts.requests).to.be.at.least(1);
  });
});
