// useWidget under StrictMode with real adapters and the stand-in vendor scripts: one widget per
// mount (one script tag, one activation, one token request), destroyed on unmount and on new deps,
// a user switch that never hands the old user's token to the new widget, failures in `error`.
import { expect } from 'chai';
import { jwtDecode } from 'jwt-decode';
import { act, createElement, useState } from 'react';
import {
  createWidget,
  dgChat,
  iAdvize,
  isWidgetTokenError,
  type TokenSource,
  type WidgetHandle,
} from '../../src/index.js';
import { useToken, useTokenSource, useWidget, type WidgetState } from '../../src/react/index.js';
import { fakeBackend, type FakeBackend, type Reply } from '../helpers/fake-backend.js';
import { makeJwe, makeJwt } from '../helpers/jwt.js';
import { mount, settle, waitFor, watchScripts, type Mounted } from '../helpers/react.js';
import { STAND_INS, standIn } from '../helpers/stand-ins.js';

const h = createElement;
const DG_SCRIPT = `${STAND_INS}/dg-chat.js`;
const IADVIZE_SCRIPT = `${STAND_INS}/iadvize.js`;
const page = window as unknown as Record<string, unknown>;

/** A token for the user named in the request's x-user header (anonymous without one). */
function tokenFor(request: Request, serial: number): string {
  const iat = Math.floor(Date.now() / 1000);
  const sub = request.headers.get('x-user') ?? 'anonymous';
  return makeJwt({ sub, iat, exp: iat + 3600, n: serial });
}
const userOf = (token: string) => jwtDecode<{ sub: string }>(token).sub;

/** Nothing of DG's left on the page. */
function expectNoDgChat(): void {
  expect(document.querySelectorAll(`script[src^="${DG_SCRIPT}"]`)).to.have.length(0);
  expect(page.DG_CHAT_WIDGET_CONFIG).to.equal(undefined);
  expect(page.dgchat).to.equal(undefined);
  expect(document.querySelector('.dg-stand-in')).to.equal(null);
}

