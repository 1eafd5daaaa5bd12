import { expect } from 'chai';
import sinon from 'sinon';
import { createScriptLoader, isWidgetTokenError, type ScriptLoadError } from '../../src/index.js';
import { addResourceHints } from '../../src/script-loader/resource-hints.js';
import { STAND_INS, STAND_IN_ORIGIN, standIn } from '../helpers/stand-ins.js';

const tagsFor = (url: string) => [...document.scripts].filter((script) => script.src === url);

describe('loadScript', () => {
  const added: Element[] = [];
  const track = <T extends Element>(element: T) => (added.push(element), element);
  afterEach(() => {
    for (const element of added.splice(0)) element.remove();
    for (const script of document.querySelectorAll('script[src*="/stand-ins/"]')) script.remove();
    delete (window as unknown as { __standIns?: unknown }).__standIns;
    delete (window as unknown as { VideoSDK?: unknown }).VideoSDK;
    sinon.restore();
  });

  it('loads a script once, however often it is asked for', async () => {
    const loader = createScriptLoader();
    const url = `${STAND_INS}/video-sdk.js?once`;
    const [first, second] = await Promise.all([loader.load({ url }), loader.load({ url })]);
    const third = await loader.load({ url });
    expect(first).to.equal(second).and.equal(third);
    expect(tagsFor(url)).to.have.length(1);
    expect(standIn('video-sdk')).to.not.equal(undefined);
  });

  it('reuses a tag that is already on the page instead of adding another', async () => {
    const url = `${STAND_INS}/video-sdk.js?existing`;
    const existing = track(document.createElement('script'));
    existing.src = url;
    const loaded = new Promise((resolve) => existing.addEventListener('load', resolve));
    document.head.append(existing);
    await loaded;
    const script = await createScriptLoader().load({ url, isReady: () => 'VideoSDK' in window });
    expect(script).to.equal(existing);
    expect(tagsFor(url)).to.have.length(1);
  });

  it('refuses plain http except for localhost', async () => {
    const loader = createScriptLoader();
    for (const url of [
      'http://cdn.example.com/widget.js',
      'javascript:alert(1)',
      'data:text/javascript,1',
    ]) {
      const error = (await loader.load({ url }).catch((e: unknown) => e)) as ScriptLoadError;
      expect(isWidgetTokenError(error, 'script_failed'), url).to.equal(true);
      expect(error.reason).to.equal('insecure_url');
      expect(error.message).to.match(/https only/);
    }
    expect(document.querySelectorAll('script[src^="http://cdn.example.com"]')).to.have.length(0);
  });

  it("passes integrity and crossorigin through, and takes the page's nonce", async () => {
    const marker = track(document.createElement('script'));
    marker.setAttribute('nonce', 'page-nonce-123');
    document.head.append(marker);
    const url = `${STAND_INS}/video-sdk.js?attributes`;
    const loader = createScriptLoader();
    const pending = loader.load({
      url,
      integrity: 'sha384-abc',
      crossOrigin: 'anonymous',
      attributes: { 'data-x': '1' },
    });
    pending.catch(() => {});
    const [tag] = tagsFor(url);
    expect(tag!.nonce).to.equal('page-nonce-123');
    expect(tag!.integrity).to.equal('sha384-abc');
    expect(tag!.crossOrigin).to.equal('anonymous');
    expect(tag!.getAttribute('data-x')).to.equal('1');
    expect(tag!.async).to.equal(true);
    // The hash is wrong: the browser refuses the script, and the loader reports it.
    const error = (await pending.catch((e: unknown) => e)) as ScriptLoadError;
    expect(error.reason).to.equal('network');
  });

  it('an explicit nonce wins over the page nonce', () => {
    const url = `${STAND_INS}/video-sdk.js?nonce`;
    createScriptLoader()
      .load({ url, nonce: 'given' })
      .catch(() => {});
    expect(tagsFor(url)[0]!.nonce).to.equal('given');
  });

  it('reports a script that loads but never becomes ready, and removes its tag', async () => {
    const clock = sinon.useFakeTimers({
      shouldAdvanceTime: true,
      toFake: ['setTimeout', 'clearTimeout'],
    });
    const url = `${STAND_INS}/video-sdk.js?never-ready`;
    const outcome = createScriptLoader()
      .load({ url, timeout: 2000, isReady: () => false })
      .catch((e: unknown) => e);
    await new Promise((resolve) => tagsFor(url)[0]!.addEventListener('load', resolve));
    await clock.tickAsync(2000);
    const error = (await outcome) as ScriptLoadError;
    expect(error.reason).to.equal('not_ready');
    expect(error.message).to.contain('loaded but was not ready within 2000 ms');
    expect(tagsFor(url)).to.have.length(0);
  });

  it('unload() removes its tag so that the next load injects the script again', async () => {
    const loader = createScriptLoader();
    const url = `${STAND_INS}/video-sdk.js?unload`;
    await loader.load({ url });
    loader.unload(url);
    expect(tagsFor(url)).to.have.length(0);
    await loader.load({ url });
    expect(tagsFor(url)).to.have.length(1);
    expect(standIn('video-sdk')!.calls).to.deep.equal([]);
  });
});

describe('resource hints', () => {
  it('preconnects to a vendor origin, preloads when asked, adds each once, removes its own', () => {
    const url = `${STAND_INS}/dg-chat.js?hint`;
    const remove = addResourceHints(url, { preload: true, nonce: 'n-1' });
    const again = addResourceHints(url, { preload: true });
    const preconnect = document.querySelectorAll(
      `link[rel="preconnect"][href^="${STAND_IN_ORIGIN}"]`,
    );
    const preload = [...document.querySelectorAll<HTMLLinkElement>('link[rel="preload"]')].filter(
      (l) => l.href === url,
    );
    expect(preconnect).to.have.length(1);
    expect(preload).to.have.length(1);
    expect(preload[0]!.as).to.equal('script');
    expect(preload[0]!.nonce).to.equal('n-1');
    again();
    remove();
    expect(document.querySelectorAll(`link[href^="${STAND_IN_ORIGIN}"]`)).to.have.length(0);
  });

  it('only preconnects when the script must not wait for the token', () => {
    const remove = addResourceHints(`${STAND_INS}/iadvize.js`, { preload: false });
    expect(document.querySelectorAll('link[rel="preload"][href*="iadvize"]')).to.have.length(0);
    expect(document.querySelectorAll('link[rel="preconnect"]')).to.have.length(1);
    remove();
  });
});
