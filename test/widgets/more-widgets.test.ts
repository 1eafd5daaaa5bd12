// The widgets beyond the first five: what each stand-in reproduces of its SDK's misbehaviour, and
// what each adapter adds on top of the shared adapter suite (adapters.test.ts). The real Stream and
// Knock clients run in test/e2e/real-sdks-stream-knock.test.mjs.
import { expect } from 'chai';
import sinon from 'sinon';
import {
  createScriptLoader,
  createTokenSource,
  isWidgetTokenError,
  knock,
  knockTokenExpiring,
  intercom,
  zendesk,
  zendeskJwtCallback,
  twilioConversations,
  agora,
  toAgoraToken,
  liveKitTokenSource,
  streamChat,
  streamTokenProvider,
  type TokenSource,
  type WidgetHandle,
} from '../../src/index.js';
import { advanceUnhurried } from '../helpers/browser-tasks.js';
import { fakeBackend, type FakeBackend } from '../helpers/fake-backend.js';
import { NOW } from '../helpers/harness.js';
import { makeJwt } from '../helpers/jwt.js';
import { STAND_INS, standIn, standInSdk } from '../helpers/stand-ins.js';

const LIFETIME = 60;

/**
 * A JWS valid for LIFETIME with the user claims each vendor requires: Intercom's user_id, Zendesk's
 * kid header, external_id and scope.
 */
function userJwt(serial: number, claims: Record<string, unknown> = {}): string {
  const iat = Math.floor(Date.now() / 1000);
  const user = { sub: 'user-1', user_id: 'user-1', external_id: 'user-1', scope: 'user' };
  const header = { alg: 'HS256', typ: 'JWT', kid: 'app_1' };
  return makeJwt({ ...user, iat, exp: iat + LIFETIME, ...claims }, header).replace(
    'c2lnbmF0dXJl',
    `s${serial}`,
  );
}

interface StreamStandIn {
  connectUser(user: { id: string }, provider: () => Promise<string>): Promise<unknown>;
  queryChannels(): Promise<unknown>;
  disconnectUser(): Promise<void>;
  tokenManager: { loadToken(): Promise<string> };
}
interface KnockStandIn {
  authenticate(user: { id: string }, token: string, options?: Record<string, unknown>): void;
  logout(): void;
}

