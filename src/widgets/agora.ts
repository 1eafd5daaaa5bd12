import {
  ConfigurationError,
  describe,
  WidgetError,
  isWidgetTokenError,
  type WidgetTokenError,
} from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';
import {
  createWidget,
  type WidgetContext,
  type WidgetEvents,
  type WidgetHandle,
} from './create-widget.js';
import { checkHostSdk, resolveHostSdk, type HostSdk } from './host-sdk.js';

/** An Agora user id: an integer from 0 to 2³²−1, or a string (user account). */
export type AgoraUid = number | string;

type AgoraTokenEvent = 'token-privilege-will-expire' | 'token-privilege-did-expire';

/** The part of an `agora-rtc-sdk-ng` 4 `IAgoraRTCClient` the adapter uses. */
export interface AgoraClientLike {
  join(appId: string, channel: string, token: string, uid?: AgoraUid | null): Promise<AgoraUid>;
  renewToken(token: string): Promise<unknown>;
  leave(): Promise<unknown>;
  /** Agora's own view of the session; read before a rejoin, when present. */
  readonly connectionState?: string;
  on(event: AgoraTokenEvent, listener: () => void): unknown;
  off(event: AgoraTokenEvent, listener: () => void): unknown;
}

/** Options of {@link agora}. */
export interface AgoraOptions {
  tokens: TokenSource;
  /**
   * The host's client, `AgoraRTC.createClient({ mode, codec })`, not joined yet; or a function
   * that creates it (`() => import('agora-rtc-sdk-ng').then(…)`).
   */
  client: HostSdk<AgoraClientLike>;
  /** The Agora project's App ID, the one the tokens are built for. */
  appId: string;
  /** The channel to join; the tokens must be built for it. */
  channel: string;
  /**
   * The user id the tokens are built for. Omitted: Agora assigns one (tokens built for uid 0), and
   * the adapter rejoins with that same id after a dropped session.
   */
  uid?: AgoraUid;
}

/** Events of the {@link agora} handle. */
export interface AgoraEvents extends WidgetEvents {
  /**
   * The session dropped (`token-privilege-did-expire`) and the adapter joined the channel again:
   * tracks published before are no longer published; publish them again.
   */
  rejoined: { uid: AgoraUid };
}

const TOKEN_EVENTS: readonly AgoraTokenEvent[] = [
  'token-privilege-will-expire',
  'token-privilege-did-expire',
];

/**
 * The AccessToken2 Agora expects, from the token the source holds: "007" and standard base64, as
 * Agora issues it, or the same in the base64url alphabet (a backend that prefers URL-safe tokens),
 * which this restores. Throws for anything that is not "007" and base64: such a token never
 * reaches Agora.
 */
export function toAgoraToken(token: string): string {
  const body = token.slice(3).replace(/-/g, '+').replace(/_/g, '/').replace(/=+$/, '');
  if (!token.startsWith('007') || !/^[A-Za-z0-9+/]+$/.test(body) || body.length % 4 === 1) {
    throw new WidgetError(
      'The token is not an Agora AccessToken2: expected "007" followed by base64; not handed to Agora.',
    );
  }
  return `007${body}${'='.repeat((4 - (body.length % 4)) % 4)}`;
}

