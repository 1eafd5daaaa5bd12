// The cross-tab channel: tokens travel between same-origin tabs on a BroadcastChannel only, never
// through storage. It broadcasts, hears its own broadcasts come back (so the lock is let go only
// once every tab has been sent the token), and asks the other tabs for theirs.
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
  /** Sends `token` to every tab; resolves once it has come back, i.e. been dispatched to all. */
  publish(token: SharedToken): Promise<void>;
  /** Asks the other tabs for their token; resolves when one arrives, after `wait` ms, or on abort. */
  ask(signal: AbortSignal, wait: number): Promise<void>;
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
  // A second endpoint in this tab hears what this tab sends.
  const echo = new BroadcastChannel(name);
  const heard = new Map<string, () => void>();
  let answered: (() => void) | undefined;
  echo.onmessage = ({ data }: MessageEvent<Message>) => {
    if (data?.type === 'token') heard.get(data.token?.token)?.();
  };
  channel.onmessage = ({ data }: MessageEvent<Message>) => {
    if (data?.type === 'token' && isSharedToken(data.token)) {
      handlers.receive(data.token);
      answered?.();
    } else if (data?.type === 'request') {
      const token = handlers.share();
      if (token) channel.postMessage({ type: 'token', token } satisfies Message);
    } else if (data?.type === 'logout') {
      handlers.logout();
    }
  };

  return {
    publish(token) {
      const back = new Promise<void>((resolve) => heard.set(token.token, resolve));
      channel.postMessage({ type: 'token', token } satisfies Message);
      return back.then(() => void heard.delete(token.token));
    },
    ask(signal, wait) {
      return new Promise<void>((resolve) => {
        const done = () => {
          clearTimeout(timer);
          answered = undefined;
          signal.removeEventListener('abort', done);
          resolve();
        };
        const timer = setTimeout(done, wait);
        answered = done;
        signal.addEventListener('abort', done, { once: true });
        channel.postMessage({ type: 'request' } satisfies Message);
      });
    },
    broadcastLogout() {
      channel.postMessage({ type: 'logout' } satisfies Message);
    },
    close() {
      for (const resolve of heard.values()) resolve();
      answered?.();
      channel.close();
      echo.close();
    },
  };
}
