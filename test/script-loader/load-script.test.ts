import { expect } from 'chai';
import sinon from 'sinon';
import { createScriptLoader, isWidgetTokenError, type ScriptLoadError } from '../../src/index.js';
import { RETRY_PARAMETER, retryUrl } from '../../src/script-loader/load-script.js';
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

  it('recovers from a preloaded script that failed once: the retry reaches the network', async () => {
    // WebKit remembers a failed <link rel=preload> for a URL and fails every later <script> for it
    // without a request, even once the link is gone. Chromium hands the preload's 404 to the first
    // <script> only; Firefox asks the network again. In every engine a retry must load.
    const key = `preload-${Math.random().toString(36).slice(2)}`;
    const url = `${STAND_INS}/flaky/${key}/video-sdk.js?fail=404`;
    const removeHints = addResourceHints(url, { preload: true });
    try {
      const preload = [...document.querySelectorAll<HTMLLinkElement>('link[rel="preload"]')].find(
        (link) => link.href === url,
      )!;
      await new Promise((resolve) => {
        preload.addEventListener('error', resolve);
        preload.addEventListener('load', resolve);
      });
      const loader = createScriptLoader();
      const load = () => loader.load({ url, isReady: () => 'VideoSDK' in window });
      const first = await load().catch((error: unknown) => error as ScriptLoadError);
      let script: HTMLScriptElement;
      if (first instanceof HTMLScriptElement) {
        script = first;
        expect(new URL(script.src).searchParams.has(RETRY_PARAMETER)).to.equal(false);
      } else {
        expect(first.reason).to.equal('network');
        expect(document.querySelectorAll(`script[src*="${key}"]`), 'dead tag').to.have.length(0);
        removeHints();
        script = await load();
        expect(new URL(script.src).searchParams.get(RETRY_PARAMETER)).to.equal('1');
      }
      expect(standIn('video-sdk'), 'the stand-in ran').to.not.equal(undefined);
      const requested = new URL(script.src);
      expect(requested.pathname).to.equal(new URL(url).pathname);
      expect(requested.searchParams.get('fail'), 'the caller’s parameters are kept').to.equal(
        '404',
      );
      // Once loaded, the loader answers for the URL as given, not for the retry's URL.
      expect(await loader.load({ url })).to.equal(script);
    } finally {
      removeHints();
    }
  });

  it('asks for a URL as given until it has failed, then for a URL the browser has not seen', () => {
    const url = new URL('https://cdn.example.com/w.js?v=2#x');
    expect(retryUrl(url, 0).href).to.equal(url.href);
    expect(retryUrl(url, 1).href).to.equal(
      `https://cdn.example.com/w.js?v=2&${RETRY_PARAMETER}=1#x`,
    );
    expect(retryUrl(url, 2).searchParams.get(RETRY_PARAMETER)).to.equal('2');
    expect(url.href, 'the given URL is not changed').to.equal('https://cdn.example.com/w.js?v=2#x');
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
