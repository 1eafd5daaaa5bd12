// Runs the model of model-world.mjs: MODEL_RUNS random sequences (10,000 by default).
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { assertProperty, commands, runSequence } from './model-world.mjs';

const RUNS = Number(process.env.MODEL_RUNS ?? 10_000);

describe('token source decisions (transition), model in Node', () => {
  test(`keep every rule over ${RUNS} random sequences`, () => {
    const started = performance.now();
    assertProperty(
      fc.property(fc.integer(), fc.commands(commands(), { maxCommands: 40 }), (seed, sequence) => {
        runSequence(seed, sequence);
      }),
      RUNS,
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `# model: ${RUNS} sequences in ${seconds.toFixed(1)} s (${Math.round(RUNS / seconds)}/s)`,
    );
  });
});