/** Agora's error (an AgoraRTCError with a `code`) as the adapter's WidgetError. */
function refusal(what: string, error: unknown): WidgetTokenError {
  if (isWidgetTokenError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  return new WidgetError(`Agora refused ${what}: ${message}`, code as string | undefined, {
    cause: error,
  });
}

/**
 * Agora RTC (`agora-rtc-sdk-ng` 4). Joins the host's client to `channel` with the first token, then
 * calls `client.renewToken(token)` with every new one before the old one expires. Agora's own
 * `token-privilege-will-expire` comes 30 s before expiry and only once per session, so the adapter
 * does not wait for it; it stays as a fallback. When the session dropped
 * (`token-privilege-did-expire`, also during an outage or a sleep) the next valid token joins the
 * channel again instead of going to `renewToken`, which Agora refuses outside a channel, and the
 * handle emits `rejoined`. Vendor refusals are `error` events. `logout()` and `destroy()` call
 * `client.leave()` and remove the adapter's listeners.
 *
 * Tokens are opaque AccessToken2 strings: the endpoint answers `{ token, expiresIn }` (seconds),
 * with the token in the base64url alphabet (see {@link toAgoraToken}).
 *
 * @example
 * import AgoraRTC from 'agora-rtc-sdk-ng';
 * const tokens = createTokenSource({ url: '/api/agora-token' });
 * const call = agora({
 *   tokens,
 *   client: AgoraRTC.createClient({ mode: 'rtc', codec: 'vp8' }),
 *   appId: 'your-app-id',
 *   channel: 'support-42',
 * });
 * await call.ready; // joined: publish tracks now
 */
export function agora(options: AgoraOptions): WidgetHandle<AgoraEvents> {
  const { tokens, appId, channel, uid } = options;
  checkHostSdk(options.client, 'agora', 'client', 'an AgoraRTC client');
  if (typeof appId !== 'string' || !appId) {
    throw new ConfigurationError(
      `agora() needs \`appId\`: the Agora project's App ID (a string); received ${describe(appId)}.`,
    );
  }
  if (typeof channel !== 'string' || !channel) {
    throw new ConfigurationError(
      `agora() needs \`channel\`: the channel name (a string); received ${describe(channel)}.`,
    );
  }
  const validUid =
    uid === undefined ||
    (typeof uid === 'number' && Number.isInteger(uid) && uid >= 0 && uid < 2 ** 32) ||
    (typeof uid === 'string' && uid.length > 0 && uid.length <= 255);
  if (!validUid) {
    throw new ConfigurationError(
      `agora(): \`uid\` must be an integer from 0 to 2^32−1 or a string of 1 to 255 characters, received ${describe(uid)}.`,
    );
  }
  let client: AgoraClientLike | undefined;
  // The AccessToken2 the session holds, and whether there is a session: a token goes to
  // renewToken only while in the channel; after a drop, Agora refuses it ("not in a channel").
  let held: string | undefined;
  let inChannel = false;
  let joinedAs: AgoraUid | null = uid ?? null;

  /** Gives the session `token`: renewed while in the channel, else joined again. */
  async function hold(token: string, context: WidgetContext<AgoraEvents>) {
    const next = toAgoraToken(token);
    if (client?.connectionState !== undefined) inChannel = client.connectionState === 'CONNECTED';
    if (inChannel) {
      if (next === held) return;
      try {
        await client!.renewToken(next);
      } catch (error) {
        throw refusal('the renewed token', error);
      }
    } else {
      try {
        joinedAs = await client!.join(appId, channel, next, joinedAs);
      } catch (error) {
        throw refusal('to join the channel again', error);
      }
      inChannel = true;
      context.emit('rejoined', { uid: joinedAs });
    }
    held = next;
  }

  return createWidget<AgoraEvents>({
    name: 'agora',
    tokens,
    events: ['rejoined'],
    async start(context) {
      const first = context.token();
      first.catch(() => {}); // awaited below; a failed import must not leave it unhandled
      const joined = await resolveHostSdk(options.client);
      context.throwIfDestroyed();
      const token = toAgoraToken(await first);
      context.throwIfDestroyed();
      client = joined;
      // Registered before joining: a destroy during join still leaves the channel.
      context.cleanup(() => joined.leave());
      // Agora's warning (once per session, so the adapter renews at the source's margin
      // instead) and the dropped session both hand the session back to the widget layer: it
      // renews or rejoins with a valid token, now or once the backend answers again.
      const willExpire = () => context.sessionLost();
      const didExpire = () => {
        inChannel = false;
        context.sessionLost();
      };
      const listeners: Record<AgoraTokenEvent, () => void> = {
        'token-privilege-will-expire': willExpire,
        'token-privilege-did-expire': didExpire,
      };
      for (const event of TOKEN_EVENTS) joined.on(event, listeners[event]);
      context.cleanup(() => {
        for (const event of TOKEN_EVENTS) joined.off(event, listeners[event]);
      });
      joinedAs = await joined.join(appId, channel, token, joinedAs);
      held = token;
      inChannel = true;
      context.throwIfDestroyed();
    },
    deliver: hold,
    // After a drop or a refusal, the same: renew if the session is there, else rejoin.
    recover: hold,
    // No logout step: the clean-up's leave() already ends the Agora session.
  });
}
