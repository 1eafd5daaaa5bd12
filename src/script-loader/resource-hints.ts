import { checkScriptUrl, pageNonce } from './script-url.js';

export interface HintOptions {
  /**
   * Also fetch the script itself now (`preload`), for scripts that are injected only once the
   * token has arrived. Without it only the connection is opened (`preconnect`).
   */
  preload: boolean;
  nonce?: string;
  integrity?: string;
  crossOrigin?: '' | 'anonymous' | 'use-credentials';
}

/** Adds a `<link>` to `added` unless the page has one for `href` already. */
function addLink(
  added: HTMLLinkElement[],
  rel: string,
  href: string,
  extra: Record<string, string | undefined>,
): void {
  const duplicate = [...document.querySelectorAll<HTMLLinkElement>(`link[rel="${rel}"]`)].some(
    (link) => link.href === href || link.href === `${href}/`,
  );
  if (duplicate) return;
  const link = document.createElement('link');
  link.rel = rel;
  link.href = href;
  for (const [name, value] of Object.entries(extra)) {
    if (value !== undefined) link.setAttribute(name, value);
  }
  document.head.append(link);
  added.push(link);
}

/**
 * Starts connecting to (and optionally fetching) a vendor script while the token is still being
 * fetched, so the time to a ready widget is close to the longer of the two requests rather than
 * their sum. Returns a function that removes the hints it added.
 */
export function addResourceHints(url: string | URL, options: HintOptions): () => void {
  const resolved = checkScriptUrl(url);
  const added: HTMLLinkElement[] = [];
  const crossorigin = options.crossOrigin;
  if (resolved.origin !== location.origin) {
    addLink(added, 'preconnect', resolved.origin, { crossorigin });
  }
  if (options.preload) {
    addLink(added, 'preload', resolved.href, {
      as: 'script',
      crossorigin,
      nonce: options.nonce ?? pageNonce(),
      integrity: options.integrity,
    });
  }
  return () => {
    for (const link of added) link.remove();
  };
}
