import { ConfigurationError } from '../errors.js';
import type { TokenSource } from '../token-source/create-token-source.js';
import { createWidget, type WidgetHandle } from './create-widget.js';

/** What the adapter passes to the host's render function. */
export interface EngagespotProps {
  apiKey: string;
  userId: string;
  userToken: string;
}

type Unmount = () => unknown;

/** Options of {@link engagespot}. */
export interface EngagespotOptions {
  tokens: TokenSource;
  apiKey: string;
  userId: string;
  /**
   * Renders the inbox with these props and returns a function that unmounts it (or nothing). The
   * SDK is the host's own import, e.g. `(props) => render('#bell', props)`.
   */
  render(props: EngagespotProps): Unmount | void | Promise<Unmount | void>;
  /**
   * Gives a mounted inbox a new token without unmounting it, where the host has a way to.
   * @default unmount and render again
   */
  update?(props: EngagespotProps): unknown;
}

/**
 * Engagespot's in-app inbox in secure mode. It renders with `userToken`; Engagespot documents no
 * way to change the token of a live component, so each new token unmounts and renders again
 * (or goes through `update` when the host gives one).
 *
 * @example
 * import { render } from '@engagespot/…';
 * engagespot({ tokens, apiKey, userId, render: (props) => render('#bell', props) });
 */
export function engagespot(options: EngagespotOptions): WidgetHandle {
  const { tokens, apiKey, userId, render, update } = options;
  if (typeof apiKey !== 'string' || apiKey === '') {
    throw new ConfigurationError('engagespot() needs the `apiKey` (string).');
  }
  if (typeof userId !== 'string' || userId === '') {
    throw new ConfigurationError('engagespot() needs the `userId` (string).');
  }
  if (typeof render !== 'function') {
    throw new ConfigurationError('engagespot() needs a `render(props)` function.');
  }
  let unmount: Unmount | undefined;
  const mount = async (userToken: string) => {
    const result = await render({ apiKey, userId, userToken });
    unmount = typeof result === 'function' ? result : undefined;
  };

  return createWidget({
    name: 'engagespot',
    tokens,
    async start(context) {
      context.cleanup(() => unmount?.());
      const token = await context.token();
      await mount(token);
    },
    async deliver(token) {
      if (update) {
        await update({ apiKey, userId, userToken: token });
        return;
      }
      const previous = unmount;
      unmount = undefined;
      await previous?.();
      await mount(token);
    },
  });
}
