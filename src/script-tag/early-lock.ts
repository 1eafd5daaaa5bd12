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
  const { locks } = navigator;
  if (!data?.widget || !data.tokenUrl || !locks || typeof BroadcastChannel != 'function') return;
  try {
    lockEarly(locks, `widget-token:${new URL(data.tokenUrl, location.href).href}`);
  } catch {
    // Not a URL: the token source reports it.
  }
}
