import { expect } from 'chai';
import sinon from 'sinon';
import {
  createTokenSource,
  createWidget,
  dgChat,
  engagespot,
  iAdvize,
  isWidgetTokenError,
  videoSdk,
  viaSocket,
  type TokenSource,
  type WidgetError,
  type WidgetHandle,
} from '../../src/index.js';
import { untilSettled } from '../helpers/browser-tasks.js';
import { fakeBackend, type FakeBackend } from '../helpers/fake-backend.js';
import { freshJwt, makeJwe } from '../helpers/jwt.js';
import { STAND_INS, standIn } from '../helpers/stand-ins.js';

describe('widget specifics', () => {
  let backend: FakeBackend;
  let tokens: TokenSource;
  /** Destroyed after each test. */
  let widget: Pick<WidgetHandle, 'destroy'> | undefined;
  let serial = 0;

  beforeEach(() => {
    delete (window as unknown as { __standIns?: unknown }).__standIns;
    backend = fakeBackend(() => ({
      json: { token: freshJwt(3600).replace('c2lnbmF0dXJl', `s${++serial}`) },
    }));
    tokens = createTokenSource({ url: '/token' });
  });
  afterEach(async () => {
    await widget?.destroy();
    widget = undefined;
    tokens.stop();
    backend.restore();
    sinon.restore();
  });

  describe('createWidget (the contract every adapter shares)', () => {
    it('queues tokens until ready, delivers one at a time, and the newest wins', async () => {
      // Every step waits for what it needs to have happened, never for an amount of time: a slow
      // engine on a loaded machine once let a timed delivery end before the next token arrived.
      let finishStart!: () => void;
      const begun: string[] = [];
      const deliveries: string[] = [];
      const gates: (() => void)[] = [];
      let active = 0;
      let mostAtOnce = 0;
      const handle = createWidget({
        name: 'custom',
        tokens,
        async start(context) {
          await context.token();
          await new Promise<void>((resolve) => (finishStart = resolve));
        },
        async deliver(token) {
          mostAtOnce = Math.max(mostAtOnce, ++active);
          begun.push(token);
          // Held until the test lets it finish: tokens arriving meanwhile must wait.
          await new Promise<void>((resolve) => gates.push(resolve));
          deliveries.push(token);
          active--;
        },
      });
      widget = handle;
      await tokens.getToken();
      const second = await tokens.refresh();
      const third = await tokens.refresh();
      expect(begun, 'nothing before ready').to.deep.equal([]);
      finishStart();
      await handle.ready;
      await untilSettled(() => begun.length === 1, 'the first delivery to begin');
      expect(begun, 'the newest token at ready, not the superseded one').to.deep.equal([third]);
      // Two tokens arrive while the third is being delivered: only the newer one follows it.
      const fourth = await tokens.refresh();
      const fifth = await tokens.refresh();
      expect(begun, 'one delivery at a time').to.deep.equal([third]);
      gates.shift()!();
      await untilSettled(() => begun.length === 2, 'the second delivery to begin');
      gates.shift()!();
      await untilSettled(() => deliveries.length === 2, 'both deliveries to end');
      expect(deliveries).to.deep.equal([third, fifth]);
      expect(deliveries).not.to.include(second);
      expect(deliveries).not.to.include(fourth);
      expect(mostAtOnce).to.equal(1);
    });

    it('a failing delivery is an error event, and the next token is still delivered', async () => {
      const errors = sinon.spy();
      let fail = true;
      const delivered: string[] = [];
      const handle = createWidget({
        name: 'flaky',
        tokens,
        async start(context) {
          await context.token();
        },
        deliver(token) {
          if (fail) throw new Error('vendor rejected');
          delivered.push(token);
        },
      });
      widget = handle;
      handle.on('error', errors);
      await handle.ready;
      await tokens.refresh();
      fail = false;
      const next = await tokens.refresh();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(errors.calledOnce).to.equal(true);
      expect(isWidgetTokenError(errors.firstCall.args[0].error, 'widget_failed')).to.equal(true);
      expect(delivered).to.deep.equal([next]);
    });
    it('each delivered event carries the expiry of the token it delivered, not of a newer one', async () => {
      // Regression (bug 4): a token arriving during a slow delivery lent its expiry to the older one.
      backend.restore();
      let issued = 0;
      backend = fakeBackend(() => ({ json: { token: freshJwt(600 * ++issued) } }));
      const expiryOf = new Map<string, number | undefined>();
      tokens.on('token', ({ token, expiresAt }) => expiryOf.set(token, expiresAt));
      let release!: () => void;
      const deliveredTokens: string[] = [];
      const handle = createWidget({
        name: 'slow',
        tokens,
        async start(context) {
          deliveredTokens.push(await context.token());
        },
        async deliver(token) {
          await new Promise<void>((resolve) => (release = resolve));
          deliveredTokens.push(token);
        },
      });
      widget = handle;
      const reported: (number | undefined)[] = [];
      handle.on('delivered', ({ expiresAt }) => reported.push(expiresAt));
      await handle.ready;
      await tokens.refresh(); // second token: its delivery hangs until released
      await tokens.refresh(); // third token arrives meanwhile
      release();
      await new Promise((resolve) => setTimeout(resolve, 0));
      release();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(deliveredTokens).to.have.length(3);
      expect(new Set(deliveredTokens.map((token) => expiryOf.get(token))).size).to.equal(3);
      expect(reported).to.deep.equal(deliveredTokens.map((token) => expiryOf.get(token)));
    });

    it('a logout, here or in another tab, ends the vendor session and then destroys the widget', async () => {
      const steps: string[] = [];
      const handle = createWidget({
        name: 'session',
        tokens,
        async start(context) {
          await context.token();
          context.cleanup(() => steps.push('clean-up'));
        },
        logout() {
          steps.push('vendor logout');
        },
      });
      widget = handle;
      handle.on('loggedOut', () => steps.push('loggedOut'));
      handle.on('destroyed', () => steps.push('destroyed'));
      await handle.ready;
      tokens.stop({ logout: true });
      await handle.logout(); // the one under way, not a second one
      expect(steps).to.deep.equal(['vendor logout', 'loggedOut', 'clean-up', 'destroyed']);
      expect(handle.destroyed).to.equal(true);
    });

    it('stop() without logout leaves the widget up; logout() after destroy() ends nothing', async () => {
      const logout = sinon.spy();
      const handle = createWidget({
        name: 'session',
        tokens,
        async start(context) {
          await context.token();
        },
        logout,
      });
      widget = handle;
      await handle.ready;
      tokens.stop();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(handle.destroyed).to.equal(false);
      await handle.destroy();
      await handle.logout();
      expect(logout.called).to.equal(false);
    });

    it('a failing vendor logout is reported and the widget is destroyed anyway', async () => {
      const errors = sinon.spy();
      const handle = createWidget({
        name: 'session',
        tokens,
        async start(context) {
          await context.token();
        },
        logout() {
          throw new Error('vendor is gone');
        },
      });
      widget = handle;
      handle.on('error', errors);
      await handle.ready;
      await handle.logout();
      expect(errors.calledOnce).to.equal(true);
      expect(handle.destroyed).to.equal(true);
    });
  });

  describe('dgChat', () => {
    it("keeps the host's callbacks and config working alongside its own, and restores them", async () => {
      const hostEmbedded = sinon.spy();
      const fromOptions = sinon.spy();
      const page = window as unknown as { DG_CHAT_WIDGET_CONFIG?: Record<string, unknown> };
      const hostConfig = {
        metadata: { locale: 'fr' },
        callbacks: { onWidgetEmbedded: hostEmbedded },
      };
      page.DG_CHAT_WIDGET_CONFIG = hostConfig;
      const handle = (widget = dgChat({
        tokens,
        widgetId: 'w-1',
        env: 'us',
        scriptUrl: `${STAND_INS}/dg-chat.js`,
        callbacks: { onWidgetEmbedded: fromOptions },
      }));
      await handle.ready;
      expect(hostEmbedded.calledOnce).to.equal(true);
      expect(fromOptions.calledOnce).to.equal(true);
      const config = page.DG_CHAT_WIDGET_CONFIG as {
        env: string;
        metadata: Record<string, string>;
      };
      expect(config.env).to.equal('us');
      expect(config.metadata.locale).to.equal('fr');
      expect(config.metadata.auth_token).to.equal(tokens.token);
      await widget.destroy();
      expect(page.DG_CHAT_WIDGET_CONFIG).to.equal(hostConfig);
      delete page.DG_CHAT_WIDGET_CONFIG;
    });

    it('a logout resets the chat before loggedOut, then removes the widget', async () => {
      const chat = (widget = dgChat({
        tokens,
        widgetId: 'w-1',
        env: 'eu',
        scriptUrl: `${STAND_INS}/dg-chat.js`,
      }));
      await chat.ready;
      const callsAtLoggedOut: string[][] = [];
      chat.on('loggedOut', () =>
        callsAtLoggedOut.push(standIn('dg-chat')!.calls.map((call) => call.name)),
      );
      tokens.stop({ logout: true });
      await chat.logout();
      expect(callsAtLoggedOut).to.deep.equal([['resetChat']]);
      expect(document.querySelector('.dg-stand-in')).to.equal(null);
      expect('DG_CHAT_WIDGET_CONFIG' in window).to.equal(false);
    });

    it('rejects bad options at once', () => {
      expect(() => dgChat({ tokens, widgetId: '', env: 'eu' })).to.throw(/needs a `widgetId`/);
      expect(() => dgChat({ tokens, widgetId: 'w', env: undefined as never })).to.throw(
        /needs an `env`/,
      );
    });
  });

  describe('viaSocket', () => {
    it('mounts from the first token with viaSocket.mount, into its own container in the parent', async () => {
      const parent = document.createElement('section');
      parent.id = 'integrations';
      document.body.append(parent);
      const embed = viaSocket({
        tokens,
        parent: 'integrations',
        config: { type: 'all_space' },
        scriptUrl: `${STAND_INS}/via-socket.js`,
      });
      widget = embed;
      await embed.ready;
      const record = standIn('via-socket')!;
      expect(record.tokens.map((entry) => [entry.token, entry.how])).to.deep.equal([
        [tokens.token, 'mount'],
      ]);
      const tag = document.getElementById('viasocket-embed-main-script')!;
      expect(tag.hasAttribute('embedToken'), 'the tag did not start a second embed').to.equal(
        false,
      );
      const frame = parent.querySelector('.viasocket-stand-in')!;
      expect(frame.parentElement!.parentElement).to.equal(parent);
      embed.open('flow-7');
      expect(record.calls.at(-1)).to.deep.equal({ name: 'open', detail: 'flow-7' });
      await embed.destroy();
      expect(parent.isConnected, "the host's parent stays").to.equal(true);
      expect(parent.children).to.have.length(0);
      parent.remove();
    });

    it('without viaSocket.mount, uses the documented tag attributes', async () => {
      const parent = document.createElement('section');
      parent.id = 'integrations';
      document.body.append(parent);
      const embed = viaSocket({
        tokens,
        parent: 'integrations',
        config: { type: 'all_space' },
        scriptUrl: `${STAND_INS}/via-socket.js?runtime=0`,
      });
      widget = embed;
      await embed.ready;
      const tag = document.getElementById('viasocket-embed-main-script')!;
      expect(tag.getAttribute('embedToken')).to.equal(tokens.token);
      expect(tag.getAttribute('parentId')).to.equal(parent.firstElementChild!.id);
      expect(JSON.parse(tag.getAttribute('config')!)).to.deep.equal({ type: 'all_space' });
      expect(parent.querySelector('.viasocket-stand-in')).to.not.equal(null);
      await embed.destroy();
      parent.remove();
    });

    for (const runtime of [true, false]) {
      it(`destroy (${runtime ? 'mount' : 'tag'}) keeps the host's content in parent and removes the vendor's stray nodes`, async () => {
        const parent = document.createElement('section');
        const verified = document.createElement('p');
        verified.textContent = '✓ verified';
        parent.append(verified);
        document.body.append(parent);
        const embed = viaSocket({
          tokens,
          parent,
          // No config: the vendor covers the viewport, all_space is not implied.
          scriptUrl: `${STAND_INS}/via-socket.js${runtime ? '' : '?runtime=0'}`,
        });
        widget = embed;
        await embed.ready;
        expect(
          standIn('via-socket')!.calls.find((call) => call.name === 'layout')!.detail,
        ).to.equal('viewport');
        expect(document.querySelector('.vs-embed__backdrop')).to.not.equal(null);
        await tokens.refresh();
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(document.querySelectorAll('.vs-embed__backdrop')).to.have.length(1);
        await embed.destroy();
        expect([...parent.children]).to.deep.equal([verified]);
        for (const selector of [
          '#iframe-viasocket-embed-parent-container',
          '.vs-embed__backdrop',
          '#viasocket-embed-open-button',
        ])
          expect(document.querySelector(selector), selector).to.equal(null);
        parent.remove();
      });
    }

    it("passes on message events from the embed's origin only", async () => {
      const embed = viaSocket({
        tokens,
        scriptUrl: `${STAND_INS}/via-socket.js`,
        messageOrigin: 'https://embedfrontend.viasocket.com',
      });
      widget = embed;
      const messages = sinon.spy();
      embed.on('message', messages);
      await embed.ready;
      const post = (origin: string, action: string) =>
        window.dispatchEvent(new MessageEvent('message', { origin, data: { action } }));
      post('https://evil.example', 'deleted');
      post('https://embedfrontend.viasocket.com.evil.example', 'deleted');
      post('https://embedfrontend.viasocket.com', 'published');
      expect(messages.callCount).to.equal(1);
      expect(messages.firstCall.args[0]).to.deep.equal({ data: { action: 'published' } });
      await embed.destroy();
      post('https://embedfrontend.viasocket.com', 'updated');
      expect(messages.callCount).to.equal(1);
    });
  });

  describe('iAdvize', () => {
    it('surfaces an activation failure with its reason through ready and an event, without fallback', async () => {
      // A JWS where iAdvize expects a JWE: the stand-in refuses it, as iAdvize would.
      const chat = iAdvize({ tokens, sid: 99, scriptUrl: `${STAND_INS}/iadvize.js` });
      widget = chat;
      const activations = sinon.spy();
      chat.on('activation', activations);
      const error = (await chat.ready.catch((e: unknown) => e)) as WidgetError;
      expect(isWidgetTokenError(error, 'widget_failed')).to.equal(true);
      expect(error.vendorCode).to.equal('invalid token');
      expect(activations.firstCall.args[0]).to.include({
        status: 'authentication-failure',
        reason: 'invalid token',
      });
      expect(standIn('iadvize')!.tokens).to.have.length(1);
    });

    it('activates with a JWE and logs out through the SDK', async () => {
      backend.restore();
      backend = fakeBackend(() => ({ json: { token: makeJwe(), expiresIn: 60 } }));
      const chat = iAdvize({ tokens, sid: 99, scriptUrl: `${STAND_INS}/iadvize.js` });
      widget = chat;
      await chat.ready;
      expect(
        (window as unknown as { iAdvizeInterface: { config: { sid: number } } }).iAdvizeInterface
          .config.sid,
      ).to.equal(99);
      await chat.logout();
      expect(standIn('iadvize')!.calls.map((call) => call.name)).to.deep.equal([
        'activate',
        'logout',
      ]);
    });

    it('the stand-in refuses a second activate without logout, and one while another is under way', async () => {
      backend.restore();
      backend = fakeBackend(() => ({ json: { token: makeJwe(), expiresIn: 60 } }));
      const chat = iAdvize({ tokens, sid: 99, scriptUrl: `${STAND_INS}/iadvize.js` });
      widget = chat;
      await chat.ready;
      type Sdk = { activate(provider: () => Promise<unknown>): Promise<unknown> };
      const sdk = (window as unknown as { iAdvize: Sdk }).iAdvize;
      const provider = async () => ({
        authenticationOption: { type: 'SECURED_AUTHENTICATION', token: makeJwe() },
      });
      const twice = await sdk.activate(provider).catch((e: Error) => e.message);
      expect(twice).to.equal("Can't activate twice, please logout first");
      await (sdk as unknown as { logout(): Promise<void> }).logout();
      const first = sdk.activate(provider);
      const concurrent = await sdk.activate(provider).catch((e: Error) => e.message);
      expect(concurrent).to.equal('An activation is already ongoing');
      await first;
    });

    it('destroy then create on the same page activates again', async () => {
      backend.restore();
      backend = fakeBackend(() => ({ json: { token: makeJwe(), expiresIn: 60 } }));
      const first = iAdvize({ tokens, sid: 99, scriptUrl: `${STAND_INS}/iadvize.js` });
      await first.ready;
      // The host does not wait for destroy(): the next widget must.
      void first.destroy();
      const second = iAdvize({ tokens, sid: 99, scriptUrl: `${STAND_INS}/iadvize.js` });
      widget = second;
      const activations = sinon.spy();
      second.on('activation', activations);
      await second.ready;
      expect(activations.firstCall.args[0].status).to.equal('authentication-success');
      expect(standIn('iadvize')!.calls.map((call) => call.name)).to.deep.equal([
        'activate',
        'logout',
        'activate',
      ]);
    });

    it('a logout while the tag never loaded neither recreates iAdvizeInterface nor hangs', async () => {
      const chat = iAdvize({ tokens, sid: 99, scriptUrl: `${STAND_INS}/hang.js` });
      widget = chat;
      const loggedOut = sinon.spy();
      chat.on('loggedOut', loggedOut);
      await new Promise((resolve) => setTimeout(resolve, 20));
      tokens.stop({ logout: true });
      await chat.logout(); // within the test's 5 s, not after readyTimeout (30 s)
      expect(loggedOut.calledOnce).to.equal(true);
      expect('iAdvizeInterface' in window).to.equal(false);
      await chat.logout(); // after destroy(): does nothing
      expect('iAdvizeInterface' in window).to.equal(false);
    });

    it('rejects a platform that is not a host name label', () => {
      expect(() => iAdvize({ tokens, sid: 1, platform: 'evil.example/x' })).to.throw(
        /host name label/,
      );
    });
  });

  describe('engagespot', () => {
    it('the stand-in, like Engagespot, ignores a new userToken on a live inbox', async () => {
      // Load the stand-in through an adapter, then drive its render directly as a host would.
      const bell = document.createElement('div');
      document.body.append(bell);
      const handle = (widget = engagespot({
        tokens,
        apiKey: 'k',
        userId: 'u',
        target: bell,
        scriptUrl: `${STAND_INS}/engagespot.js`,
      }));
      await handle.ready;
      type Build = { render(element: HTMLElement, props: unknown): void };
      const build = (window as unknown as { Engagespot: Build }).Engagespot;
      const element = document.createElement('div');
      bell.append(element);
      build.render(element, { apiKey: 'k', userId: 'u', userToken: 'first' });
      build.render(element, { apiKey: 'k', userId: 'u', userToken: 'second' });
      const record = standIn('engagespot')!;
      expect(record.tokens.map((entry) => entry.token)).to.deep.equal([tokens.token, 'first']);
      expect(record.calls.at(-1)).to.deep.equal({
        name: 'ignoredToken',
        detail: { token: 'second' },
      });
      element.remove();
      await handle.destroy();
      bell.remove();
    });

    it('every new token reaches a new inbox, and the old one is gone: no connection nor request with it', async () => {
      const clock = sinon.useFakeTimers({
        shouldAdvanceTime: true,
        toFake: ['setTimeout', 'clearTimeout'],
      });
      const bell = document.createElement('div');
      bell.id = 'bell';
      const hostContent = document.createElement('p');
      hostContent.textContent = 'the host’s own';
      bell.append(hostContent);
      document.body.append(bell);
      try {
        const handle = (widget = engagespot({
          tokens,
          apiKey: 'k',
          userId: 'u',
          target: '#bell',
          scriptUrl: `${STAND_INS}/engagespot.js`,
        }));
        await handle.ready;
        const first = tokens.token!;
        const second = await tokens.refresh();
        await clock.tickAsync(10);
        const record = standIn('engagespot') as unknown as {
          tokens: { token: string }[];
          connections: { token: string; open: boolean }[];
          requests: { token: string }[];
        };
        expect(record.tokens.map((entry) => entry.token)).to.deep.equal([first, second]);
        expect(record.connections).to.deep.equal([
          { token: first, open: false },
          { token: second, open: true },
        ]);
        const before = record.requests.length;
        await clock.tickAsync(65_000);
        const later = record.requests.slice(before).map((request) => request.token);
        expect(later).to.have.length(2);
        expect(later.every((token) => token === second)).to.equal(true);
        expect(bell.querySelectorAll('.engagespot-stand-in')).to.have.length(1);
        await handle.logout();
        expect(record.connections.every((connection) => !connection.open)).to.equal(true);
        expect([...bell.children]).to.deep.equal([hostContent]);
      } finally {
        clock.restore();
        bell.remove();
      }
    });

    it("gives the host's render a new container per token and ends the previous inbox first", async () => {
      const steps: string[] = [];
      const containers: HTMLElement[] = [];
      const handle = (widget = engagespot({
        tokens,
        apiKey: 'k',
        userId: 'u',
        render({ userToken }, container) {
          containers.push(container);
          steps.push(`start ${userToken === tokens.token ? 'current' : 'other'}`);
          return () => steps.push('end');
        },
      }));
      await handle.ready;
      await tokens.refresh();
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(steps).to.deep.equal(['start current', 'end', 'start current']);
      expect(containers[0]).to.not.equal(containers[1]);
      await handle.destroy();
      expect(steps.at(-1)).to.equal('end');
    });

    it('rejects options it cannot start from', () => {
      expect(() => engagespot({ tokens, apiKey: 'k', userId: 'u' })).to.throw(/render|target/);
    });
  });

  describe('videoSdk', () => {
    it('joins with the current token and, on 4002, refreshes and joins once more', async () => {
      const video = videoSdk({ tokens, scriptUrl: `${STAND_INS}/video-sdk.js` });
      widget = video;
      await video.ready;
      const stale = tokens.token!;
      standIn('video-sdk')!.rejectTokens = [stale];
      await video.join({ meetingId: 'abc-def', name: 'Ada' });
      const joins = standIn('video-sdk')!.calls.filter((call) => call.name === 'join');
      expect(joins.map((call) => (call.detail as { token: string }).token)).to.deep.equal([
        stale,
        tokens.token,
      ]);
      expect(backend.requests).to.have.length(2);
    });

    it('gives up after one retry with a typed error carrying the vendor code', async () => {
      const video = videoSdk({ tokens, scriptUrl: `${STAND_INS}/video-sdk.js` });
      widget = video;
      await video.ready;
      const record = standIn('video-sdk')!;
      record.rejectTokens = new Proxy([], {
        get: (target, key) => (key === 'indexOf' ? () => 0 : Reflect.get(target, key)),
      });
      const error = (await video
        .join({ meetingId: 'abc' })
        .catch((e: unknown) => e)) as WidgetError;
      expect(isWidgetTokenError(error, 'widget_failed')).to.equal(true);
      expect(error.vendorCode).to.equal(4002);
      expect(record.calls.filter((call) => call.name === 'join')).to.have.length(2);
    });

    it('refreshes before joining when the token is about to expire', async () => {
      backend.restore();
      backend = fakeBackend(() => ({
        json: { token: freshJwt(60).replace('c2lnbmF0dXJl', `s${++serial}`) },
      }));
      const video = videoSdk({
        tokens,
        scriptUrl: `${STAND_INS}/video-sdk.js`,
        minValidityAtJoin: 120_000,
      });
      widget = video;
      await video.ready;
      await video.join({ meetingId: 'abc' });
      const join = standIn('video-sdk')!.calls.find((call) => call.name === 'join')!;
      expect(backend.requests).to.have.length(2);
      expect((join.detail as { token: string }).token).to.equal(tokens.token);
    });

    it("never leaves the SDK's join rejection unhandled; a non-token code is a typed error at once", async () => {
      // 1.x reports a failed join twice: an `error` event and join()'s rejected promise.
      const unhandled: unknown[] = [];
      const onUnhandled = (event: PromiseRejectionEvent) => {
        unhandled.push(event.reason);
        event.preventDefault();
      };
      window.addEventListener('unhandledrejection', onUnhandled);
      try {
        const video = videoSdk({ tokens, scriptUrl: `${STAND_INS}/video-sdk.js` });
        widget = video;
        await video.ready;
        const record = standIn('video-sdk')!;
        record.rejectTokens = [tokens.token!];
        record.rejectCode = 4024; // role not valid: a refresh would sign the same role
        const error = (await video
          .join({ meetingId: 'abc' })
          .catch((e: unknown) => e)) as WidgetError;
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(isWidgetTokenError(error, 'widget_failed')).to.equal(true);
        expect(error.vendorCode).to.equal(4024);
        expect(record.calls.filter((call) => call.name === 'join')).to.have.length(1);
        expect(backend.requests).to.have.length(1);
        expect(unhandled).to.deep.equal([]);
      } finally {
        window.removeEventListener('unhandledrejection', onUnhandled);
      }
    });

    for (const code of [3047, 4022, 4023]) {
      it(`on ${code} (the token refused for this meeting or participant) refreshes and joins once more`, async () => {
        const video = videoSdk({ tokens, scriptUrl: `${STAND_INS}/video-sdk.js` });
        widget = video;
        await video.ready;
        const stale = tokens.token!;
        const record = standIn('video-sdk')!;
        record.rejectTokens = [stale];
        record.rejectCode = code;
        await video.join({ meetingId: 'abc-def' });
        const joins = record.calls.filter((call) => call.name === 'join');
        expect(joins.map((call) => (call.detail as { token: string }).token)).to.deep.equal([
          stale,
          tokens.token,
        ]);
      });
    }

    it('a logout leaves the meeting before loggedOut, in this tab or from another', async () => {
      const video = videoSdk({ tokens, scriptUrl: `${STAND_INS}/video-sdk.js` });
      widget = video;
      await video.ready;
      await video.join({ meetingId: 'abc' });
      const leftAtLoggedOut: number[] = [];
      video.on('loggedOut', () =>
        leftAtLoggedOut.push(standIn('video-sdk')!.calls.filter((c) => c.name === 'leave').length),
      );
      tokens.stop({ logout: true });
      await video.logout();
      expect(leftAtLoggedOut).to.deep.equal([1]);
      expect(standIn('video-sdk')!.calls.filter((c) => c.name === 'leave')).to.have.length(1);
    });

    it('uses an imported SDK object without loading any script', async () => {
      const sdk = { config: sinon.spy(), initMeeting: sinon.spy() };
      const handle = (widget = videoSdk({ tokens, sdk }));
      await handle.ready;
      expect(sdk.config.calledOnceWith(tokens.token)).to.equal(true);
      expect(document.querySelectorAll('script[src*="video-sdk"]')).to.have.length(0);
    });
  });
});
