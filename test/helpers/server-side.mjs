// Watches what code run in Node does that it must not do during server rendering: read a browser
// global (they are defined as getters that record the read), or start a request or a timer.
const BROWSER_GLOBALS = ['window', 'document', 'location', 'navigator', 'addEventListener'];

export function watchServerSide() {
  const touched = [];
  const started = [];
  for (const name of BROWSER_GLOBALS) {
    Object.defineProperty(globalThis, name, {
      configurable: true,
      get() {
        touched.push(name);
        return undefined;
      },
    });
  }
  const real = {
    fetch: globalThis.fetch,
    setTimeout: globalThis.setTimeout,
    setInterval: globalThis.setInterval,
  };
  for (const [name, original] of Object.entries(real)) {
    globalThis[name] = (...args) => (started.push(name), original(...args));
  }
  return {
    /** Browser globals read, in order. */
    touched,
    /** Requests and timers started, in order. */
    started,
    restore() {
      Object.assign(globalThis, real);
      for (const name of BROWSER_GLOBALS) delete globalThis[name];
    },
  };
}
