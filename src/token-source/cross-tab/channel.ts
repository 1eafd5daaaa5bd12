// The cross-tab channel: tokens travel between same-origin tabs on a BroadcastChannel only, never
// through storage. It broadcasts, and asks the other tabs for theirs. No ordering is needed here:
// the next lock holder learns from the markers that a newer token exists, and asks for it.
import { assertTokenShape } from '../read-token.js';
import type { SharedToken } from '../transition.js';

type Message = { type: 'token'; token: SharedToken } | { type: 'request' } | { type: 'logout' };

export interface ChannelHandlers {
  /** A token another tab fetched, or shared on request (its shape already checked). */
  receive(token: SharedToken): void;
  /** The valid token this tab can give to a tab that asks, if any. */
  share(): SharedToken | undefined;
  /** Another tab logged out. */
  logout(): void;
}

export interface Channel {
  /** Sends `token` to every other tab. */
  publish(token: SharedToken): void;
  /**
   * Asks the other tabs for their token; resolves when a `wanted` one arrives (an older token
   * answering an earlier question is not), after `wait` ms, or on abort.
   */
  ask(signal: AbortSignal, wait: number, wanted: (token: SharedToken) => boolean): Promise<void>;
  broadcastLogout(): void;
  close(): void;
}

function isSharedToken(value: unknown): value is SharedToken {
  const token = value as SharedToken | undefined;
  try {
    assertTokenShape(token?.token);
  } catch {
    return false; // Same origin only, but still never pass on something that is not a token.
  }
  return typeof token!.fetchedAt === 'number';
}

export function createChannel(name: string, handlers: ChannelHandlers): Channel {
  const channel = new BroadcastChannel(name);
  let answered: ((token?: SharedToken) => void) | undefined;
  channel.onmessage = ({ data }: MessageEvent<Message>) => {
    if (data?.type === 'token' && isSharedToken(data.token)) {
      handlers.receive(data.token);
      answered?.(data.token);
    } else if (data?.type === 'request') {
      const token = handlers.share();
      if (token) channel.postMessage({ type: 'token', token } satisfies Message);
    } else if (data?.type === 'logout') {
      handlers.logout();
    }
  };

  return {
    publish(token) {
      channel.postMessage({ type: 'token', token } satisfies Message);
    },
    ask(signal, wait, wanted) {
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          answered = undefined;
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, wait);
        answered = (token) => (token && !wanted(token) ? undefined : done());
        signal.addEventListener('abort', done, { once: true });
        channel.postMessage({ type: 'request' } satisfies Message);
      });
    },
    broadcastLogout() {
      channel.postMessage({ type: 'logout' } satisfies Message);
    },
    close() {
      answered?.();
      channel.close();
    },
  };
}
