// Browser tests run in real Chromium driven by Playwright (see helpers/chromium.mjs for which).
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { CHROMIUM_ARGS, chromiumPath } from './helpers/chromium.mjs';
import { reactAsEsm } from './helpers/react-as-esm.mjs';
import { startStandInServer } from '../demo/stand-ins/serve-stand-ins.mjs';

// Stand-in vendor scripts on their own origin; the test pages learn the port from testRunnerHtml.
// STAND_IN_PORT lets two checkouts run their tests at once without serving each other's stand-ins.
const STAND_IN_PORT = Number(process.env.STAND_IN_PORT) || 8765;
startStandInServer(STAND_IN_PORT);

export default {
  rootDir: '.',
  files: ['test/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser'] },
  // reactAsEsm: for the React binding tests (test/react/).
  plugins: [reactAsEsm(), esbuildPlugin({ ts: true, target: 'es2022' })],
  concurrency: 1,
  // A fuzz run (MODEL_RUNS in the thousands) takes minutes in one file.
  testsFinishTimeout: Number(process.env.MODEL_RUNS) > 1000 ? 3_600_000 : 120_000,
  testFramework: { config: { timeout: 5000 } },
  // The model-based tests read how many random sequences to run (npm run test:fuzz sets more).
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html><body>
      <script>window.MODEL_RUNS = ${Number(process.env.MODEL_RUNS) || 300};
        window.STAND_IN_PORT = ${STAND_IN_PORT};</script>
      <script type="module" src="${testFramework}"></script>
    </body></html>`,
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
    }),
  ],
};
