// Node 20 cannot run TypeScript: this bundles the token source's pure modules (no timers, no
// window, no I/O) into test/node/.pure/ for the Node tests. One shared chunk keeps the error
// classes one class each, so `instanceof` holds across modules. Takes well under a second.
import { build } from 'esbuild';

await build({
  entryPoints: {
    transition: 'src/token-source/transition.ts',
    markers: 'src/token-source/cross-tab/markers.ts',
    'retry-policy': 'src/token-source/retry-policy.ts',
    expiry: 'src/token-source/expiry.ts',
    errors: 'src/errors.ts',
  },
  outdir: new URL('./.pure/', import.meta.url).pathname,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'neutral',
  target: 'node20',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});

// The real cross-tab code (lock, markers, channel) for the two-tab model: its timers, clock and
// BroadcastChannel are the model world's (browser-shim.mjs); Web Locks come from its navigator.
await build({
  entryPoints: { 'cross-tab': 'src/token-source/cross-tab/cross-tab.ts' },
  outdir: new URL('./.pure/', import.meta.url).pathname,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'node20',
  inject: [new URL('./token-source/browser-shim.mjs', import.meta.url).pathname],
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
});
