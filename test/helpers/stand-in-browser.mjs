// The set-up the multi-page end-to-end tests share: the stand-in server (pages, stand-in vendors,
// token endpoint) on `port`, and one Chromium, both started before the file's tests and closed after.
import { after, before } from 'node:test';
import { startStandInServer } from '../../demo/stand-ins/serve-stand-ins.mjs';
import { launchChromium } from './chromium.mjs';

/** Registers the before/after hooks; the returned object holds `browser` once they ran. */
export function useStandInBrowser(port) {
  const started = { browser: undefined, server: undefined };
  before(async () => {
    started.server = startStandInServer(port);
    started.browser = await launchChromium();
  });
  after(async () => {
    await started.browser?.close();
    started.server?.close();
  });
  return started;
}
