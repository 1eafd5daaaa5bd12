import { createScriptLoader } from '../../src/index.js';
// Where the stand-in vendor scripts are served (demo/stand-ins/serve-stand-ins.mjs, started by the
// test runner's config): another origin than the page, like a real vendor's CDN.
// The port is the runner's STAND_IN_PORT (default 8765), so that two checkouts can test at once.
export const STAND_IN_ORIGIN = `http://127.0.0.1:${(window as unknown as { STAND_IN_PORT?: number }).STAND_IN_PORT ?? 8765}`;
export const STAND_INS = `${STAND_IN_ORIGIN}/stand-ins`;

export interface ReceivedToken {
  token: string;
  at: number;
  how: string;
}

export interface StandInRecord {
  tokens: ReceivedToken[];
  calls: { name: string; detail: unknown }[];
  rejectTokens?: string[];
  rejectCode?: number;
}

/** What the stand-in for `vendor` has recorded in this page. */
export function standIn(vendor: string): StandInRecord | undefined {
  return (window as unknown as { __standIns?: Record<string, StandInRecord> }).__standIns?.[vendor];
}

/**
 * A vendor SDK the host imports from npm, played by its stand-in: loaded by the host's own loader,
 * fresh per call so that the stand-in runs (and records) anew; its class is `window[global]`.
 */
export async function standInSdk<T>(name: string, global: string): Promise<T> {
  await createScriptLoader().load({
    url: `${STAND_INS}/${name}.js`,
    isReady: () => global in window,
  });
  return (window as unknown as Record<string, T>)[global]!;
}
