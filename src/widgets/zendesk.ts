import { ConfigurationError, WidgetError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';
import { createWidget, type ScriptOptions, type WidgetHandle } from './create-widget.js';
import { nextToken } from './next-token.js';

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
 * login and again whenever it needs a fresh JWT, and never again if a call goes unanswered: when no
 * token can be had (an outage, a 401), or only one with less than 5 s left (the JWT Zendesk wants
 * replaced), the call is answered with the source's next token, once the backend answers again or
 * `refresh()` ends the block. It is never answered with an expired or expiring JWT.
 *
 * @example
 * zE('messenger', 'loginUser', zendeskJwtCallback(tokens));
 */
export function zendeskJwtCallback(tokens: TokenSource): ZendeskJwtCallback {
  return answerFrom(() => nextToken(tokens, undefined, FRESH_FOR));
}

/**
 * Zendesk asks again when the JWT it holds is expiring. A token with less than this left is that
 * JWT (the source could not refresh it: an outage): answering with it would have Zendesk ask again
 * at once, then refuse it as expired and never ask again. Such a call waits for the next token.
 */
const FRESH_FOR = 5_000;

function answerFrom(getToken: () => Promise<string>): ZendeskJwtCallback {
  return (callback) => {
    // Rejects only once the source stopped or the widget was destroyed: nothing to answer then.
    getToken().then(callback, () => {});
  };
}

/**
 * Zendesk messaging (Web Widget). Loads the snippet (with `id="ze-snippet"`) while the first token
 * is fetched, then logs the visitor in with `zE('messenger', 'loginUser', jwtCallback,
 * loginCallback)`; `ready` resolves when Zendesk reports the login, rejects with its reason, and
 * rejects at once with `unauthorized` when the endpoint answers 401/403. Zendesk pulls: it calls the
 * JWT callback again whenever it needs a fresh JWT (only once the one it holds is expiring), so the
 * callback answers from the source, whose token is kept fresh ahead of time: no request and no wait
 * when Zendesk asks; during an outage the answer waits for the backend (see
 * {@link zendeskJwtCallback}). `logout()` and `destroy()` call `zE('messenger', 'logoutUser')`, then
 * remove the snippet, `zE` and the widget's elements.
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
  const page = window as unknown as { zE?: ZendeskCommand };
  let loginSent = false;

  return createWidget({
    name: 'zendesk',
    tokens,
    script: {
      url: options.scriptUrl ?? `https://static.zdassets.com/ekr/snippet.js?key=${key}`,
      id: 'ze-snippet',
      globals: ['zE', 'zEACLoaded'],
      bodyNodes: true,
      isReady: () => typeof page.zE === 'function',
      hints: options.hints,
      script: options.script,
    },
    readyTimeout: options.readyTimeout ?? 30_000,
    async start(context) {
      await context.script();
      context.throwIfDestroyed();
      const login = new Promise<void>((resolve, reject) => {
        page.zE!(
          'messenger',
          'loginUser',
          answerFrom(() =>
            nextToken(tokens, context.signal, FRESH_FOR).then(() => context.token()),
          ),
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
      await login;
      context.throwIfDestroyed();
    },
    // No deliver: Zendesk asks for each new JWT itself (see above). No logout step: the clean-up's
    // logoutUser already ends the session.
  });
}
