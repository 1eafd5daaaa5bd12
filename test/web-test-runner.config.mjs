// Unit tests run in real Chromium, driven by Playwright. Chromium is found at $CHROME_PATH, then at
// Debian's /usr/bin/chromium, and otherwise Playwright's own download is used (an ordinary laptop).
import { existsSync } from 'node:fs';
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { startStandInServer } from './stand-ins/serve-stand-ins.mjs';

const executablePath = [process.env.CHROME_PATH, '/usr/bin/chromium'].find(
  (path) => path && existsSync(path),
);

// Stand-in vendor scripts on their own origin; test/helpers/stand-ins.ts holds the same port.
startStandInServer(8765);

export default {
  rootDir: '.',
  files: ['test/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser'] },
  plugins: [esbuildPlugin({ ts: true, target: 'es2022' })],
  concurrency: 1,
  testFramework: { config: { timeout: 5000 } },
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath,
        args: [
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      },
    }),
  ],
};
