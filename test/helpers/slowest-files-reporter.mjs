// A web-test-runner reporter that prints, after the run, the test files that took longest, so the
// suite's time stays visible (a figure to watch, not a limit). Files run one at a time
// (concurrency 1), so the time between two files' results is the later file's time, page load
// included.
import { relative } from 'node:path';

export function slowestFilesReporter({ count = 8 } = {}) {
  const times = [];
  let last;
  return {
    start() {
      last = Date.now();
    },
    reportTestFileResults({ testFile }) {
      const now = Date.now();
      times.push([relative(process.cwd(), testFile), now - last]);
      last = now;
    },
    onTestRunFinished({ testRun }) {
      if (testRun !== 0 || times.length === 0) return;
      const total = times.reduce((sum, [, ms]) => sum + ms, 0);
      const slowest = [...times].sort((a, b) => b[1] - a[1]).slice(0, count);
      const lines = slowest.map(
        ([file, ms]) => `  ${(ms / 1000).toFixed(1).padStart(6)} s  ${file}`,
      );
      console.log(
        `\nSlowest ${slowest.length} of ${times.length} files (${(total / 1000).toFixed(0)} s in all):\n${lines.join('\n')}`,
      );
    },
  };
}
