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
  streamChat,
  streamTokenProvider,
  type TokenSource,
  type WidgetHandle,
} from '../../src/index.js';
import { fakeBackend, type FakeBackend } from '../helpers/fake-backend.js';
import { NOW } from '../helpers/harness.js';
import { freshJwt } from '../helpers/jwt.js';
import { STAND_INS, standIn } from '../helpers/stand-ins.js';

const LIFETIME = 60;

/** An npm SDK played by its stand-in, loaded as the host would load its bundle. */
async function standInSdk<T>(name: string, global: string): Promise<T> {
  await createScriptLoader().load({
    url: `${STAND_INS}/${name}.js`,
    isReady: () => global in window,
  });
  return (window as unknown as Record<string, T>)[global]!;
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
      json: { token: freshJwt(LIFETIME).replace('c2lnbmF0dXJl', `s${++serial}`) },
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
        await clock.tickAsync(5000);
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
      await widget.ready;
      const loggedOut = sinon.spy();
      widget.on('loggedOut', loggedOut);
      tokens.stop({ logout: true });
      await clock.tickAsync(10);
      expect(loggedOut.callCount).to.equal(1);
      expect(calls('stream-chat')).to.include('disconnectUser');
      expect(widget.destroyed).to.equal(true);
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
      // A second at a time: each refresh takes a real Web Lock between the ticks.
      for (let second = 0; second < 3 * LIFETIME; second++) await clock.tickAsync(1000);
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
});
