// The first statement of every script-tag file (rollup.config.mjs writes it before the widget is
// started): the Web Locks round trip of the page's first token request then overlaps the
// library's own start-up (reading the tag, validating options, creating the widget), which a page
// with no other tab would otherwise wait for. See lockEarly().
import { lockEarly } from '../token-source/cross-tab/lock.js';

/**
 * Asks early for the lock of the token source the tag will start, under the name the source
 * computes (options.ts: `widget-token:` and the resolved token URL; a tag sets no crossTab key).
 * Nothing where the tag names no widget or the page lacks Web Locks or BroadcastChannel (the
 * source then works per tab); a bad URL is left to the source to report.
 */
export function lockForTag(script: HTMLOrSVGScriptElement | null): void {
  const data = (script as HTMLScriptElement | null)?.dataset;
  const locks = globalThis.navigator?.locks;
  if (!data?.widget || !data.tokenUrl || typeof BroadcastChannel !== 'function') return;
  if (typeof locks?.request !== 'function') return;
  let url: URL;
  try {
    url = new URL(data.tokenUrl, location.href);
  } catch {
    return;
  }
  lockEarly(locks, `widget-token:${url.href}`);
}
