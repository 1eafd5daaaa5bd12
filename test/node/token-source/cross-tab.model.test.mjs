// Runs the two-tab model of cross-tab-world.mjs: TABS_MODEL_RUNS random sequences (1,000 by default).
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { assertAsyncProperty } from './model-world.mjs';
import { runTabsSequence, tabCommands } from './cross-tab-world.mjs';

const RUNS = Number(process.env.TABS_MODEL_RUNS ?? process.env.MODEL_RUNS ?? 1_000);

describe('token source decisions across tabs (transition + real cross-tab code), model in Node', () => {
  test(`keep every rule over ${RUNS} random sequences of two or three tabs`, async () => {
    const started = performance.now();
    let steps = 0;
    await assertAsyncProperty(
      fc.asyncProperty(
        fc.integer(),
        fc.commands(tabCommands, { maxCommands: 30, size: '+1' }),
        fc.constantFrom(2, 3),
        async (seed, sequence, tabCount) => {
          const world = await runTabsSequence(seed, sequence, tabCount);
          steps += world.log.length;
        },
      ),
      RUNS,
    );
    const seconds = (performance.now() - started) / 1000;
    console.log(
      `# two-tab model: ${RUNS} sequences in ${seconds.toFixed(1)} s (${Math.round(RUNS / seconds)}/s, ${steps} steps)`,
    );
  });
});
