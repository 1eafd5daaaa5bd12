// `npm run test:e2e`: node's test runner over test/e2e/ (or the files given), one file at a time,
// under `xvfb-run -a` when there is no display (WebKit's MiniBrowser has no headless mode). Which
// engines the cross-engine tests use: E2E_ENGINES=chromium,firefox,webkit (the default).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { XVFB_RUN, engineNamed, needsXvfb } from './helpers/engines.mjs';

const files = process.argv.slice(2);
const command = [
  process.execPath,
  '--test',
  '--test-concurrency=1',
  ...(files.length ? files : ['test/e2e/']),
];
const wrap = needsXvfb(engineNamed('webkit')) && existsSync(XVFB_RUN);
const [program, ...args] = wrap ? [XVFB_RUN, '-a', ...command] : command;
spawn(program, args, { stdio: 'inherit' }).on('exit', (code, signal) => {
  process.exitCode = code ?? (signal ? 1 : 0);
});