describe('React: useWidget', () => {
  let backend: FakeBackend;
  let tree: Mounted | undefined;
  let answer: (request: Request, count: number) => Reply;

  beforeEach(() => {
    delete page.__standIns;
    answer = (request, count) => ({ json: { token: tokenFor(request, count) } });
    backend = fakeBackend((request, count) => answer(request, count));
  });
  afterEach(async () => {
    await tree?.unmount();
    tree = undefined;
    // Destroys are deferred by a task and wait for scripts still loading.
    await settle(50);
    backend.restore();
  });

  /** DG chat for `user`, the way an app would write it. */
  function Chat({
    user,
    widgetId = 'w-1',
    onState,
  }: {
    user: string;
    widgetId?: string;
    onState?: (state: WidgetState<WidgetHandle>, tokens: TokenSource | undefined) => void;
  }) {
    const tokens = useTokenSource({
      url: '/token',
      headers: { 'x-user': user },
      crossTab: { key: user },
    });
    const state = useWidget(
      () => tokens && dgChat({ tokens, widgetId, env: 'eu', scriptUrl: DG_SCRIPT }),
      [tokens, widgetId],
    );
    onState?.(state, tokens);
    return h('p', null, state.error ? `error:${state.error.code}` : state.ready ? 'ready' : 'wait');
  }

  it('StrictMode: one token request, one script tag, one widget; nothing left after unmount', async () => {
    const scripts = watchScripts(DG_SCRIPT);
    let tokens: TokenSource | undefined;
    tree = await mount(h(Chat, { user: 'alice', onState: (_, source) => (tokens = source) }));
    await waitFor(() => tree!.container.textContent === 'ready', 'the chat to be ready');
    expect(backend.requests, 'token requests').to.have.length(1);
    expect(scripts.added, 'script tags injected').to.equal(1);
    expect(standIn('dg-chat')!.tokens.map((t) => t.how)).to.deep.equal(['config']);
    expect(document.querySelectorAll('.dg-stand-in')).to.have.length(1);

    await tree.unmount();
    await settle(50);
    expectNoDgChat();
    expect(tokens!.stopped, 'the source stopped with its last user').to.equal(true);
    scripts.stop();
  });

  it('StrictMode: iAdvize activates once', async () => {
    answer = () => ({ json: { token: makeJwe(), expiresIn: 3600 } });
    const scripts = watchScripts(IADVIZE_SCRIPT);
    function Messaging() {
      const tokens = useTokenSource({ url: '/iadvize-token', retry: { attempts: 1 } });
      const { ready, error } = useWidget(
        () => tokens && iAdvize({ tokens, sid: 7, scriptUrl: IADVIZE_SCRIPT }),
        [tokens],
      );
      return h('p', null, error ? `error:${error.message}` : ready ? 'ready' : 'wait');
    }
    tree = await mount(h(Messaging));
    await waitFor(() => tree!.container.textContent === 'ready', 'activation');
    await settle(20);
    expect(standIn('iadvize')!.tokens, 'tokens handed to the SDK').to.have.length(1);
    const activations = standIn('iadvize')!.calls.filter((call) => call.name === 'activate');
    expect(activations, 'activate() calls').to.have.length(1);
    expect(scripts.added).to.equal(1);
    expect(backend.requests).to.have.length(1);
    await tree.unmount();
    await settle(50);
    expect(page.iAdvizeInterface).to.equal(undefined);
    expect(page.iAdvize).to.equal(undefined);
    scripts.stop();
  });

  it('new deps: the old widget is destroyed, then the new one created', async () => {
    const scripts = watchScripts(DG_SCRIPT);
    const widgets: WidgetHandle[] = [];
    const onState = ({ widget }: WidgetState<WidgetHandle>) => {
      if (widget && !widgets.includes(widget)) widgets.push(widget);
    };
    tree = await mount(h(Chat, { user: 'alice', widgetId: 'w-1', onState }));
    await waitFor(() => tree!.container.textContent === 'ready', 'first chat');
    await tree.render(h(Chat, { user: 'alice', widgetId: 'w-2', onState }));
    await waitFor(
      () => widgets.length === 2 && tree!.container.textContent === 'ready',
      'second chat',
    );
    expect(widgets[0]!.destroyed).to.equal(true);
    expect(widgets[1]!.destroyed).to.equal(false);
    expect((page.DG_CHAT_WIDGET_CONFIG as { widgetId: string }).widgetId).to.equal('w-2');
    expect(scripts.added, 'one script per widget').to.equal(2);
    expect(document.querySelectorAll(`script[src^="${DG_SCRIPT}"]`)).to.have.length(1);
    expect(document.querySelectorAll('.dg-stand-in')).to.have.length(1);
    expect(backend.requests, 'same source, same token').to.have.length(1);
    scripts.stop();
  });

  describe('user switch (a new crossTab key)', () => {
    for (const how of ['new props', 'a new React key'] as const) {
      it(`by ${how}: the old source stops, and the new widget only ever gets the new user's tokens`, async () => {
        const sources: TokenSource[] = [];
        const onState = (_: unknown, source: TokenSource | undefined) => {
          if (source && !sources.includes(source)) sources.push(source);
        };
        const chat = (user: string) =>
          h(Chat, { user, onState, ...(how === 'a new React key' ? { key: user } : {}) });
        tree = await mount(chat('alice'));
        await waitFor(() => tree!.container.textContent === 'ready', 'alice chat');
        const aliceTokens = standIn('dg-chat')!.tokens.length;
        expect(standIn('dg-chat')!.tokens.map((t) => userOf(t.token))).to.deep.equal(['alice']);

        await tree.render(chat('bob'));
        await waitFor(
          () => sources.length === 2 && tree!.container.textContent === 'ready',
          'bob chat',
        );
        // Bob's source refreshes once more, so that a later delivery is checked too.
        await act(async () => void sources[1]!.refresh());
        await waitFor(
          () => standIn('dg-chat')!.tokens.length === aliceTokens + 2,
          'the refreshed token delivered',
        );
        const forBob = standIn('dg-chat')!.tokens.slice(aliceTokens);
        expect(forBob.map((t) => [userOf(t.token), t.how])).to.deep.equal([
          ['bob', 'config'],
          ['bob', 'sendSystemMessage'],
        ]);
        expect(sources[0]!.stopped, "alice's source").to.equal(true);
        expect(sources[1]!.stopped, "bob's source").to.equal(false);
        expect(
          (page.DG_CHAT_WIDGET_CONFIG as { metadata: { auth_token: string } }).metadata.auth_token,
        ).to.satisfy((token: string) => userOf(token) === 'bob');
        expect(document.querySelectorAll(`script[src^="${DG_SCRIPT}"]`)).to.have.length(1);
        expect(document.querySelectorAll('.dg-stand-in')).to.have.length(1);
      });
    }
  });

  it('logout: stop({ logout: true }) ends the vendor session and the widget, and the state says so', async () => {
    answer = () => ({ json: { token: makeJwe(), expiresIn: 3600 } });
    let tokens: TokenSource | undefined;
    let widgetState: WidgetState<WidgetHandle> | undefined;
    function Messaging() {
      tokens = useTokenSource({ url: '/iadvize-token' });
      const token = useToken(tokens);
      widgetState = useWidget(
        () => tokens && iAdvize({ tokens, sid: 7, scriptUrl: IADVIZE_SCRIPT }),
        [tokens],
      );
      return h('p', null, `${token.status}/${widgetState.ready ? 'ready' : 'no widget'}`);
    }
    tree = await mount(h(Messaging));
    await waitFor(() => tree!.container.textContent === 'ready/ready', 'activation');
    await act(async () => tokens!.stop({ logout: true }));
    await waitFor(() => tree!.container.textContent === 'stopped/no widget', 'logged out');
    // One activation (the stand-in now records it), then the session ended.
    expect(standIn('iadvize')!.calls.map((call) => call.name)).to.deep.equal([
      'activate',
      'logout',
    ]);
    expect(widgetState!.widget).to.equal(undefined);
    expect(page.iAdvizeInterface).to.equal(undefined);
  });

  it('a factory that throws is reported through error, and nothing is started', async () => {
    let state: WidgetState<WidgetHandle> | undefined;
    function Broken({ kind }: { kind: 'options' | 'bug' }) {
      const tokens = useTokenSource({ url: '/token' });
      state = useWidget(() => {
        if (kind === 'bug') throw new TypeError('config is undefined');
        return tokens && dgChat({ tokens, widgetId: '', env: 'eu', scriptUrl: DG_SCRIPT });
      }, [tokens, kind]);
      return null;
    }
    tree = await mount(h(Broken, { kind: 'options' }));
    expect(isWidgetTokenError(state!.error, 'invalid_options')).to.equal(true);
    expect(state!.error!.message).to.match(/needs a `widgetId`/);
    await tree.render(h(Broken, { kind: 'bug' }));
    expect(isWidgetTokenError(state!.error, 'widget_failed')).to.equal(true);
    expect(state!.error!.message).to.match(/could not be created: config is undefined/);
    expect((state!.error as Error & { cause?: unknown }).cause).to.be.instanceOf(TypeError);
    expect(state!.ready).to.equal(false);
    expect(backend.requests).to.have.length(0);
  });

  it('a widget that fails to start is reported through error, its failure reason included', async () => {
    // iAdvize refuses a JWS (it wants a JWE): activation fails.
    let state: WidgetState<WidgetHandle> | undefined;
    function Messaging() {
      const tokens = useTokenSource({ url: '/iadvize-token' });
      state = useWidget(
        () => tokens && iAdvize({ tokens, sid: 7, scriptUrl: IADVIZE_SCRIPT }),
        [tokens],
      );
      return null;
    }
    tree = await mount(h(Messaging));
    await waitFor(() => state?.error !== undefined, 'the error');
    expect(isWidgetTokenError(state!.error, 'widget_failed')).to.equal(true);
    expect(state!.error!.message).to.match(/activation failed: invalid token/);
    expect(state!.ready).to.equal(false);
  });

  it('a widget of your own (createWidget): started once under StrictMode, cleaned up once', async () => {
    const log: string[] = [];
    function myWidget(tokens: TokenSource) {
      return createWidget({
        name: 'my-widget',
        tokens,
        async start(context) {
          log.push('start');
          const token = await context.token();
          log.push(`token ${userOf(token)}`);
          context.cleanup(() => log.push('cleanup'));
        },
        deliver(token) {
          log.push(`deliver ${userOf(token)}`);
        },
      });
    }
    let created = 0;
    function Mine() {
      const tokens = useTokenSource({ url: '/token', headers: { 'x-user': 'carol' } });
      const { ready } = useWidget(() => tokens && (created++, myWidget(tokens)), [tokens]);
      return h('p', null, ready ? 'ready' : 'wait');
    }
    tree = await mount(h(Mine));
    await waitFor(() => tree!.container.textContent === 'ready', 'ready');
    expect(log).to.deep.equal(['start', 'token carol']);
    expect(created, 'the simulated remount keeps the first widget').to.equal(1);
    await tree.unmount();
    await settle(20);
    expect(log).to.deep.equal(['start', 'token carol', 'cleanup']);
    expect(backend.requests).to.have.length(1);
  });

  it('returns nothing and creates nothing while the factory returns undefined', async () => {
    let state: WidgetState<WidgetHandle> | undefined;
    let calls = 0;
    function Later() {
      const [enabled] = useState(false);
      state = useWidget(() => {
        calls++;
        return enabled ? undefined : undefined;
      }, []);
      return null;
    }
    tree = await mount(h(Later));
    expect(calls).to.equal(1);
    expect(state).to.deep.equal({ widget: undefined, ready: false, error: undefined });
  });
});
