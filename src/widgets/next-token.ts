import { StoppedError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';

/**
 * A token valid now; after a failed request, the source's next token (once the backend answers
 * again, or after `refresh()` ends a block). For vendors that pull a token through a callback they
 * call once and never again if it is not answered (Zendesk): late beats never. A current token
 * with less than `minValidity` ms left is not answered either: the caller waits for the next one
 * (a vendor asking because its JWT is expiring must not get that same JWT back). Rejects only when
 * the source stops or `signal` aborts.
 */
export async function nextToken(
  tokens: TokenSource,
  signal?: AbortSignal,
  minValidity = 0,
): Promise<string> {
  try {
    const token = await tokens.getToken();
    if (!expiresWithin(tokens, token, minValidity)) return token;
  } catch (error) {
    if (tokens.stopped || signal?.aborted) throw error;
  }
  return new Promise<string>((resolve, reject) => {
    const settle = (settleWith: () => void) => {
      offToken();
      offStopped();
      signal?.removeEventListener('abort', onAbort);
      settleWith();
    };
    const onAbort = () => settle(() => reject(signal!.reason));
    const offToken = tokens.on('token', ({ token }) => settle(() => resolve(token)));
    const offStopped = tokens.on('stopped', () => settle(() => reject(new StoppedError())));
    signal?.addEventListener('abort', onAbort);
  });
}

function expiresWithin(tokens: TokenSource, token: string, ms: number): boolean {
  const { expiresAt } = tokens;
  return ms > 0 && tokens.token === token && expiresAt !== undefined && expiresAt - Date.now() < ms;
}
