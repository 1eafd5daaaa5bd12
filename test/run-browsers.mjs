// `npm run test:browser`: the browser suite in every engine of helpers/engines.mjs, one after
// another (the suite is CPU-bound; two engines at once only slow each other down).
//   npm run test:browser                                  all three engines
//   npm run test:browser -- --engine firefox              one engine (repeat or comma-separate)
//   npm run test:browser -- --engine webkit --files 'test/widgets/*.test.ts'
// Every other argument goes to web-test-runner. A missing engine is an error under CI=true and a
// skip, with the line that installs it, for a person running the tests locally.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  ENGINE_NAMES,
  XVFB_RUN,
  engineNamed,
  findBinaries,
  missingEngineMessage,
  needsXvfb,
} from './helpers/engines.mjs';

const CONFIG = 'test/web-test-runner.config.mjs';
// The runner's own bin, as npm links it (its package exports no path to it).
const WTR_BIN = fileURLToPath(new URL('node_modules/.bin/web-test-runner', import.meta.url));

/** Splits our own `--engine` options from the arguments web-test-runner gets. */
export function parseArguments(args) {
  const engines = [];
  const rest = [];
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = args[i].split('=', 2);
    if (flag === '--engine' || flag === '--engines') {
      const value = inline ?? args[++i];
      if (!value) throw new Error('--engine needs a name: ' + ENGINE_NAMES.join(', '));
      engines.push(...value.split(',').filter(Boolean));
    } else rest.push(args[i]);
  }
  return {
    engines: engines.length ? engines.map(engineNamed) : ENGINE_NAMES.map(engineNamed),
    rest,
  };
}

function runEngine(engine, args) {
  const command = [WTR_BIN, '--config', CONFIG, ...args];
  const wrapped = needsXvfb(engine) ? [XVFB_RUN, '-a', ...command] : command;
  return new Promise((resolve) => {
    const child = spawn(wrapped[0], wrapped.slice(1), {
      stdio: 'inherit',
      env: { ...process.env, WTR_ENGINE: engine.name },
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

async function main() {
  const { engines, rest } = parseArguments(process.argv.slice(2));
  const ci = Boolean(process.env.CI) && process.env.CI !== 'false';
  const results = [];
  for (const engine of engines) {
    const missing =
      !findBinaries(engine) || (needsXvfb(engine) && !existsSync(XVFB_RUN))
        ? missingEngineMessage(engine)
        : undefined;
    if (missing) {
      console.log(`\n${ci ? 'ERROR' : 'SKIPPED'} ${missing}\n`);
      results.push({ engine, outcome: ci ? 'missing (error under CI)' : 'skipped', failed: ci });
      continue;
    }
    console.log(`\n=== Browser suite in ${engine.name} ===\n`);
    const started = Date.now();
    const code = await runEngine(engine, rest);
    const seconds = Math.round((Date.now() - started) / 1000);
    results.push({
      engine,
      outcome: `${code === 0 ? 'passed' : 'FAILED'} in ${seconds} s`,
      failed: code !== 0,
    });
  }
  console.log('\nBrowser suite by engine:');
  for (const { engine, outcome } of results) console.log(`  ${engine.name.padEnd(9)} ${outcome}`);
  process.exitCode = results.some((result) => result.failed) ? 1 : 0;
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
