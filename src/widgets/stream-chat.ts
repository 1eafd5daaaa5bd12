import { ConfigurationError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';
import { createWidget, type WidgetHandle } from './create-widget.js';
import { checkHostSdk, resolveHostSdk, type HostSdk } from './host-sdk.js';

/** The part of a `stream-chat` 9 `StreamChat` client the adapter uses. */
export interface StreamChatLike {
  connectUser(user: { id: string }, tokenProvider: () => Promise<string>): Promise<unknown>;
  disconnectUser(timeout?: number): Promise<void>;
  /** Public in stream-chat's typings; `loadToken()` asks the token provider again. */
  tokenManager?: { loadToken(): Promise<string> };
}

/** Options of {@link streamChat}. */
export interface StreamChatOptions {
  tokens: TokenSource;
  /**
   * The host's client, `new StreamChat(apiKey, { baseURL? })` (or `StreamChat.getInstance`), or a
   * function that creates it (`() => import('stream-chat').then(…)`). Not connected yet.
   */
  client: HostSdk<StreamChatLike>;
  /** The user to connect: `id` must equal the token's `user_id`; other fields go to Stream. */
  user: { id: string; [field: string]: unknown };
}

/**
 * A Stream token provider answered from the token source: the current token while it is fresh (no
 * request), else one request shared by every caller and every tab. Hand it to `connectUser` when
 * you connect the client yourself.
 *
 * @example
 * const client = new StreamChat(apiKey);
 * await client.connectUser({ id: 'ada' }, streamTokenProvider(tokens));
 */
export function streamTokenProvider(tokens: TokenSource): () => Promise<string> {
  return () => tokens.getToken();
}

/**
 * Stream Chat (`stream-chat` 9). Connects the host's client with a token provider answered from the
 * source, and hands it each new token before the old one expires: on its own the SDK asks the
 * provider only after the server refused a request with error 40 (TOKEN_EXPIRED), so the first call
 * after expiry fails and is retried. `tokenManager.loadToken()` makes the client ask the provider at
 * once; requests and any WebSocket reconnect then carry the new token. The open WebSocket is not
 * re-authenticated: Stream checks the token when the socket connects.
 * `destroy()` (and so `logout()`) calls `disconnectUser()`.
 *
 * @example
 * const tokens = createTokenSource({ url: '/api/stream-token' });
 * const chat = streamChat({ tokens, client: new StreamChat('api-key'), user: { id: 'ada' } });
 * await chat.ready;
 */
export function streamChat(options: StreamChatOptions): WidgetHandle {
  const { tokens, user } = options;
  checkHostSdk(options.client, 'streamChat', 'client', 'a StreamChat client');
  if (typeof user !== 'object' || user === null || typeof user.id !== 'string' || !user.id) {
    throw new ConfigurationError(
      `streamChat() needs \`user\` with a string \`id\` (the token's user_id); received ${JSON.stringify(user)}.`,
    );
  }
  let client: StreamChatLike | undefined;
  // The token being handed over by deliver(): the provider answers it rather than ask the source,
  // so that it is recorded as delivered once, by deliver.
  let handingOver: string | undefined;

  return createWidget({
    name: 'stream-chat',
    tokens,
    async start(context) {
      const token = context.token();
      token.catch(() => {}); // awaited through the provider; a failed import must not leave it unhandled
      client = await resolveHostSdk(options.client);
      context.throwIfDestroyed();
      const connected = client;
      context.cleanup(() => connected.disconnectUser());
      let first = true;
      await connected.connectUser(user, () => {
        if (handingOver !== undefined) return Promise.resolve(handingOver);
        if (first) {
          first = false;
          return token;
        }
        return context.token();
      });
      context.throwIfDestroyed();
    },
    async deliver(token) {
      // Without tokenManager (another client shape) the provider still answers the SDK's own call
      // after error 40; only the proactive hand-over is lost.
      if (!client?.tokenManager) return;
      handingOver = token;
      try {
        await client.tokenManager.loadToken();
      } finally {
        handingOver = undefined;
      }
    },
    // No logout step: the clean-up's disconnectUser() already ends the Stream session.
  });
}
