import { loadScript } from '../../script-loader/load-script.js';
import { engagespot } from '../../widgets/engagespot.js';
import { required } from '../data-attributes.js';
import type { TagWidget } from '../start-from-tag.js';

/** data-widget="engagespot": data-api-key, data-user-id, data-target, data-script-url, data-global. */
export const engagespotTag: TagWidget = {
  create(tokens, data, nonce) {
    // Without a bundler the inbox comes from Engagespot's browser build, which defines a global
    // with render(target, props); its URL and global name are the host's to give.
    const target = required(data, 'target');
    const scriptUrl = required(data, 'scriptUrl');
    const global = data.global ?? 'Engagespot';
    const sdk = () =>
      (
        window as unknown as Record<
          string,
          { render(target: string, props: unknown): unknown } | undefined
        >
      )[global];
    return engagespot({
      tokens,
      apiKey: required(data, 'apiKey'),
      userId: required(data, 'userId'),
      async render(props) {
        await loadScript({
          url: scriptUrl,
          ...(nonce ? { nonce } : {}),
          isReady: () => sdk() !== undefined,
        });
        const unmount = sdk()!.render(target, props);
        return typeof unmount === 'function'
          ? (unmount as () => unknown)
          : () => document.querySelector(target)?.replaceChildren();
      },
    });
  },
};