describe('more widgets', () => {
  let clock: sinon.SinonFakeTimers;
  let backend: FakeBackend;
  let tokens: TokenSource;
  let widget: WidgetHandle | undefined;
  let serial: number;

  beforeEach(() => {
    delete (window as unknown as { __standIns?: unknown }).__standIns;
    clock = sinon.useFakeTimers({
      now: NOW,
      shouldAdvanceTime: true,
      toFake: ['setTimeout', 'clearTimeout', 'Date'],
    });
    serial = 0;
    backend = fakeBackend(() => ({
      json: { token: userJwt(++serial) },
    }));
    tokens = createTokenSource({ url: '/token', retry: { attempts: 1 } });
  });
  afterEach(async () => {
    await widget?.destroy();
    widget = undefined;
    tokens.stop();
    backend.restore();
    clock.restore();
    for (const script of document.querySelectorAll('script[src*="/stand-ins/"]')) script.remove();
  });

  const calls = (vendor: string) => standIn(vendor)?.calls.map((call) => call.name) ?? [];

  /**
   * A logout in any tab (the source stops with `logout: true`) once `handle` is ready: how many
   * `loggedOut` events followed, and whether the logout alone destroyed the widget. Then waits for
   * the clean-up to finish.
   */
  async function logOutEverywhere(handle: WidgetHandle) {
    await handle.ready;
    const loggedOut = sinon.spy();
    handle.on('loggedOut', loggedOut);
    tokens.stop({ logout: true });
    await clock.tickAsync(10);
    const destroyed = handle.destroyed;
    await handle.destroy();
    return { loggedOut: loggedOut.callCount, destroyed };
  }

  describe('streamChat', () => {
    it('the stand-in, like stream-chat, asks its provider again only after an error 40', async () => {
      const StreamChat = await standInSdk<new (key: string) => StreamStandIn>(
        'stream-chat',
        '__standInStreamChat',
      );
      const client = new StreamChat('key');
      await client.connectUser({ id: 'user-1' }, streamTokenProvider(tokens));
      await clock.tickAsync((LIFETIME + 5) * 1000);
      await client.queryChannels();
      expect(calls('stream-chat')).to.deep.equal(['connectUser', 'error']);
      await client.disconnectUser();
    });

    it('with the adapter, a request every 5 s for three lifetimes never meets error 40', async () => {
      let client!: StreamStandIn;
      widget = streamChat({
        tokens,
        user: { id: 'user-1' },
        client: async () => {
          const StreamChat = await standInSdk<new (key: string) => StreamStandIn>(
            'stream-chat',
            '__standInStreamChat',
          );
          return (client = new StreamChat('key'));
        },
      });
      await widget.ready;
      for (let step = 0; step < (3 * LIFETIME) / 5; step++) {
        await advanceUnhurried(clock, tokens, 5000);
        await client.queryChannels();
      }
      expect(calls('stream-chat')).not.to.include('error');
      expect(serial).to.be.at.least(4);
    });

    it('destroy() and a logout in any tab disconnect the user', async () => {
      widget = streamChat({
        tokens,
        user: { id: 'user-1' },
        client: async () =>
          new (await standInSdk<new (key: string) => StreamStandIn>(
            'stream-chat',
            '__standInStreamChat',
          ))('key'),
      });
      const logout = await logOutEverywhere(widget);
      expect(logout.loggedOut).to.equal(1);
      expect(calls('stream-chat')).to.include('disconnectUser');
      expect(logout.destroyed).to.equal(true);
    });

    it('refuses bad options, saying what it expected and received', () => {
      const bad = [
        () => streamChat({ tokens, client: undefined as never, user: { id: 'a' } }),
        () => streamChat({ tokens, client: {} as never, user: { id: '' } }),
      ];
      for (const create of bad) {
        expect(create).to.throw(/streamChat\(\) needs .*received/);
        try {
          create();
        } catch (error) {
          expect(isWidgetTokenError(error, 'invalid_options')).to.equal(true);
        }
      }
    });
  });

  describe('knock', () => {
    it('the bridge never hands back the token Knock is replacing, and resolves undefined on failure', async () => {
      const expiring = knockTokenExpiring(tokens);
      const first = await tokens.getToken();
      const next = await expiring(first, {});
      expect(next).to.be.a('string').and.not.equal(first);
      expect(await expiring('some-other-token', {}), 'fresh: no request').to.equal(next);
      expect(serial).to.equal(2);
      backend.restore();
      backend = fakeBackend(() => ({ status: 401 }));
      expect(await expiring(next!, {})).to.equal(undefined);
    });

    it('with the adapter, every new token is authenticated without identifying the user again', async () => {
      widget = knock({
        tokens,
        user: { id: 'user-1', name: 'Ada' },
        knock: async () =>
          new (await standInSdk<new (key: string) => KnockStandIn>('knock', '__standInKnock'))(
            'pk_test_1',
          ),
      });
      await widget.ready;
      await advanceUnhurried(clock, tokens, 3 * LIFETIME * 1000);
      const authentications = standIn('knock')!.calls.filter((c) => c.name === 'authenticate');
      expect(authentications.length).to.be.at.least(4);
      expect(
        authentications.map((c) => (c.detail as { identify: boolean }).identify),
      ).to.deep.equal([true, ...authentications.slice(1).map(() => false)]);
    });

    it('logout() calls Knock logout()', async () => {
      widget = knock({
        tokens,
        user: 'user-1',
        knock: async () =>
          new (await standInSdk<new (key: string) => KnockStandIn>('knock', '__standInKnock'))(
            'pk_test_1',
          ),
      });
      await widget.ready;
      await widget.logout();
      expect(calls('knock').at(-1)).to.equal('logout');
    });

    it('refuses bad options, saying what it expected and received', () => {
      expect(() => knock({ tokens, knock: {} as never, user: '' })).to.throw(/received ""/);
      expect(() =>
        knock({ tokens, knock: {} as never, user: 'a', timeBeforeExpirationInMs: -1 }),
      ).to.throw(/received -1/);
    });
  });

  describe('intercom', () => {
    type IntercomStandIn = ((command: string, settings?: Record<string, unknown>) => void) & {
      __request(): void;
    };
    const messenger = () => (window as unknown as { Intercom: IntercomStandIn }).Intercom;
    const refusals = () =>
      standIn('intercom')
        ?.calls.filter((call) => call.name === 'refused')
        .map((c) => c.detail);
    const create = () =>
      intercom({ tokens, appId: 'abc123', scriptUrl: `${STAND_INS}/intercom.js`, hints: false });
    afterEach(() => delete (window as unknown as { Intercom?: unknown }).Intercom);

    it('the stand-in, like Intercom, has no expiry event and refuses stale, foreign and late JWTs', async () => {
      await standInSdk<IntercomStandIn>('intercom', 'Intercom');
      messenger()('boot', { app_id: 'abc123', intercom_user_jwt: userJwt(1) });
      await clock.tickAsync((LIFETIME + 1) * 1000);
      messenger().__request();
      expect(calls('intercom')).to.deep.equal(['boot', 'error']);
      messenger()('update', { intercom_user_jwt: userJwt(2, { user_id: 'someone-else' }) });
      messenger()('boot', { app_id: 'abc123', intercom_user_jwt: userJwt(3, { exp: 1 }) });
      messenger()('shutdown');
      messenger()('update', { intercom_user_jwt: userJwt(4) });
      expect(refusals()).to.deep.equal([
        { command: 'update', reason: 'another user' },
        { command: 'boot', reason: 'expired' },
        { command: 'update', reason: 'not booted' },
      ]);
    });

    it('with the adapter, a Messenger request every 5 s for three lifetimes is never refused', async () => {
      widget = create();
      await widget.ready;
      for (let step = 0; step < (3 * LIFETIME) / 5; step++) {
        await advanceUnhurried(clock, tokens, 5000);
        messenger().__request();
      }
      expect(calls('intercom')).not.to.include('error');
      expect(refusals()).to.deep.equal([]);
      expect(calls('intercom').filter((name) => name === 'update').length).to.be.at.least(3);
    });

    it('a logout in any tab shuts Intercom down, then removes it', async () => {
      widget = create();
      const logout = await logOutEverywhere(widget);
      expect(logout.loggedOut).to.equal(1);
      expect(calls('intercom').at(-1)).to.equal('shutdown');
      expect('Intercom' in window).to.equal(false);
    });

    it('refuses bad options, saying what it expected and received', () => {
      expect(() => intercom({ tokens, appId: '' })).to.throw(/appId.*received ""/);
      expect(() => intercom({ tokens, appId: 'a/b' })).to.throw(/received "a\/b"/);
      expect(() =>
        intercom({ tokens, appId: 'abc', settings: { intercom_user_jwt: 'x' } }),
      ).to.throw(/must not contain intercom_user_jwt/);
    });
  });

  describe('zendesk', () => {
    type ZendeskStandIn = ((namespace: string, command: string, ...args: unknown[]) => void) & {
      __ask(): void;
    };
    const zE = () => (window as unknown as { zE: ZendeskStandIn }).zE;
    const refusals = () =>
      standIn('zendesk')
        ?.calls.filter((call) => call.name === 'refused')
        .map((c) => c.detail);
    const create = () =>
      zendesk({ tokens, key: 'key-1', scriptUrl: `${STAND_INS}/zendesk.js`, hints: false });
    afterEach(() => delete (window as unknown as { zE?: unknown }).zE);

    it('the stand-in, like Zendesk, asks again only when its JWT expires, and refuses stale or foreign ones', async () => {
      await createScriptLoader().load({
        url: `${STAND_INS}/zendesk.js`,
        id: 'ze-snippet',
        isReady: () => 'zE' in window,
      });
      const asked: number[] = [];
      let answer = (n: number) => userJwt(n);
      const login = new Promise((resolve) =>
        zE()(
          'messenger',
          'loginUser',
          (callback: (jwt: string) => void) => {
            asked.push(Date.now() - NOW);
            callback(answer(asked.length));
          },
          resolve,
        ),
      );
      expect(await login).to.equal(null);
      await clock.tickAsync((LIFETIME - 5) * 1000);
      expect(asked, 'not before the JWT it holds expires').to.have.length(1);
      answer = (n) => userJwt(n, { external_id: 'someone-else' });
      await clock.tickAsync(5000);
      expect(asked).to.have.length(2);
      expect(asked[1]).to.be.within((LIFETIME - 2) * 1000, LIFETIME * 1000);
      zE()('messenger', 'logoutUser');
      zE()('messenger', 'logoutUser');
      expect(refusals()).to.deep.equal([
        { command: 'callback', reason: 'another user' },
        { command: 'logoutUser', reason: 'not logged in' },
      ]);
      const failed = new Promise((resolve) =>
        zE()(
          'messenger',
          'loginUser',
          (callback: (jwt: string) => void) => callback(userJwt(9, { exp: 1 })),
          resolve,
        ),
      );
      expect(await failed).to.include({ type: 'LoginFailedError', reason: 'expired' });
    });

    it('with the adapter, each late ask is answered at once from a fresh token, with no request of its own', async () => {
      widget = create();
      await widget.ready;
      await advanceUnhurried(clock, tokens, 3 * LIFETIME * 1000);
      const received = standIn('zendesk')!.tokens;
      const asks = received.filter((entry) => entry.how === 'callback');
      expect(asks.length).to.be.at.least(2);
      expect(refusals()).to.deep.equal([]);
      for (const { token, at } of received) {
        const { exp } = JSON.parse(atob(token.split('.')[1]!)) as { exp: number };
        expect(exp * 1000 - at, 'the answer is still good for a while').to.be.above(5000);
      }
      // One request per token the source refreshes on its own schedule; Zendesk's asks add none.
      expect(serial).to.be.at.most(Math.ceil((3 * LIFETIME) / (LIFETIME * 0.7)) + 1);
    });

    it('the bridge answers from the current token, and never calls back without a valid one', async () => {
      const jwtCallback = zendeskJwtCallback(tokens);
      const first = await tokens.getToken();
      const answered = await new Promise((resolve) => jwtCallback(resolve));
      expect(answered).to.equal(first);
      expect(serial, 'fresh: no request').to.equal(1);
      tokens.stop();
      const answers = sinon.spy();
      jwtCallback(answers);
      await clock.tickAsync(100);
      expect(answers.callCount).to.equal(0);
    });

    it('a login Zendesk refuses rejects ready with its reason', async () => {
      backend.restore();
      backend = fakeBackend(() => ({ json: { token: userJwt(1, { scope: 'anonymous' }) } }));
      widget = create();
      const error = await widget.ready.catch((failure: unknown) => failure);
      expect(isWidgetTokenError(error, 'widget_failed'), String(error)).to.equal(true);
      expect(String(error)).to.contain('scope is not user');
    });

    it('a logout in any tab logs the user out of Zendesk, then removes zE', async () => {
      widget = create();
      const logout = await logOutEverywhere(widget);
      expect(logout.loggedOut).to.equal(1);
      expect(calls('zendesk').at(-1)).to.equal('logoutUser');
      expect('zE' in window).to.equal(false);
    });

    it('refuses bad options, saying what it expected and received', () => {
      expect(() => zendesk({ tokens, key: '' })).to.throw(/key.*received ""/);
      expect(() => zendesk({ tokens, key: 'k', readyTimeout: -1 })).to.throw(
        /readyTimeout must be ms > 0, not -1/,
      );
    });
  });

  describe('twilioConversations', () => {
    interface TwilioStandIn {
      updateToken(token: string): Promise<unknown>;
      shutdown(): Promise<void>;
      on(event: string, listener: () => void): unknown;
      removeListener(event: string, listener: () => void): unknown;
      __request(): void;
    }
    /** An Access Token as Twilio's helper libraries make it, valid for `lifetime` seconds. */
    function accessToken(serial: number, lifetime = LIFETIME, identity = 'user-1'): string {
      const iat = Math.floor(Date.now() / 1000);
      const header = { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' };
      const claims = { jti: `SK1-${serial}`, iss: 'SK1', sub: 'AC1', iat, exp: iat + lifetime };
      const grants = { identity, chat: { service_sid: 'IS1' } };
      return makeJwt({ ...claims, grants }, header).replace('c2lnbmF0dXJl', `s${serial}`);
    }
    const Client = () =>
      standInSdk<{ Client: new (token: string) => TwilioStandIn }>(
        'twilio-conversations',
        '__standInTwilioConversations',
      ).then((sdk) => sdk.Client);
    const refusals = () =>
      standIn('twilio-conversations')
        ?.calls.filter((call) => call.name === 'refused')
        .map((c) => c.detail);
    let client: TwilioStandIn | undefined;
    const create = () =>
      twilioConversations({
        tokens,
        createClient: async (token) => (client = new (await Client())(token)),
      });

    beforeEach(() => {
      backend.restore();
      backend = fakeBackend(() => ({ json: { token: accessToken(++serial) } }));
    });

    it("the stand-in, like Twilio's server, warns once per token in its final three minutes, and refuses late or foreign tokens", async () => {
      const TwilioClient = await Client();
      const short = new TwilioClient(accessToken(1, 50));
      await clock.tickAsync(1_000);
      expect(calls('twilio-conversations'), 'at once: under three minutes left').to.deep.equal([
        'constructor',
        'tokenAboutToExpire',
      ]);
      await clock.tickAsync(50_000);
      short.__request();
      expect(calls('twilio-conversations').slice(2)).to.deep.equal(['tokenExpired', 'error']);
      await short.updateToken(accessToken(2, 50, 'someone-else')).catch(() => {});
      const long = new TwilioClient(accessToken(3, 300));
      await clock.tickAsync(119_000);
      expect(calls('twilio-conversations').at(-1), 'not before the final three minutes').to.equal(
        'constructor',
      );
      await clock.tickAsync(2_000);
      expect(calls('twilio-conversations').at(-1)).to.equal('tokenAboutToExpire');
      await long.shutdown();
      await long.updateToken(accessToken(4)).catch(() => {});
      expect(refusals()).to.deep.equal([
        { command: 'updateToken', reason: 'another identity' },
        { command: 'updateToken', reason: 'shut down' },
      ]);
      await short.shutdown();
    });

    it('with the adapter and 60 s tokens (warned at once by Twilio), a request every 5 s for three lifetimes never fails, and no token is updated twice', async () => {
      widget = create();
      await widget.ready;
      for (let step = 0; step < (3 * LIFETIME) / 5; step++) {
        await advanceUnhurried(clock, tokens, 5000);
        client!.__request();
      }
      const names = calls('twilio-conversations');
      expect(
        names,
        JSON.stringify([
          standIn('twilio-conversations')!.tokens.map((t) => [t.how, t.at - NOW]),
          backend.times.map((t) => t - NOW),
        ]),
      ).not.to.include('error');
      expect(names).to.include('tokenAboutToExpire');
      expect(refusals()).to.deep.equal([]);
      const updates = standIn('twilio-conversations')!
        .tokens.filter((t) => t.how === 'updateToken')
        .map((t) => t.token);
      expect(updates.length).to.be.at.least(3);
      expect(new Set(updates).size, 'the warning never brings the same token back').to.equal(
        updates.length,
      );
    });

    it('a failed token fetch on tokenExpired is reported as the source error, not as Twilio refusing a token', async () => {
      // With the real @twilio/conversations 3, tokenExpired comes when Twilio closes the
      // connection (410) during an outage; the source's requests then fail with the backend's 503.
      let down = false;
      backend.restore();
      backend = fakeBackend(() =>
        down ? { status: 503 } : { json: { token: accessToken(++serial) } },
      );
      widget = create();
      const widgetErrors: unknown[] = [];
      const sourceErrors: unknown[] = [];
      widget.on('error', ({ error }) => widgetErrors.push(error));
      tokens.on('error', ({ error }) => sourceErrors.push(error));
      await widget.ready;
      down = true;
      await advanceUnhurried(clock, tokens, 2 * LIFETIME * 1000);
      expect(calls('twilio-conversations')).to.include('tokenExpired');
      const fetchFailures = sourceErrors.map(String).filter((error) => /answered 503/.test(error));
      expect(fetchFailures.length, 'the source reports the outage').to.be.at.least(1);
      for (const error of widgetErrors.map(String)) expect(error).not.to.match(/Twilio refused/);
    });

    it('a logout in any tab shuts the client down', async () => {
      widget = create();
      const logout = await logOutEverywhere(widget);
      expect(logout.loggedOut).to.equal(1);
      expect(calls('twilio-conversations').at(-1)).to.equal('shutdown');
    });

    it('refuses bad options, saying what it expected and received', () => {
      expect(() => twilioConversations({ tokens, createClient: undefined as never })).to.throw(
        /createClient.*received undefined/,
      );
    });
  });
  describe('agora', () => {
    interface AgoraStandIn {
      join(
        appId: string,
        channel: string,
        token: string,
        uid?: number | null,
      ): Promise<number | string>;
      renewToken(token: string): Promise<unknown>;
      leave(): Promise<unknown>;
      on(event: string, listener: () => void): unknown;
      off(event: string, listener: () => void): unknown;
      __listenerCount(): number;
      __drop(): void;
      __request(): void;
    }
    /**
     * An opaque AccessToken2 stand-in as Agora receives it: "007" + base64 of JSON { exp }, valid
     * for `lifetime` s ('~~?' puts a '/' or '+' in the base64, which the source would refuse).
     */
    function accessToken2(serial: number, lifetime = LIFETIME): string {
      const exp = Math.floor(Date.now() / 1000) + lifetime;
      return `007${btoa(JSON.stringify({ exp, serial, filler: '~~?' }))}`;
    }
    /** The same token in the base64url alphabet, as the endpoint sends it to the source. */
    const sent = (token: string) =>
      token.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    const AgoraRTC = () => standInSdk<{ createClient(): AgoraStandIn }>('agora', '__standInAgora');
    const refusals = () =>
      standIn('agora')
        ?.calls.filter((call) => call.name === 'refused')
        .map((c) => c.detail);
    const received = (how: string) =>
      standIn('agora')!
        .tokens.filter((entry) => entry.how === how)
        .map((entry) => entry.token);
    let client: AgoraStandIn | undefined;
    let lifetime: number;
    let unhandled: sinon.SinonSpy;
    /** Advances the clock a second at a time, so that refreshes and deliveries run in between. */
    async function advance(ms: number) {
      await advanceUnhurried(clock, tokens, ms);
    }
    const create = () =>
      agora({
        tokens,
        appId: 'app-1',
        channel: 'channel-1',
        client: async () => (client = (await AgoraRTC()).createClient()),
      });

    beforeEach(() => {
      client = undefined;
      lifetime = LIFETIME;
      unhandled = sinon.spy();
      window.addEventListener('unhandledrejection', unhandled);
      backend.restore();
      backend = fakeBackend(() => ({
        json: { token: sent(accessToken2(++serial, lifetime)), expiresIn: LIFETIME },
      }));
    });
    afterEach(() => window.removeEventListener('unhandledrejection', unhandled));

    it('the stand-in, like Agora, warns once only, drops the session at expiry, and refuses what Agora refuses', async () => {
      const first = (await AgoraRTC()).createClient();
      await first.join('app-1', 'c', 'not-an-access-token').catch(() => {});
      await first.join('app-1', 'c', accessToken2(1, -1)).catch(() => {});
      await first.join('app-1', 'c', accessToken2(2, 40));
      await first.join('app-1', 'c', accessToken2(3, 40)).catch(() => {});
      await clock.tickAsync(11_000);
      expect(calls('agora').at(-1), '30 s before expiry').to.equal('token-privilege-will-expire');
      await first.renewToken(accessToken2(4, 40));
      await clock.tickAsync(41_000);
      // No second warning for the renewed token: the session just drops.
      expect(
        calls('agora').filter((name) => name === 'token-privilege-will-expire'),
      ).to.have.length(1);
      expect(calls('agora').at(-1)).to.equal('token-privilege-did-expire');
      await first.renewToken(accessToken2(5)).catch(() => {});
      await first.join('app-1', 'c', accessToken2(6));
      await first.leave();
      await first.renewToken(accessToken2(7)).catch(() => {});
      await first.join('app-1', 'c', accessToken2(8)).catch(() => {});
      expect(refusals()).to.deep.equal([
        { command: 'join', reason: 'not an AccessToken2 (no 007 prefix)' },
        { command: 'join', reason: 'expired' },
        { command: 'join', reason: 'already in connecting/connected state' },
        { command: 'renewToken', reason: 'not in a channel' },
        { command: 'renewToken', reason: 'left' },
        { command: 'join', reason: 'left' },
      ]);
    });

    it('joins with the first token as Agora expects it: "007" and standard base64', async () => {
      widget = create();
      await widget.ready;
      const expected = accessToken2(1);
      expect(received('join')).to.deep.equal([expected]);
      expect(expected).to.match(/[+/]/);
      expect(toAgoraToken(sent(expected))).to.equal(expected);
      expect(calls('agora')[0]).to.equal('join');
    });

    it('with Agora warning once only, renews every token before it expires for three lifetimes', async () => {
      lifetime = 2 * LIFETIME; // tokens that would warn each lifetime if Agora warned more than once
      widget = create();
      await widget.ready;
      for (let step = 0; step < (3 * LIFETIME) / 5; step++) {
        await advanceUnhurried(clock, tokens, 5000);
        client!.__request();
      }
      const names = calls('agora');
      expect(names).not.to.include('error');
      expect(names).not.to.include('token-privilege-did-expire');
      expect(names.filter((name) => name === 'token-privilege-will-expire').length).to.be.at.most(
        1,
      );
      expect(refusals()).to.deep.equal([]);
      expect(received('renewToken').length).to.be.at.least(3);
      expect(unhandled.callCount).to.equal(0);
    });

    it('after token-privilege-did-expire joins the channel again with a valid token', async () => {
      const call = create();
      widget = call;
      const rejoined = sinon.spy();
      call.on('rejoined', rejoined);
      await call.ready;
      client!.__drop();
      await clock.tickAsync(10);
      expect(calls('agora').filter((name) => name === 'join')).to.have.length(2);
      expect(rejoined.callCount).to.equal(1);
      expect(refusals()).to.deep.equal([]);
      await advance(LIFETIME * 1000);
      client!.__request();
      expect(calls('agora')).not.to.include('error');
    });

    it('when the session dropped during an outage longer than a lifetime, joins again (never renewToken) once tokens come back', async () => {
      // Seen with the real agora-rtc-sdk-ng 4.24 (test/e2e/real-sdks-twilio-agora-livekit): its
      // renewToken refuses outside a session ("renewToken should not be called before user join").
      let down = false;
      backend.restore();
      backend = fakeBackend(() =>
        down
          ? { status: 503 }
          : { json: { token: sent(accessToken2(++serial, lifetime)), expiresIn: LIFETIME } },
      );
      const call = create();
      widget = call;
      const rejoined = sinon.spy();
      call.on('rejoined', rejoined);
      call.on('error', () => {});
      await call.ready;
      down = true;
      await advance(2.5 * LIFETIME * 1000);
      expect(calls('agora')).to.include('token-privilege-did-expire');
      expect(rejoined.callCount).to.equal(0);
      down = false;
      await advance(2 * LIFETIME * 1000);
      expect(calls('agora').filter((name) => name === 'join')).to.have.length(2);
      expect(rejoined.callCount).to.equal(1);
      // A join with the token that just expired may be refused ('expired': the source counts its
      // lifetime from its request, a moment longer than Agora); a renewToken never is.
      expect(
        (refusals() ?? []).filter((refusal) => (refusal as { command: string }).command !== 'join'),
      ).to.deep.equal([]);
      client!.__request();
      expect(calls('agora')).not.to.include('error');
      expect(unhandled.callCount).to.equal(0);
    });

    it('reports a token Agora refuses as an error event, never an unhandled rejection', async () => {
      widget = create();
      const errors: unknown[] = [];
      widget.on('error', ({ error }) => errors.push(error));
      await widget.ready;
      // The next token is already expired for Agora, though the response says it lives 60 s.
      lifetime = -1;
      await advance(LIFETIME * 1000);
      expect(refusals()).to.deep.include({ command: 'renewToken', reason: 'expired' });
      expect(errors.length).to.be.at.least(1);
      expect(isWidgetTokenError(errors[0], 'widget_failed')).to.equal(true);
      expect(String(errors[0])).to.contain('Agora refused');
      expect(unhandled.callCount).to.equal(0);
    });

    it('never hands Agora a token that is not an AccessToken2', async () => {
      backend.restore();
      backend = fakeBackend(() => ({
        json: { token: ++serial === 1 ? sent(accessToken2(1)) : 'abcdefgh12345678', expiresIn: 60 },
      }));
      widget = create();
      const errors: unknown[] = [];
      widget.on('error', ({ error }) => errors.push(error));
      await widget.ready;
      await advance(LIFETIME * 1000);
      expect(received('renewToken')).to.deep.equal([]);
      expect(String(errors[0])).to.contain('not an Agora AccessToken2');
    });

    it('a logout in any tab leaves the channel', async () => {
      widget = create();
      const logout = await logOutEverywhere(widget);
      expect(logout.loggedOut).to.equal(1);
      expect(calls('agora').at(-1)).to.equal('leave');
    });

    it('destroy() leaves the channel, removes its listeners and delivers nothing more', async () => {
      widget = create();
      await widget.ready;
      expect(client!.__listenerCount()).to.equal(2);
      await widget.destroy();
      expect(client!.__listenerCount()).to.equal(0);
      expect(calls('agora').at(-1)).to.equal('leave');
      const count = standIn('agora')!.tokens.length;
      await advance(3 * LIFETIME * 1000);
      expect(standIn('agora')!.tokens.length).to.equal(count);
      expect(refusals()).to.deep.equal([]);
    });

    it('refuses bad options, saying what it expected and received', () => {
      const client = { join() {}, renewToken() {}, leave() {}, on() {}, off() {} } as never;
      const base = { tokens, client, appId: 'app-1', channel: 'c' };
      expect(() => agora({ ...base, client: undefined as never })).to.throw(
        /client.*received undefined/,
      );
      expect(() => agora({ ...base, appId: '' })).to.throw(/appId.*received the string ""/);
      expect(() => agora({ ...base, channel: 7 as never })).to.throw(
        /channel.*received the number 7/,
      );
      expect(() => agora({ ...base, uid: -1 })).to.throw(/uid.*received the number -1/);
    });
  });
  describe('liveKitTokenSource', () => {
    it('answers LiveKit from the source: a fresh token costs no request', async () => {
      // Called as livekit-client 2's TokenSource.custom calls its function: with fetch options.
      const custom = liveKitTokenSource(tokens, 'wss://lk.example.test') as (options: {
        roomName?: string;
      }) => Promise<{ serverUrl: string; participantToken: string }>;
      const first = await custom({ roomName: 'room-1' });
      const second = await custom({ roomName: 'room-1' });
      expect(first).to.deep.equal({
        serverUrl: 'wss://lk.example.test',
        participantToken: tokens.token,
      });
      expect(second.participantToken).to.equal(first.participantToken);
      expect(backend.requests).to.have.length(1);
      expect(() => liveKitTokenSource(tokens, 'example.test')).to.throw(
        /serverUrl.*received "example.test"/,
      );
    });
  });
});
