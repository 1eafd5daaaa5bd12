import { ConfigurationError, WidgetError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';
import { createWidget, type ScriptOptions, type WidgetHandle } from './create-widget.js';
import { checkRate, withinRate, type VendorRate } from './vendor-rate.js';

/** `window.Intercom`: the Messenger's command function (`Intercom('boot', settings)`, …). */
type IntercomCommand = ((command: string, settings?: Record<string, unknown>) => unknown) & {
  /** Commands the snippet's stand-in function queued until the Messenger script took over. */
  q?: unknown[][];
  c?: (args: unknown[]) => void;
};

/** Options of {@link intercom}. */
export interface IntercomOptions extends ScriptOptions {
  tokens: TokenSource;
  /** The Intercom workspace (app) id, the `<app_id>` of the Messenger script URL. */
  appId: string;
  /**
   * Other boot settings (`api_base` for a regional workspace, `hide_default_launcher`, custom
   * attributes, …). `app_id` and `intercom_user_jwt` are set by the adapter; the user's identity
   * (`user_id`, `email`) belongs in the JWT.
   */
  settings?: Record<string, unknown>;
  /**
   * The Messenger script.
   * @default `https://widget.intercom.io/widget/${appId}`
   */
  scriptUrl?: string;
}

const RESERVED_SETTINGS = ['app_id', 'intercom_user_jwt'];

/**
 * Intercom's documented throttle: `update` is honoured up to 20 times in 30 minutes, then ignored.
 * One update per token needs tokens that live at least 90 s.
 */
export const INTERCOM_UPDATE_RATE: VendorRate = {
  calls: 20,
  per: 30 * 60_000,
  rule: 'Intercom ignores more than 20 updates in 30 minutes',
};

/**
 * The Intercom Messenger with identity verification by JWT. Defines the snippet's command queue,
 * loads the Messenger script while the first token is fetched, and boots with
 * `Intercom('boot', { app_id, intercom_user_jwt })`. Intercom has no token-expiry event: each new
 * token is pushed with `Intercom('update', { intercom_user_jwt })` before the old one expires.
 * Intercom ignores more than 20 updates in 30 minutes: the adapter never sends more (a token that
 * would exceed it waits, and the newest goes when the window allows), and reports an `error`
 * (ConfigurationError) at the first token when tokens live under 90 s. `logout()` and `destroy()`
 * call `Intercom('shutdown')`, which ends the visitor's session, then the script, the `Intercom`
 * global and the Messenger's elements are removed.
 *
 * @example
 * const tokens = createTokenSource({ url: '/api/intercom-token' }); // HS256 { user_id, exp }, exp ≥ 90 s
 * const messenger = intercom({ tokens, appId: 'abc123' });
 * await messenger.ready;
 */
export function intercom(options: IntercomOptions): WidgetHandle {
  const { tokens, appId } = options;
  if (typeof appId !== 'string' || !/^[a-z0-9]+$/i.test(appId)) {
    throw new ConfigurationError(
      `intercom() needs \`appId\`: the workspace id (letters and digits), received ${JSON.stringify(appId)}.`,
    );
  }
  const settings = options.settings ?? {};
  if (typeof settings !== 'object' || settings === null || Array.isArray(settings)) {
    throw new ConfigurationError(
      `intercom(): \`settings\` must be an object of boot settings, received ${JSON.stringify(settings)}.`,
    );
  }
  const reserved = RESERVED_SETTINGS.filter((name) => name in settings);
  if (reserved.length) {
    throw new ConfigurationError(
      `intercom(): \`settings\` must not contain ${reserved.join(', ')} (the adapter sets them), received ${reserved.join(', ')}.`,
    );
  }
  const page = window as unknown as { Intercom?: IntercomCommand };
  const command = (name: string, args?: Record<string, unknown>) => {
    if (typeof page.Intercom !== 'function') {
      throw new WidgetError(`window.Intercom is missing: Intercom('${name}') was not sent.`);
    }
    page.Intercom(name, args);
  };
  let booted = false;

  return createWidget({
    name: 'intercom',
    tokens,
    script: {
      url: options.scriptUrl ?? `https://widget.intercom.io/widget/${appId}`,
      globals: ['Intercom'],
      bodyNodes: true,
      hints: options.hints,
      script: options.script,
    },
    async start(context) {
      // Intercom's own snippet: a function that queues commands until the Messenger script
      // replaces it and runs the queue. Boot can then be queued as soon as the token is here.
      if (typeof page.Intercom !== 'function') {
        const queue: unknown[][] = [];
        const queued: IntercomCommand = (...args: unknown[]) => void queue.push(args);
        queued.q = queue;
        queued.c = (args) => void queue.push(args);
        page.Intercom = queued;
      }
      const token = await context.token();
      checkRate(INTERCOM_UPDATE_RATE, context);
      command('boot', { ...settings, app_id: appId, intercom_user_jwt: token });
      booted = true;
      // Shutdown ends the visitor's Intercom session (its cookie): the next visitor on this device
      // must not see this one's conversations. Runs before the global and the script go.
      context.cleanup(() => {
        if (booted && typeof page.Intercom === 'function') page.Intercom('shutdown');
        booted = false;
      });
      await context.script();
      context.throwIfDestroyed();
    },
    deliver: withinRate(INTERCOM_UPDATE_RATE, (token) =>
      command('update', { intercom_user_jwt: token }),
    ),
    // No logout step: the clean-up's shutdown already ends the session.
  });
}
