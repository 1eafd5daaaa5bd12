import { expect } from 'chai';
import sinon from 'sinon';
import {
  createTokenSource,
  dgChat,
  engagespot,
  iAdvize,
  isWidgetTokenError,
  videoSdk,
  viaSocket,
  streamChat,
  knock,
  intercom,
  zendesk,
  twilioConversations,
  agora,
  type ScriptLoadError,
  type TokenSource,
  type WidgetHandle,
} from '../../src/index.js';
import { fakeBackend, type FakeBackend, type Reply } from '../helpers/fake-backend.js';
import { freshJwt, makeJwe, makeJwt } from '../helpers/jwt.js';
import { NOW } from '../helpers/harness.js';
import { STAND_INS, standIn, standInSdk } from '../helpers/stand-ins.js';

const LIFETIME = 60;

interface VendorCase {
  name: string;
  standIn: string;
  /** How the first token reaches the stand-in. */
  firstBy: string;
  /** A token the backend issues: a JWS, or for iAdvize a JWE whose expiry comes from the response. */
  issue(serial: number): { token: string; reply: Reply };
  create(tokens: TokenSource, scriptUrl: string): WidgetHandle;
  /** For widgets that pull tokens: act as the vendor SDK asking for one. */
  pull?(): Promise<void>;
  /** False where the host, not the adapter, loads the vendor's code. */
  loadsScript: boolean;
}

const jwsCase = (serial: number) => {
  const token = freshJwt(LIFETIME, Date.now() / 1000).replace('c2lnbmF0dXJl', `sig${serial}`);
  return { token, reply: { json: { token } } };
};

/** A JWS with the claims a vendor requires (Intercom's `user_id`, …), valid for LIFETIME. */
const claimsCase =
  (claims: Record<string, unknown>, header?: Record<string, unknown>) => (serial: number) => {
    const iat = Math.floor(Date.now() / 1000);
    const token = makeJwt({ ...claims, iat, exp: iat + LIFETIME }, header).replace(
      'c2lnbmF0dXJl',
      `sig${serial}`,
    );
    return { token, reply: { json: { token } } };
  };

/**
 * An opaque Agora AccessToken2 stand-in, valid for LIFETIME: "007" + standard base64 of JSON { exp }
 * (the stand-in reads the expiry from it, Agora's server from the real layout). The endpoint sends
 * it in the base64url alphabet, as the source requires, with its expiry as `expiresIn`; `token` is
 * what Agora must receive.
 */
const agoraCase = (serial: number) => {
  const exp = Math.floor(Date.now() / 1000) + LIFETIME;
  const token = `007${btoa(JSON.stringify({ exp, serial, filler: '~~?' }))}`;
  const sent = token.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return { token, reply: { json: { token: sent, expiresIn: LIFETIME } } };
};

