// Where the stand-in vendor scripts are served (demo/stand-ins/serve-stand-ins.mjs, started by the
// test runner's config): another origin than the page, like a real vendor's CDN.
export const STAND_INS = 'http://127.0.0.1:8765/stand-ins';

export interface ReceivedToken {
  token: string;
  at: number;
  how: string;
}

export interface StandInRecord {
  tokens: ReceivedToken[];
  calls: { name: string; detail: unknown }[];
  rejectTokens?: string[];
}

/** What the stand-in for `vendor` has recorded in this page. */
export function standIn(vendor: string): StandInRecord | undefined {
  return (window as unknown as { __standIns?: Record<string, StandInRecord> }).__standIns?.[vendor];
}
