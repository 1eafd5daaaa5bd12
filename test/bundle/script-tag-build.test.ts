import { expect } from 'chai';
import * as core from '../../src/core.js';
import type * as esm from '../../src/index.js';
import { TAG_VENDORS } from '../../src/vendors.mjs';

// The minified IIFE is what a plain <script> tag loads; it must expose the same API as the ESM
// entry under the global `WidgetToken`. Needs `npm run build` first (npm test does it).
describe('the script-tag build', () => {
  let global: Record<string, unknown>;

  before(async () => {
    await new Promise<void>((resolve, reject) => {
      const script = document.createElement('script');
      script.src = '/dist/widget-token.iife.js';
      script.onload = () => resolve();
      script.onerror = () =>
        reject(new Error('dist/widget-token.iife.js missing: run npm run build'));
      document.head.append(script);
    });
    global = (window as unknown as { WidgetToken: Record<string, unknown> }).WidgetToken;
  });

  it("exposes the ESM entry's API minus the npm-only adapters on window.WidgetToken, plus what the tag started", () => {
    const tagAdapters = TAG_VENDORS.flatMap(({ adapter, bridges = [] }) => [adapter, ...bridges]);
    expect(Object.keys(global).sort()).to.deep.equal(
      [...Object.keys(core), ...tagAdapters, 'tokens', 'widget'].sort(),
    );
    // This tag has no data-widget: nothing was started.
    expect(global.widget).to.equal(undefined);
    expect(global.tokens).to.equal(undefined);
  });

  it('keeps error names through minification', () => {
    const { StoppedError, isWidgetTokenError } = global as unknown as typeof esm;
    const error = new StoppedError();
    expect(error.name).to.equal('StoppedError');
    expect(isWidgetTokenError(error, 'stopped')).to.equal(true);
    // The guard works across copies of the library: the ESM one recognises the IIFE's error.
    expect(core.isWidgetTokenError(error, 'stopped')).to.equal(true);
  });

  it('contains no signing code or secret handling', async () => {
    const source = await (await fetch('/dist/widget-token.iife.js')).text();
    for (const forbidden of [
      'crypto.subtle',
      'HMAC',
      'createHmac',
      'privateKey',
      'localStorage',
      'sessionStorage',
      'document.cookie',
    ]) {
      expect(source, forbidden).not.to.contain(forbidden);
    }
  });
});
