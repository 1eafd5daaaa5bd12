import { ConfigurationError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';
import { createWidget, type WidgetHandle } from './create-widget.js';

/** The part of a `@twilio/conversations` 3 `Client` the adapter uses. */
export interface TwilioConversationsLike {
  updateToken(token: string): Promise<unknown>;
  shutdown(): Promise<void>;
  on(event: 'tokenAboutToExpire' | 'tokenExpired', listener: () => void): unknown;
  removeListener(event: 'tokenAboutToExpire' | 'tokenExpired', listener: () => void): unknown;
}

/** Options of {@link twilioConversations}. */
export interface TwilioConversationsOptions {
  tokens: TokenSource;
  /**
   * Creates the host's client from the first Access Token: `(token) => new Client(token)`, or
   * `async (token) => new (await import('@twilio/conversations')).Client(token)` to code-split it.
   * The adapter never bundles the SDK.
   */
  createClient: (token: string) => TwilioConversationsLike | Promise<TwilioConversationsLike>;
}

const TOKEN_EVENTS = ['tokenAboutToExpire', 'tokenExpired'] as const;

/**
 * Twilio Conversations (`@twilio/conversations` 3). Creates the client with the first Access
 * Token, then calls `client.updateToken(token)` with every new one before the old one expires.
 * Twilio's `tokenAboutToExpire` is pushed by Twilio's server (a `token_about_to_expire` message;
 * the SDK has no timer of its own), in the token's final minutes (Twilio's Chat docs: "in its final
 * three minutes"), so the adapter does not wait for it. It and `tokenExpired` (also during an
 * outage or a sleep) hand the client back to the widget layer, which updates it with the source's
 * newer token, now or as soon as the backend answers again. `ready` resolves once the client is
 * created (it initialises by itself). `logout()` and `destroy()` call `client.shutdown()`.
 *
 * @example
 * import { Client } from '@twilio/conversations';
 * const tokens = createTokenSource({ url: '/api/twilio-token' });
 * const chat = twilioConversations({ tokens, createClient: (token) => new Client(token) });
 * await chat.ready;
 */
export function twilioConversations(options: TwilioConversationsOptions): WidgetHandle {
  const { tokens, createClient } = options;
  if (typeof createClient !== 'function') {
    throw new ConfigurationError(
      `twilioConversations() needs \`createClient\`: a function (token) => new Client(token); received ${createClient === null ? 'null' : typeof createClient}.`,
    );
  }
  let client: TwilioConversationsLike | undefined;

  return createWidget({
    name: 'twilio-conversations',
    tokens,
    async start(context) {
      const created = await createClient(await context.token());
      // Registered at once: if the widget was destroyed meanwhile, this shuts the client down now.
      context.cleanup(() => created.shutdown());
      context.throwIfDestroyed();
      client = created;
      // Twilio's own signals: the layer hands over the source's token if the client does not
      // hold it yet (never the same token again, which would only bring the warning back).
      const lost = () => context.sessionLost();
      for (const event of TOKEN_EVENTS) created.on(event, lost);
      context.cleanup(() => {
        for (const event of TOKEN_EVENTS) created.removeListener(event, lost);
      });
    },
    async deliver(token) {
      await client?.updateToken(token);
    },
    // No logout step: the clean-up's shutdown() already ends the session.
  });
}
