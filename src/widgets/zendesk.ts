import { ConfigurationError, WidgetError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';
import {
  createWidget,
  withTimeout,
  type ScriptOptions,
  type WidgetHandle,
} from './create-widget.js';

/** The JWT callback of Zendesk's `zE('messenger', 'loginUser', jwtCallback, loginCallback)`. */
export type ZendeskJwtCallback = (callback: (jwt: string) => void) => void;

/** What Zendesk passes to the login callback: null on success, else a `LoginFailedError`. */
export interface ZendeskLoginError {
  type?: string;
  reason?: string;
  message?: string;
}

type ZendeskCommand = (namespace: string, command: string, ...args: unknown[]) => unknown;

/** Options of {@link zendesk}. */
export interface ZendeskOptions extends ScriptOptions {
  tokens: TokenSource;
  /** The key of the Web Widget (messaging) snippet, the `key` of its URL. */
  key: string;
  /**
   * The snippet. Loaded with `id="ze-snippet"`, as Zendesk's snippet expects.
   * @default `https://static.zdassets.com/ekr/snippet.js?key=${key}`
   */
  scriptUrl?: string;
  /**
   * Time allowed for the login once the snippet has loaded, in ms.
   * @default 30_000
   */
  readyTimeout?: number;
}

/**
 * A Zendesk messaging `jwtCallback` answered from the token source: the current token while it is
 * fresh (no request), else one request shared by every caller and every tab. Zendesk calls it at
 * login and again whenever it needs a fresh JWT. When no token can be had it does not call back
 * (Zendesk would reject an expired JWT anyway); the source reports the failure with its `error`
 * event.
 *
 * @example
 * zE('messenger', 'loginUser', zendeskJwtCallback(tokens));
 */
export function zendeskJwtCallback(tokens: TokenSource): ZendeskJwtCallback {
  return answerFrom(() => tokens.getToken());
}

function answerFrom(getToken: () => Promise<string>): ZendeskJwtCallback {
  return (callback) => {
    getToken().then(callback, () => {});
  };
}

/**
 * Zendesk messaging (Web Widget). Loads the snippet (with `id="ze-snippet"`) while the first token
 * is fetched, then logs the visitor in with `zE('messenger', 'loginUser', jwtCallback,
 * loginCallback)`; `ready` resolves when Zendesk reports the login, and rejects with its reason.
 * Zendesk pulls: it calls the JWT callback again whenever it needs a fresh JWT (only once the one
 * it holds is expiring), so the callback answers from the source, whose token is kept fresh ahead
 * of time: no request and no wait when Zendesk asks. `logout()` and `destroy()` call
 * `zE('messenger', 'logoutUser')`, then remove the snippet, `zE` and the widget's elements.
 *
 * @example
 * const tokens = createTokenSource({ url: '/api/zendesk-token' }); // HS256, kid, { external_id, scope: 'user', exp }
 * const messaging = zendesk({ tokens, key: 'a1b2c3d4-…' });
 * await messaging.ready;
 */
export function zendesk(options: ZendeskOptions): WidgetHandle {
  const { tokens, key } = options;
  if (typeof key !== 'string' || !/^[\w-]+$/.test(key)) {
    throw new ConfigurationError(
      `zendesk() needs \`key\`: the snippet key (letters, digits, dashes), received ${JSON.stringify(key)}.`,
    );
  }
  const timeout = options.readyTimeout ?? 30_000;
  if (!(Number.isFinite(timeout) && timeout > 0)) {
    throw new ConfigurationError(
      `zendesk(): \`readyTimeout\` must be a number of ms > 0, received ${String(options.readyTimeout)}.`,
    );
  }
  const scriptUrl = options.scriptUrl ?? `https://static.zdassets.com/ekr/snippet.js?key=${key}`;
  const page = window as unknown as { zE?: ZendeskCommand };
  let loginSent = false;

  return createWidget({
    name: 'zendesk',
    tokens,
    async start(context) {
      context.ownGlobals(['zE', 'zEACLoaded']);
      context.removeAddedNodes();
      // The snippet needs no token: fetch both at once.
      if (options.hints !== false) context.hint(scriptUrl, { preload: false, ...options.script });
      tokens.getToken().catch(() => {});
      await context.loadScript({
        url: scriptUrl,
        id: 'ze-snippet',
        isReady: () => typeof page.zE === 'function',
        ...options.script,
      });
      context.throwIfDestroyed();
      const zE = page.zE!;
      const login = new Promise<void>((resolve, reject) => {
        zE(
          'messenger',
          'loginUser',
          answerFrom(() => context.token()),
          (error: ZendeskLoginError | null | undefined) => {
            if (!error) return resolve();
            reject(
              new WidgetError(
                `Zendesk refused the login: ${error.reason ?? error.message ?? 'no reason'}.`,
                error.reason,
              ),
            );
          },
        );
      });
      // The session ends with the widget: the next visitor on this device must not inherit it.
      context.cleanup(() => {
        if (loginSent && typeof page.zE === 'function') page.zE('messenger', 'logoutUser');
        loginSent = false;
      });
      loginSent = true;
      await withTimeout(
        login,
        timeout,
        () => new WidgetError(`Zendesk did not report the login within ${timeout} ms.`),
      );
      context.throwIfDestroyed();
    },
    // No deliver: Zendesk asks for each new JWT itself (see above). No logout step: the clean-up's
    // logoutUser already ends the session.
  });
}
