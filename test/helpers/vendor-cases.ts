// The eleven adapters as the shared suites drive them: how each one's backend issues a token, how
// the widget is created against its stand-in, what the vendor session holds now, and the events a
// vendor may send on its own. A twelfth adapter added here gets the shared adapter suite
// (adapters.test.ts) and the widget model (test/model/widgets.model.test.ts) for free.
import {
  agora,
  dgChat,
  engagespot,
  iAdvize,
  intercom,
  knock,
  streamChat,
  twilioConversations,
  videoSdk,
  viaSocket,
  zendesk,
  type TokenSource,
  type WidgetHandle,
} from '../../src/index.js';
import type { Reply } from './fake-backend.js';
import { freshJwt, makeJwe, makeJwt } from './jwt.js';
import { standIn, standInSdk } from './stand-ins.js';

export const LIFETIME = 60;

export interface VendorCase {
  name: string;
  standIn: string;
  /** How the first token reaches the stand-in. */
  firstBy: string;
  /** A token the backend issues: a JWS, or for iAdvize a JWE whose expiry comes from the response. */
  issue(serial: number, lifetime?: number): { token: string; reply: Reply };
  /**
   * The token the vendor session holds now, as the stand-in sees it (undefined: no session). The
   * default is the last token the stand-in received.
   */
  held?(): string | undefined;
  /**
   * For a vendor whose SDK asks for a token at any time (iAdvize): let it ask, before reading what
   * it holds. Not for Zendesk, which asks only when its JWT expires, and never again if unanswered.
   */
  asksWhenever?(): Promise<void>;
  /** Events the vendor may send on its own (a session dropped, an early warning, a pull). */
  vendorEvents?: Record<string, () => unknown>;
  /** The shortest lifetime the vendor takes (Intercom: 20 updates in 30 minutes). */
  minLifetime?: number;
  create(tokens: TokenSource, scriptUrl: string): WidgetHandle;
  /** For widgets that pull tokens: act as the vendor SDK asking for one. */
  pull?(): Promise<void>;
  /** False where the host, not the adapter, loads the vendor's code. */
  loadsScript: boolean;
}

const jwsCase = (serial: number, lifetime = LIFETIME) => {
  const token = freshJwt(lifetime, Date.now() / 1000).replace('c2lnbmF0dXJl', `sig${serial}`);
  return { token, reply: { json: { token } } };
};

/** A JWS with the claims a vendor requires (Intercom's `user_id`, …), valid for LIFETIME. */
const claimsCase =
  (claims: Record<string, unknown>, header?: Record<string, unknown>) =>
  (serial: number, lifetime = LIFETIME) => {
    const iat = Math.floor(Date.now() / 1000);
    const token = makeJwt({ ...claims, iat, exp: iat + lifetime }, header).replace(
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
const agoraCase = (serial: number, lifetime = LIFETIME) => {
  const exp = Math.floor(Date.now() / 1000) + lifetime;
  const token = `007${btoa(JSON.stringify({ exp, serial, filler: '~~?' }))}`;
  const sent = token.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  return { token, reply: { json: { token: sent, expiresIn: lifetime } } };
};

/** The last token the stand-in for `vendor` received. */
export const lastToken = (vendor: string) => standIn(vendor)?.tokens.at(-1)?.token;

// The npm SDK clients the host created last (stand-ins), for `held` and `vendorEvents`.
interface StandInClient {
  token?: string;
  down?: boolean;
  connectionState?: string;
  emit(event: string): void;
  __drop(): void;
  queryChannels(): Promise<unknown>;
}
const clients: Record<string, StandInClient | undefined> = {};

export const VENDORS: VendorCase[] = [
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
    issue: (serial, lifetime = LIFETIME) => {
      const token = makeJwe().replace('dGFn', `dGFn${serial}`);
      return { token, reply: { json: { token, expiresIn: lifetime } } };
    },
    asksWhenever: () => VENDORS.find((vendor) => vendor.standIn === 'iadvize')!.pull!(),
    vendorEvents: {
      // The SDK asks its provider whenever it wants.
      ask: () => VENDORS.find((vendor) => vendor.standIn === 'iadvize')!.pull!(),
    },
    held: () =>
      (standIn('iadvize') as { session?: { state: string } } | undefined)?.session?.state ===
      'active'
        ? lastToken('iadvize')
        : undefined,
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
    // The inbox holds the token of its open realtime connection.
    held: () => {
      const connections = (
        standIn('engagespot') as { connections?: { token: string; open: boolean }[] }
      )?.connections;
      const last = connections?.at(-1);
      return last?.open ? last.token : undefined;
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
          return (clients.stream = new StreamChat('key-1'));
        },
      }),
    vendorEvents: {
      // A request with an expired token: error 40, and the SDK asks its provider again.
      request: () => clients.stream?.queryChannels().catch(() => {}),
    },
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
    // 20 updates in 30 minutes, one a token: a refresh at most every 90 s, 70 % into the lifetime.
    minLifetime: 130,
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
    held: () => {
      const zE = (window as unknown as { zE?: { __session?(): { loggedIn: boolean } } }).zE;
      return zE?.__session?.().loggedIn ? lastToken('zendesk') : undefined;
    },
    vendorEvents: {
      ask: () => (window as unknown as { zE?: { __ask?(): void } }).zE?.__ask?.(),
    },
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
          return (clients.twilio = new Client(token));
        },
      }),
    held: () => (clients.twilio && !clients.twilio.down ? clients.twilio.token : undefined),
    vendorEvents: {
      aboutToExpire: () => clients.twilio?.emit('tokenAboutToExpire'),
      expired: () => clients.twilio?.emit('tokenExpired'),
    },
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
          return (clients.agora = AgoraRTC.createClient());
        },
      }),
    held: () => (clients.agora?.connectionState === 'CONNECTED' ? clients.agora.token : undefined),
    vendorEvents: {
      willExpire: () => clients.agora?.emit('token-privilege-will-expire'),
      // Agora's gateway ends the session (as at expiry), whatever the token says.
      drop: () => clients.agora?.__drop(),
    },
    loadsScript: false,
  },
];
