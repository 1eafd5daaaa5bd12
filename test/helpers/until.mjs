// For Playwright-driven tests and benchmarks: wait, in real time, for the browser's own
// asynchronous work (IPC, locks, requests). The library's time is the fake clock; this only polls.
export async function until(
  condition,
  what = 'a condition',
  { attempts = 300, interval = 25 } = {},
) {
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
  throw new Error(`timed out waiting for ${what}`);
}
