import { ConfigurationError, WidgetError, isWidgetTokenError } from '../errors.js';
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
 * Twilio's own `tokenAboutToExpire` comes about a minute before expiry and never for tokens that
 * live under 60 s, so the adapter does not wait for it; it and `tokenExpired` stay as a fallback,
 * answered from the source. `ready` resolves once the client is created (it initialises by
 * itself). `logout()` and `destroy()` call `client.shutdown()`.
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
      // Twilio's own warning, late or missing under 60 s: answered from the source anyway.
      const fallback = () => {
        context
          .token()
          // A newer token the adapter delivered meanwhile must not be overwritten by this one.
          .then((token) => (token === tokens.token ? created.updateToken(token) : undefined))
          .catch((error: unknown) => {
            // Reported like a failed delivery: as the widget's `error` event. A failed fetch
            // (the source's own error, e.g. the backend down) is not Twilio refusing a token.
            if (isWidgetTokenError(error)) return context.emit('error', { error });
            const message = error instanceof Error ? error.message : String(error);
            context.emit('error', {
              error: new WidgetError(`Twilio refused the token: ${message}`, undefined, {
                cause: error,
              }),
            });
          });
      };
      for (const event of TOKEN_EVENTS) created.on(event, fallback);
      context.cleanup(() => {
        for (const event of TOKEN_EVENTS) created.removeListener(event, fallback);
      });
    },
    async deliver(token) {
      await client?.updateToken(token);
    },
    // No logout step: the clean-up's shutdown() already ends the session.
  });
}
