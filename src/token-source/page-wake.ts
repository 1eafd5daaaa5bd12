// The page events after which timers may have been skipped (sleep, a background tab, a lost
// connection), listened to once per page however many sources there are, as TanStack Query's
// focus and online managers do. Listeners exist only while some source subscribes.

/** `online`: the connection came back; `wake`: the page was shown or focused again. */
export type WakeCause = 'wake' | 'online';

const WINDOW_EVENTS = ['focus', 'online', 'pageshow'] as const;
const subscribers = new Set<(cause: WakeCause) => void>();

function onPageEvent(event: Event): void {
  if (event.type === 'visibilitychange' && document.visibilityState !== 'visible') return;
  const cause: WakeCause = event.type === 'online' ? 'online' : 'wake';
  for (const subscriber of [...subscribers]) subscriber(cause);
}

function listen(on: boolean): void {
  const method = on ? 'addEventListener' : 'removeEventListener';
  for (const type of WINDOW_EVENTS) window[method](type, onPageEvent);
  document[method]('visibilitychange', onPageEvent);
}

/** Calls `subscriber` on every wake-up of the page; returns the unsubscribe function. */
export function onPageWake(subscriber: (cause: WakeCause) => void): () => void {
  if (typeof window === 'undefined' || typeof document === 'undefined') return () => {};
  if (subscribers.size === 0) listen(true);
  subscribers.add(subscriber);
  return () => {
    if (subscribers.delete(subscriber) && subscribers.size === 0) listen(false);
  };
}
