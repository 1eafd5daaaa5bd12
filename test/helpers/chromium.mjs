// Chromium for the Playwright-driven tests and benchmarks: $CHROME_PATH, then Debian's
// /usr/bin/chromium, else Playwright's own download (an ordinary laptop).
import { existsSync } from 'node:fs';
import { chromium } from 'playwright';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath() {
  return [process.env.CHROME_PATH, '/usr/bin/chromium'].find((path) => path && existsSync(path));
}

export function launchChromium() {
  return chromium.launch({ executablePath: chromiumPath(), args: CHROMIUM_ARGS });
}
