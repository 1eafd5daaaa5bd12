import { ConfigurationError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';

/** What LiveKit's `TokenSource.custom` function returns (`TokenSourceResponseObject`). */
export interface LiveKitTokenResponse {
  serverUrl: string;
  participantToken: string;
}

/**
 * A function for LiveKit's `TokenSource.custom(fn)` (`livekit-client` 2.x) answered from the token
 * source: the current token while it is fresh (no request), else one request shared by every
 * caller and every tab. LiveKit passes its fetch options (room, participant…); the host's endpoint
 * decides those, so they are ignored here. LiveKit caches the answer until the token is within 60 s
 * of its expiry and uses the token only to connect (a live session is refreshed by LiveKit's
 * server): give it tokens that live well over 60 s. A failed request rejects, and LiveKit's
 * `connect` gets the error.
 *
 * @example
 * import { Room, TokenSource } from 'livekit-client';
 * const tokens = createTokenSource({ url: '/api/livekit-token' });
 * const source = TokenSource.custom(liveKitTokenSource(tokens, 'wss://example.livekit.cloud'));
 */
export function liveKitTokenSource(
  tokens: TokenSource,
  serverUrl: string,
): () => Promise<LiveKitTokenResponse> {
  if (typeof serverUrl !== 'string' || !/^(wss?|https?):\/\//.test(serverUrl)) {
    throw new ConfigurationError(
      `liveKitTokenSource() needs \`serverUrl\`: the LiveKit server's wss:// URL; received ${typeof serverUrl === 'string' ? `"${serverUrl.slice(0, 40)}"` : typeof serverUrl}.`,
    );
  }
  return async () => ({ serverUrl, participantToken: await tokens.getToken() });
}
