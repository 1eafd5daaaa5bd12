// Shared set-up for token source tests: a fake clock that controls setTimeout and Date, a fake
// backend, and one source, all torn down after each test.
import sinon from 'sinon';
import { createTokenSource, type TokenSource, type TokenSourceOptions } from '../../src/index.js';
import { fakeBackend, type FakeBackend, type Reply } from './fake-backend.js';

export const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface Harness {
  clock: sinon.SinonFakeTimers;
  backend: FakeBackend;
  tokens: TokenSource;
  /** Every event the source emitted, in order, as [type, detail]. */
  events: [string, unknown][];
}

export function useHarness() {
  const state: Partial<Harness> & { cleanups: (() => void)[] } = { cleanups: [] };

  beforeEach(() => {
    state.clock = sinon.useFakeTimers({ now: NOW, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    state.tokens?.stop();
    state.backend?.restore();
    state.clock?.restore();
    sinon.restore();
    for (const cleanup of state.cleanups.splice(0)) cleanup();
    state.tokens = undefined;
    state.backend = undefined;
  });

  return {
    get clock() {
      return state.clock!;
    },
    /** Starts a backend and a source; every event is recorded. */
    start(
      answer: (request: Request, count: number) => Reply,
      options: Partial<TokenSourceOptions> = {},
    ): Harness {
      state.backend = fakeBackend(answer);
      // These tests pin the rules of one tab: cross-tab coordination (Web Locks take real browser
      // round trips that a fake clock cannot step through) is tested with several real pages.
      state.tokens = createTokenSource({ url: '/token', crossTab: false, ...options });
      const events: [string, unknown][] = [];
      for (const type of ['token', 'refreshing', 'error', 'expired', 'phase', 'stopped'] as const) {
        state.tokens.on(type, (detail) => events.push([type, detail]));
      }
      return { clock: state.clock!, backend: state.backend, tokens: state.tokens, events };
    },
    onCleanup(cleanup: () => void) {
      state.cleanups.push(cleanup);
    },
  };
}
