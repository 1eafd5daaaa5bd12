import { ConfigurationError, WidgetDestroyedError, WidgetError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';
import {
  createWidget,
  withTimeout,
  type ScriptOptions,
  type WidgetEvents,
  type WidgetHandle,
} from './create-widget.js';

/** The SDK's activation result, as documented. */
export interface IAdvizeActivation {
  option?: unknown;
  status: 'authentication-success' | 'authentication-failure' | string;
  reason?: string;
}

interface IAdvizeSdk {
  activate(
    provider: () => Promise<{ authenticationOption: { type: string; token: string } }>,
  ): Promise<{ authentication?: IAdvizeActivation }>;
  logout(): Promise<void>;
}

type IAdvizeQueue = ((iAdvize: IAdvizeSdk) => unknown)[] & { config?: Record<string, unknown> };

/** Options of {@link iAdvize}. */
export interface IAdvizeOptions extends ScriptOptions {
  /**
   * The token source. The SDK retries three times itself and asks hosts not to add retries, so
   * create it with `retry: { attempts: 1 }`.
   */
  tokens: TokenSource;
  /** iAdvize site id. */
  sid: number | string;
  /**
   * iAdvize platform, the host name prefix of the tag.
   * @default 'ha'
   */
  platform?: string;
  /**
   * The tag.
   * @default `https://${platform}.iadvize.com/iadvize.js`
   */
  scriptUrl?: string;
  /**
   * Time allowed for activation once the tag has loaded, in ms.
   * @default 30_000
   */
  readyTimeout?: number;
}

export interface IAdvizeEvents extends WidgetEvents {
  /** The result of `activate`, success or failure with its reason. */
  activation: IAdvizeActivation;
}

export type IAdvizeWidget = WidgetHandle<IAdvizeEvents>;

// The page's latest iAdvize widget: iAdvize allows one activation per page until logout(), so a
// new widget waits until the previous one's destroy() (which logs out) has finished.
let latestWidget: IAdvizeWidget | undefined;

/**
 * iAdvize Authenticated Messaging. Sets up the `iAdvizeInterface` queue and config, loads the tag,
 * and activates with a token provider that hands the SDK a token from the source each time it
 * asks (the JWE is opaque to the browser; its expiry comes from the backend's response). `ready`
 * resolves on `authentication-success` and rejects with the failure's reason; there is no anonymous
 * fallback, as iAdvize requires.
 *
 * @example
 * const tokens = createTokenSource({ url: '/api/iadvize-token', retry: { attempts: 1 } });
 * const chat = iAdvize({ tokens, sid: 1234 });
 * chat.on('activation', ({ status, reason }) => console.log(status, reason));
 */
export function iAdvize(options: IAdvizeOptions): IAdvizeWidget {
  const { tokens, sid } = options;
  if ((typeof sid !== 'number' && typeof sid !== 'string') || sid === '') {
    throw new ConfigurationError('iAdvize() needs the site id `sid`.');
  }
  const platform = options.platform ?? 'ha';
  if (!/^[a-z0-9-]+$/i.test(platform)) {
    throw new ConfigurationError(
      `iAdvize(): \`platform\` must be a host name label, received "${platform}".`,
    );
  }
  const page = window as unknown as { iAdvizeInterface?: IAdvizeQueue };

  const timeout = options.readyTimeout ?? 30_000;

  const queue = (): IAdvizeQueue => (page.iAdvizeInterface ??= []);
  // The SDK object as the tag handed it to the queued function: ending the session goes through
  // it, never through the queue, which would create `iAdvizeInterface` again and wait for a tag
  // that may never load.
  let sdk: IAdvizeSdk | undefined;
  let activation: Promise<unknown> | undefined;
  let sessionEnded: Promise<void> | undefined;
  const endSession = () =>
    (sessionEnded ??= (async () => {
      if (!sdk || !activation) return;
      const activated = sdk;
      // iAdvize refuses a logout-then-activate race as much as a second activate: let the
      // activation under way finish first.
      await withTimeout(activation, timeout, () => new WidgetError('')).catch(() => {});
      await withTimeout(
        activated.logout(),
        timeout,
        () => new WidgetError(`iAdvize did not finish logout() within ${timeout} ms.`),
      );
    })());

  const widget: IAdvizeWidget = createWidget<IAdvizeEvents>({
    name: 'iadvize',
    tokens,
    events: ['activation'],
    // Loaded once the queue holds the activation (and a previous widget's logout finished).
    script: {
      url: options.scriptUrl ?? `https://${platform}.iadvize.com/iadvize.js`,
      waitForStart: true,
      bodyNodes: true,
      hints: options.hints,
      script: options.script,
    },
    readyTimeout: timeout,
    async start(context) {
      const previous = latestWidget;
      latestWidget = widget;
      if (previous?.destroyed) await previous.destroy();
      context.throwIfDestroyed();
      // Owned only now: the previous widget's destroy removed its own.
      context.ownGlobals(['iAdvizeInterface', 'iAdvize']);
      queue().config = { ...queue().config, sid };

      // Destroying ends the session too: the same page may create the widget again, and iAdvize
      // refuses a second activate() without a logout() in between.
      context.cleanup(endSession);
      const activated = new Promise<Awaited<ReturnType<IAdvizeSdk['activate']>>>(
        (resolve, reject) => {
          queue().push((tagSdk) => {
            if (context.signal.aborted) return reject(new WidgetDestroyedError('iadvize'));
            sdk = tagSdk;
            const activating = tagSdk.activate(async () => {
              const token = await context.token();
              return { authenticationOption: { type: 'SECURED_AUTHENTICATION', token } };
            });
            activation = activating;
            activating.then(resolve, reject);
          });
        },
      );
      activated.catch(() => {});
      await context.script();
      const result = await activated;
      context.throwIfDestroyed();
      const authentication: IAdvizeActivation = result?.authentication ?? {
        status: 'authentication-failure',
        reason: 'no authentication result',
      };
      context.emit('activation', authentication);
      if (authentication.status !== 'authentication-success') {
        throw new WidgetError(
          `iAdvize activation failed: ${authentication.reason ?? authentication.status}.`,
          authentication.reason,
        );
      }
    },
    // The SDK's logout() removes the visitor's identity; destroy() ends the session too (iAdvize
    // refuses a second activate without it), so this only makes it happen before `loggedOut`.
    logout: () => endSession(),
  });
  return widget;
}
