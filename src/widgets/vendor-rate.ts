import { ConfigurationError } from '../errors.js';
import type { WidgetContext, WidgetEvents } from './create-widget.js';

/** A vendor's documented limit on how often it takes a new token. */
export interface VendorRate {
  /** At most this many deliveries… */
  calls: number;
  /** …in any window of this many ms. */
  per: number;
  /** The vendor's rule, for the message, e.g. "Intercom ignores more than 20 updates in 30 minutes". */
  rule: string;
}

/**
 * Reports (as the widget's `error` event, a ConfigurationError) when the source refreshes more
 * often than `rate` allows one delivery per token. Called at start, with the first token held.
 */
export function checkRate(rate: VendorRate, context: WidgetContext<WidgetEvents>): void {
  const { tokens } = context;
  const every = (tokens.refreshAt ?? tokens.expiresAt ?? Infinity) - Date.now();
  const needed = rate.per / rate.calls;
  if (every < needed) {
    context.emit('error', {
      error: new ConfigurationError(
        `${rate.rule}: a token every ${Math.round(every / 1e3)} s is too often; use tokens of ${Math.ceil(needed / 700)} s or more.`,
      ),
    });
  }
}

/**
 * Wraps `deliver` so that the vendor never gets more than `rate` allows: a delivery that would
 * exceed it waits until the window has room, then hands over the newest token the source holds.
 */
export function withinRate<Events extends WidgetEvents>(
  rate: VendorRate,
  deliver: (token: string) => void,
): (token: string, context: WidgetContext<Events>) => Promise<void> {
  const sentAt: number[] = [];
  let sent: string | undefined;
  return async (token, { tokens, signal }) => {
    for (;;) {
      while (sentAt.length && sentAt[0]! <= Date.now() - rate.per) sentAt.shift();
      if (sentAt.length < rate.calls) break;
      await new Promise((resolve) => setTimeout(resolve, sentAt[0]! + rate.per - Date.now()));
      if (signal.aborted) return;
    }
    const newest = tokens.token ?? token;
    if (newest === sent) return;
    sentAt.push(Date.now());
    sent = newest;
    deliver(newest);
  };
}
