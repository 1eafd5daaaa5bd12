// Browser tests run in one engine per run: WTR_ENGINE=chromium (the default), firefox or webkit.
// `npm run test:browser` (test/run-browsers.mjs) runs the engines one after another; the table of
// engines (binaries, env overrides, timeout factors) is helpers/engines.mjs.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { defaultReporter } from '@web/test-runner';
import { slowestFilesReporter } from './helpers/slowest-files-reporter.mjs';
import { engineNamed } from './helpers/engines.mjs';
import { browserLauncher } from './helpers/engine-launchers.mjs';
import { reactAsEsm } from './helpers/react-as-esm.mjs';
import { startStandInServer } from '../demo/stand-ins/serve-stand-ins.mjs';

const engine = engineNamed(process.env.WTR_ENGINE || 'chromium');

// Stand-in vendor scripts on their own origin; the test pages learn the port from testRunnerHtml.
// STAND_IN_PORT lets two checkouts run their tests at once without serving each other's stand-ins.
const STAND_IN_PORT = Number(process.env.STAND_IN_PORT) || 8765;
startStandInServer(STAND_IN_PORT);

// Timeouts scale with the engine's own speed (engines.mjs), never with retries.
const timeout = (ms) => Math.round(ms * engine.timeoutFactor);

export default {
  rootDir: '.',
  // test/node_modules (the test-only packages) ships test files of its own: not ours to run.
  files: ['test/**/*.test.ts', '!test/node_modules/**'],
  nodeResolve: { exportConditions: ['browser'] },
  // reactAsEsm: for the React binding tests (test/react/).
  plugins: [reactAsEsm(), esbuildPlugin({ ts: true, target: 'es2022' })],
  concurrency: 1,
  reporters: [defaultReporter(), slowestFilesReporter()],
  // A fuzz run (MODEL_RUNS in the thousands) takes minutes in one file.
  testsFinishTimeout: Number(process.env.MODEL_RUNS) > 1000 ? 3_600_000 : timeout(120_000),
  testFramework: { config: { timeout: timeout(5000) } },
  // The model-based tests read how many random sequences to run: the engine's own count in
  // engines.mjs, or MODEL_RUNS (npm run test:fuzz sets thousands);
  // tests that wait for the browser's own work read the engine and its timeout factor.
  testRunnerHtml: (testFramework) => `<!doctype html>
    <html><body>
      <script>window.MODEL_RUNS = ${Number(process.env.MODEL_RUNS) || engine.modelRuns};
        window.STAND_IN_PORT = ${STAND_IN_PORT};
        window.ENGINE = ${JSON.stringify(engine.name)};
        window.ENGINE_TIMEOUT_FACTOR = ${engine.timeoutFactor};</script>
      <script type="module" src="${testFramework}"></script>
    </body></html>`,
  browsers: [await browserLauncher(engine)],
};
