// useTokenSource and useToken under StrictMode: one source and one request per URL + key for the
// whole app, state from the source's events, stopped when the last user unmounts.
import { expect } from 'chai';
import { act, createElement, Fragment, StrictMode, useEffect } from 'react';
import { hydrateRoot } from 'react-dom/client';
import { isWidgetTokenError, type TokenSource } from '../../src/index.js';
import {
  WidgetTokenProvider,
  useToken,
  useTokenSource,
  type TokenState,
} from '../../src/react/index.js';
import { fakeBackend, type FakeBackend, type Reply } from '../helpers/fake-backend.js';
import { freshJwt } from '../helpers/jwt.js';
import { mount, settle, waitFor, type Mounted } from '../helpers/react.js';

const h = createElement;

describe('React: useTokenSource and useToken', () => {
  let backend: FakeBackend;
  let tree: Mounted | undefined;
  let answer: (request: Request) => Reply;
  let serial = 0;

  beforeEach(() => {
    answer = () => ({ json: { token: freshJwt(3600).replace('c2lnbmF0dXJl', `s${++serial}`) } });
    backend = fakeBackend((request) => answer(request));
  });
  afterEach(async () => {
    await tree?.unmount();
    tree = undefined;
    await settle(10);
    backend.restore();
  });

  /** A component that shows its token state and reports its source. */
  function Show({
    url = '/token',
    userKey,
    onSource,
    onState,
  }: {
    url?: string;
    userKey?: string;
    onSource?: (source: TokenSource | undefined) => void;
    onState?: (state: TokenState) => void;
  }) {
    const source = useTokenSource({
      url,
      crossTab: userKey === undefined ? false : { key: userKey },
    });
    const state = useToken(source);
    useEffect(() => {
      onSource?.(source);
    });
    onState?.(state);
    return h('p', null, `${state.status}:${state.token ? 'token' : 'none'}`);
  }

  it('two components asking for the same URL share one source and one request', async () => {
    const sources = new Set<TokenSource | undefined>();
    tree = await mount(
      h(
        Fragment,
        null,
        h(Show, { onSource: (source) => sources.add(source) }),
        h(Show, { onSource: (source) => sources.add(source) }),
      ),
    );
    await waitFor(() => tree!.container.textContent === 'ready:tokenready:token', 'both ready');
    expect(sources.size).to.equal(1);
    expect(backend.requests).to.have.length(1);
  });

  it('StrictMode (mount, unmount, mount) starts one request, and the source survives it', async () => {
    let seen: TokenSource | undefined;
    tree = await mount(h(Show, { onSource: (source) => (seen = source) }));
    await waitFor(() => tree!.container.textContent === 'ready:token', 'ready');
    expect(backend.requests).to.have.length(1);
    expect(backend.aborted, 'no request was aborted by the simulated unmount').to.equal(0);
    expect(seen!.stopped).to.equal(false);
  });

  it('stops the source when its last user unmounts, not before', async () => {
    let seen: TokenSource | undefined;
    const both = h(
      Fragment,
      null,
      h(Show, { key: 'a', onSource: (source) => (seen = source) }),
      h(Show, { key: 'b' }),
    );
    tree = await mount(both);
    await waitFor(() => seen?.token !== undefined, 'a token');
    await tree.render(h(Show, { key: 'a' }));
    await settle(10);
    expect(seen!.stopped, 'one user left').to.equal(false);
    await tree.render(h('p', null, 'none'));
    await settle(10);
    expect(seen!.stopped, 'no user left').to.equal(true);
  });

  it('another key is another source; the old one stops when nobody holds it', async () => {
    const seen: TokenSource[] = [];
    const onSource = (source: TokenSource | undefined) => {
      if (source && !seen.includes(source)) seen.push(source);
    };
    tree = await mount(h(Show, { userKey: 'alice', onSource }));
    await waitFor(() => tree!.container.textContent === 'ready:token', 'alice ready');
    await tree.render(h(Show, { userKey: 'bob', onSource }));
    await waitFor(() => seen.length === 2 && seen[1]!.token !== undefined, 'bob ready');
    await settle(10);
    expect(seen[0]!.stopped).to.equal(true);
    expect(seen[1]!.stopped).to.equal(false);
    expect(backend.requests).to.have.length(2);
  });

  it('renders only when the state changes, and every render sees one consistent state', async () => {
    const states: TokenState[] = [];
    answer = () => ({ json: { token: freshJwt(3600) }, delay: 30 });
    tree = await mount(h(Show, { onState: (state) => states.push(state) }), { strict: false });
    await waitFor(() => tree!.container.textContent === 'ready:token', 'ready');
    const distinct = states.filter((state, index) => state !== states[index - 1]);
    expect(distinct.map((state) => state.status)).to.deep.equal(['idle', 'loading', 'ready']);
    // One render per state: nothing re-renders between the source's events.
    expect(states).to.have.length(3);
    expect(states[2]!.expiresAt).to.be.a('number');
  });

  it('reports a refusal as status error with its error, and refresh() recovers', async () => {
    let refused = true;
    answer = () => (refused ? { status: 401 } : { json: { token: freshJwt(3600) } });
    let state: TokenState | undefined;
    tree = await mount(h(Show, { onState: (next) => (state = next) }));
    await waitFor(() => state?.status === 'error', 'status error');
    expect(isWidgetTokenError(state!.error, 'unauthorized')).to.equal(true);
    refused = false;
    await act(async () => void state!.refresh().catch(() => {}));
    await waitFor(() => state?.status === 'ready', 'ready again');
    expect(state!.error).to.equal(undefined);
  });

  it('shows stopped after a logout, in every component holding the source', async () => {
    let seen: TokenSource | undefined;
    tree = await mount(
      h(Fragment, null, h(Show, { onSource: (source) => (seen = source) }), h(Show)),
    );
    await waitFor(() => tree!.container.textContent === 'ready:tokenready:token', 'ready');
    await act(async () => seen!.stop({ logout: true }));
    await waitFor(() => tree!.container.textContent === 'stopped:nonestopped:none', 'both stopped');
  });

  it("hydrates the server's idle state without a mismatch, then fetches", async () => {
    const container = document.createElement('div');
    // What renderToString gives for <Show /> (test/node/react-ssr.test.mjs checks the server side).
    container.innerHTML = '<p>idle:none</p>';
    document.body.append(container);
    const mismatches: unknown[] = [];
    const root = await act(async () =>
      hydrateRoot(container, h(StrictMode, null, h(WidgetTokenProvider, null, h(Show))), {
        onRecoverableError: (error) => mismatches.push(error),
      }),
    );
    try {
      await waitFor(() => container.textContent === 'ready:token', 'ready after hydration');
      expect(mismatches).to.deep.equal([]);
      expect(backend.requests).to.have.length(1);
    } finally {
      await act(async () => root.unmount());
      container.remove();
    }
  });

  it('needs a provider, and says so', async () => {
    const errors: unknown[] = [];
    const onError = (event: ErrorEvent) => {
      errors.push(event.error);
      event.preventDefault();
    };
    window.addEventListener('error', onError);
    try {
      tree = await mount(h(Show), { provider: false }).catch((error: unknown) => {
        errors.push(error);
        return undefined;
      });
    } finally {
      window.removeEventListener('error', onError);
    }
    expect(String(errors.find((error) => error instanceof Error))).to.match(
      /under a <WidgetTokenProvider>/,
    );
  });
});