const VENDORS: VendorCase[] = [
  {
    name: 'dgChat',
    standIn: 'dg-chat',
    firstBy: 'config',
    issue: jwsCase,
    create: (tokens, scriptUrl) => dgChat({ tokens, widgetId: 'w-1', env: 'eu', scriptUrl }),
    loadsScript: true,
  },
  {
    name: 'viaSocket (runtime API)',
    standIn: 'via-socket',
    firstBy: 'mount',
    issue: jwsCase,
    create: (tokens, scriptUrl) => viaSocket({ tokens, scriptUrl, config: { type: 'all_space' } }),
    loadsScript: true,
  },
  {
    name: 'viaSocket (tag only)',
    standIn: 'via-socket',
    firstBy: 'tag',
    issue: jwsCase,
    create: (tokens, scriptUrl) =>
      viaSocket({
        tokens,
        scriptUrl: `${scriptUrl}${scriptUrl.includes('?') ? '&' : '?'}runtime=0`,
      }),
    loadsScript: true,
  },
  {
    name: 'iAdvize',
    standIn: 'iadvize',
    firstBy: 'provider',
    issue: (serial) => {
      const token = makeJwe().replace('dGFn', `dGFn${serial}`);
      return { token, reply: { json: { token, expiresIn: LIFETIME } } };
    },
    create: (tokens, scriptUrl) => iAdvize({ tokens, sid: 1234, scriptUrl }),
    async pull() {
      const sdk = (window as unknown as { iAdvize: { _provider(): Promise<unknown> } }).iAdvize;
      const answer = (await sdk._provider()) as { authenticationOption: { token: string } };
      standIn('iadvize')!.tokens.push({
        token: answer.authenticationOption.token,
        at: Date.now(),
        how: 'provider',
      });
    },
    loadsScript: true,
  },
  {
    name: 'videoSdk',
    standIn: 'video-sdk',
    firstBy: 'config',
    issue: jwsCase,
    create: (tokens, scriptUrl) => videoSdk({ tokens, scriptUrl }),
    loadsScript: true,
  },
  {
    name: 'engagespot (browser build)',
    standIn: 'engagespot',
    firstBy: 'render',
    issue: jwsCase,
    create: (tokens, scriptUrl) => {
      const bell = document.createElement('div');
      bell.id = 'bell';
      document.body.append(bell);
      return engagespot({ tokens, apiKey: 'key-1', userId: 'user-1', target: '#bell', scriptUrl });
    },
    loadsScript: true,
  },
  {
    name: 'streamChat',
    standIn: 'stream-chat',
    firstBy: 'provider',
    issue: jwsCase,
    create: (tokens) =>
      streamChat({
        tokens,
        user: { id: 'user-1' },
        client: async () => {
          const StreamChat = await standInSdk<new (key: string) => never>(
            'stream-chat',
            '__standInStreamChat',
          );
          return new StreamChat('key-1');
        },
      }),
    loadsScript: false,
  },
  {
    name: 'knock',
    standIn: 'knock',
    firstBy: 'authenticate',
    issue: jwsCase,
    create: (tokens) =>
      knock({
        tokens,
        user: 'user-1',
        knock: async () => {
          const Knock = await standInSdk<new (key: string) => never>('knock', '__standInKnock');
          return new Knock('pk_test_1');
        },
      }),
    loadsScript: false,
  },
  {
    name: 'intercom',
    standIn: 'intercom',
    firstBy: 'boot',
    issue: claimsCase({ user_id: 'user-1' }),
    create: (tokens, scriptUrl) => intercom({ tokens, appId: 'abc123', scriptUrl }),
    loadsScript: true,
  },
  {
    name: 'zendesk',
    standIn: 'zendesk',
    firstBy: 'loginUser',
    issue: claimsCase(
      { external_id: 'user-1', scope: 'user' },
      { alg: 'HS256', typ: 'JWT', kid: 'app_1' },
    ),
    create: (tokens, scriptUrl) => zendesk({ tokens, key: 'key-1', scriptUrl }),
    // Zendesk pulls: act as the SDK asking for a fresh JWT.
    async pull() {
      (window as unknown as { zE: { __ask(): void } }).zE.__ask();
      await Promise.resolve();
    },
    loadsScript: true,
  },
  {
    name: 'twilioConversations',
    standIn: 'twilio-conversations',
    firstBy: 'constructor',
    issue: claimsCase(
      { grants: { identity: 'user-1', chat: { service_sid: 'IS1' } }, sub: 'AC1', iss: 'SK1' },
      { alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' },
    ),
    create: (tokens) =>
      twilioConversations({
        tokens,
        createClient: async (token) => {
          const { Client } = await standInSdk<{ Client: new (token: string) => never }>(
            'twilio-conversations',
            '__standInTwilioConversations',
          );
          return new Client(token);
        },
      }),
    loadsScript: false,
  },
  {
    name: 'agora',
    standIn: 'agora',
    firstBy: 'join',
    issue: agoraCase,
    create: (tokens) =>
      agora({
        tokens,
        appId: 'app-1',
        channel: 'channel-1',
        client: async () => {
          const AgoraRTC = await standInSdk<{ createClient(): never }>('agora', '__standInAgora');
          return AgoraRTC.createClient();
        },
      }),
    loadsScript: false,
  },
];

/** What the page holds that a widget could leave behind. */
function pageSnapshot() {
  return {
    scripts: [...document.scripts]
      .map((script) => script.src)
      .filter((src) => src.includes('/stand-ins/')),
    links: [...document.querySelectorAll('link')].map((link) => `${link.rel} ${link.href}`),
    globals: Object.keys(window).filter((key) => !key.startsWith('__standIn')),
    body: document.body.children.length,
  };
}

for (const vendor of VENDORS) {
  describe(`the ${vendor.name} adapter`, () => {
    let clock: sinon.SinonFakeTimers;
    let backend: FakeBackend;
    let tokens: TokenSource;
    let widget: WidgetHandle | undefined;
    let issued: { token: string; at: number }[];
    let refuse: (serial: number) => boolean;
    let before: ReturnType<typeof pageSnapshot>;
    const scriptUrl = `${STAND_INS}/${vendor.standIn}.js`;

    beforeEach(() => {
      delete (window as unknown as { __standIns?: unknown }).__standIns;
      clock = sinon.useFakeTimers({
        now: NOW,
        shouldAdvanceTime: true,
        toFake: ['setTimeout', 'clearTimeout', 'Date'],
      });
      issued = [];
      refuse = () => false;
      backend = fakeBackend((_request, serial) => {
        if (refuse(serial)) return { json: { token: `refused token <script>${serial}` } };
        const { token, reply } = vendor.issue(serial);
        issued.push({ token, at: Date.now() });
        return reply;
      });
      tokens = createTokenSource({ url: '/token', retry: { attempts: 1 } });
      before = pageSnapshot();
    });

    afterEach(async () => {
      await widget?.destroy();
      widget = undefined;
      tokens.stop();
      backend.restore();
      clock.restore();
      document.getElementById('bell')?.remove();
      if (!vendor.loadsScript)
        document.querySelector(`script[src$="/stand-ins/${vendor.standIn}.js"]`)?.remove();
    });

    /** Advances the clock a second at a time, letting deliveries and script loads run. */
    async function advance(seconds: number) {
      for (let second = 0; second < seconds; second++) {
        await clock.tickAsync(1000);
        if (
          vendor.pull &&
          !widget?.destroyed &&
          issued.length > new Set(standIn(vendor.standIn)!.tokens.map((r) => r.token)).size
        ) {
          await vendor.pull();
        }
      }
    }

    it('gets its first token before its first use', async () => {
      widget = vendor.create(tokens, scriptUrl);
      await widget.ready;
      const [first] = standIn(vendor.standIn)!.tokens;
      expect(first!.token).to.equal(issued[0]!.token);
      expect(first!.how).to.equal(vendor.firstBy);
    });

    it('gets each new token before the old one expires, in order', async () => {
      const delivered = sinon.spy();
      widget = vendor.create(tokens, scriptUrl);
      widget.on('delivered', delivered);
      await widget.ready;
      // Fake time moves on only once no refresh is under way and the widget holds every token
      // issued so far. A refresh waits for the browser's real work (the cross-tab Web Lock, about
      // 5× slower in WebKit; a script re-injected; an SDK pulling): fake seconds must not race by
      // meanwhile, however loaded the machine or slow the engine.
      const next = (on: (listener: () => void) => () => void) =>
        new Promise<void>((resolve) => {
          const off = on(() => (off(), resolve()));
        });
      const allDelivered = async () => {
        for (let pulls = 0; ;) {
          if (tokens.phase === 'fetching') await next((l) => tokens.on('phase', l));
          else if (delivered.callCount >= issued.length) return;
          else if (!vendor.pull) await next((l) => widget!.on('delivered', l));
          else if (pulls++ < 10) await vendor.pull();
          else throw new Error(`${issued.length} tokens issued, ${delivered.callCount} delivered`);
        }
      };
      for (let second = 0; second < 3 * LIFETIME; second++) {
        await clock.tickAsync(1000);
        await allDelivered();
      }
      const received = standIn(vendor.standIn)!.tokens;
      const distinct = received.filter(
        (entry, i) => i === 0 || entry.token !== received[i - 1]!.token,
      );
      expect(distinct.map((entry) => entry.token)).to.deep.equal(
        issued.map((entry) => entry.token),
      );
      expect(issued.length).to.be.at.least(4);
      for (let i = 1; i < distinct.length; i++) {
        const previousExpiry = issued[i - 1]!.at + LIFETIME * 1000;
        expect(distinct[i]!.at, `token ${i} arrived before token ${i - 1} expired`).to.be.below(
          previousExpiry,
        );
      }
      expect(delivered.callCount).to.equal(issued.length);
    });

    it('never receives a token the backend refuses', async () => {
      refuse = (serial) => serial === 2;
      widget = vendor.create(tokens, scriptUrl);
      await widget.ready;
      await advance(2 * LIFETIME);
      const received = standIn(vendor.standIn)!.tokens.map((entry) => entry.token);
      expect(backend.requests.length).to.be.at.least(3);
      expect(received.some((token) => token.includes('refused'))).to.equal(false);
      expect(received.at(-1)).to.equal(issued.at(-1)!.token);
    });

    it('leaves nothing behind after destroy() and takes no more tokens', async () => {
      widget = vendor.create(tokens, scriptUrl);
      await widget.ready;
      await widget.destroy();
      // What the host itself added (Engagespot's mount point, an npm SDK's stand-in) is the host's
      // to remove; the mount point must be empty again.
      expect(document.getElementById('bell')?.children.length ?? 0).to.equal(0);
      document.getElementById('bell')?.remove();
      document.querySelector(`script[src$="/stand-ins/${vendor.standIn}.js"]`)?.remove();
      expect(pageSnapshot()).to.deep.equal(before);
      const count = standIn(vendor.standIn)!.tokens.length;
      await advance(2 * LIFETIME);
      expect(standIn(vendor.standIn)!.tokens.length).to.equal(count);
      expect(widget.destroyed).to.equal(true);
    });

    it('rejects ready with a WidgetDestroyedError when destroyed while starting', async () => {
      widget = vendor.create(tokens, scriptUrl);
      const ready = widget.ready.catch((error: unknown) => error);
      await widget.destroy();
      expect(isWidgetTokenError(await ready, 'destroyed')).to.equal(true);
      expect(pageSnapshot().scripts).to.deep.equal(before.scripts);
    });

    if (vendor.loadsScript) {
      for (const failure of ['404', 'hang'] as const) {
        it(`gives a typed error naming the URL when the script ${failure === '404' ? '404s' : 'hangs'}, and a later retry succeeds`, async () => {
          const key = `${vendor.standIn}-${failure}-${Math.random().toString(36).slice(2)}`;
          const flakyUrl = `${STAND_INS}/flaky/${key}/${vendor.standIn}.js?fail=${failure}`;
          widget = vendor.create(tokens, flakyUrl);
          const failed = widget.ready.catch((error: unknown) => error);
          if (failure === 'hang') {
            // Jump past the 15 s load timeout once the tag is in (after the token arrived).
            while (![...document.scripts].some((script) => script.src.includes(key))) {
              await clock.tickAsync(10);
            }
            await clock.tickAsync(16_000);
          }
          const error = (await failed) as ScriptLoadError;
          expect(isWidgetTokenError(error, 'script_failed'), String(error)).to.equal(true);
          expect(error.reason).to.equal(failure === '404' ? 'network' : 'timeout');
          expect(error.url).to.contain(`/stand-ins/flaky/${key}/`);
          expect(error.message).to.contain(`/stand-ins/flaky/${key}/`);
          expect(pageSnapshot().scripts, 'the dead tag is removed').to.deep.equal(before.scripts);
          await widget.destroy();

          widget = vendor.create(tokens, flakyUrl);
          await widget.ready;
          expect(standIn(vendor.standIn)!.tokens.at(-1)!.token).to.equal(tokens.token);
        });
      }
    }
  });
}
