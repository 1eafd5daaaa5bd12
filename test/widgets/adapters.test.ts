import { expect } from 'chai';
import sinon from 'sinon';
import {
  createTokenSource,
  isWidgetTokenError,
  type ScriptLoadError,
  type TokenSource,
  type WidgetHandle,
} from '../../src/index.js';
import { advanceUnhurried } from '../helpers/browser-tasks.js';
import { fakeBackend, type FakeBackend } from '../helpers/fake-backend.js';
import { NOW } from '../helpers/harness.js';
import { STAND_INS, standIn } from '../helpers/stand-ins.js';
import { LIFETIME, VENDORS } from '../helpers/vendor-cases.js';

/** What the page holds that a widget could leave behind. */
function pageSnapshot() {
  return {
    scripts: [...document.scripts]
      .map((script) => script.src)
      .filter((src) => src.includes('/stand-ins/')),
    links: [...document.querySelectorAll('link')].map((link) => `${link.rel} ${link.href}`),
    globals: Object.keys(window).filter((key) => !key.startsWith('__standIn')),
    body: document.body.children.length,
  };
}

for (const vendor of VENDORS) {
  describe(`the ${vendor.name} adapter`, () => {
    let clock: sinon.SinonFakeTimers;
    let backend: FakeBackend;
    let tokens: TokenSource;
    let widget: WidgetHandle | undefined;
    let issued: { token: string; at: number }[];
    let refuse: (serial: number) => boolean;
    let offline: boolean;
    let before: ReturnType<typeof pageSnapshot>;
    const scriptUrl = `${STAND_INS}/${vendor.standIn}.js`;

    beforeEach(() => {
      delete (window as unknown as { __standIns?: unknown }).__standIns;
      clock = sinon.useFakeTimers({
        now: NOW,
        shouldAdvanceTime: true,
        toFake: ['setTimeout', 'clearTimeout', 'Date'],
      });
      issued = [];
      refuse = () => false;
      offline = false;
      backend = fakeBackend((_request, serial) => {
        if (offline) return { networkError: true };
        if (refuse(serial)) return { json: { token: `refused token <script>${serial}` } };
        const { token, reply } = vendor.issue(serial);
        issued.push({ token, at: Date.now() });
        return reply;
      });
      tokens = createTokenSource({ url: '/token', retry: { attempts: 1 } });
      before = pageSnapshot();
    });

    afterEach(async () => {
      await widget?.destroy();
      widget = undefined;
      tokens.stop();
      backend.restore();
      clock.restore();
      document.getElementById('bell')?.remove();
      if (!vendor.loadsScript)
        document.querySelector(`script[src$="/stand-ins/${vendor.standIn}.js"]`)?.remove();
    });

    /**
     * Advances the clock a second at a time, letting deliveries and script loads run, and each
     * request end before the clock moves on.
     */
    /**
     * Every valid token issued so far has reached the vendor, for the vendors the widget pushes
     * tokens to (a pull-style SDK asks for its own, below). viaSocket's tag-only build gets each
     * token by its tag loaded again: fake time must wait for that load as for a request.
     */
    const deliveredAll = () =>
      vendor.pull !== undefined || widget?.destroyed === true || deliveries >= issued.length;
    let deliveries: number;
    beforeEach(() => (deliveries = 0));
    /** The widget of this test, its deliveries counted. */
    const createCounted = () => {
      const created = vendor.create(tokens, scriptUrl);
      created.on('delivered', () => deliveries++);
      return created;
    };

    async function advance(seconds: number) {
      for (let second = 0; second < seconds; second++) {
        await advanceUnhurried(clock, tokens, 1000, { until: deliveredAll });
        if (
          vendor.pull &&
          !widget?.destroyed &&
          issued.length > new Set(standIn(vendor.standIn)!.tokens.map((r) => r.token)).size
        ) {
          await vendor.pull();
        }
      }
    }

    it('gets its first token before its first use', async () => {
      widget = vendor.create(tokens, scriptUrl);
      await widget.ready;
      const [first] = standIn(vendor.standIn)!.tokens;
      expect(first!.token).to.equal(issued[0]!.token);
      expect(first!.how).to.equal(vendor.firstBy);
    });

    it('gets each new token before the old one expires, in order', async () => {
      const delivered = sinon.spy();
      widget = vendor.create(tokens, scriptUrl);
      widget.on('delivered', delivered);
      await widget.ready;
      // Fake time moves on only once no refresh is under way and the widget holds every token
      // issued so far. A refresh waits for the browser's real work (the cross-tab Web Lock, about
      // 5× slower in WebKit; a script re-injected; an SDK pulling): fake seconds must not race by
      // meanwhile, however loaded the machine or slow the engine.
      const next = (on: (listener: () => void) => () => void) =>
        new Promise<void>((resolve) => {
          const off = on(() => (off(), resolve()));
        });
      const allDelivered = async () => {
        for (let pulls = 0; ;) {
          if (tokens.phase === 'fetching') await next((l) => tokens.on('phase', l));
          else if (delivered.callCount >= issued.length) return;
          else if (!vendor.pull) await next((l) => widget!.on('delivered', l));
          else if (pulls++ < 10) await vendor.pull();
          else throw new Error(`${issued.length} tokens issued, ${delivered.callCount} delivered`);
        }
      };
      for (let second = 0; second < 3 * LIFETIME; second++) {
        await clock.tickAsync(1000);
        await allDelivered();
      }
      const received = standIn(vendor.standIn)!.tokens;
      const distinct = received.filter(
        (entry, i) => i === 0 || entry.token !== received[i - 1]!.token,
      );
      expect(distinct.map((entry) => entry.token)).to.deep.equal(
        issued.map((entry) => entry.token),
      );
      expect(issued.length).to.be.at.least(4);
      for (let i = 1; i < distinct.length; i++) {
        const previousExpiry = issued[i - 1]!.at + LIFETIME * 1000;
        expect(distinct[i]!.at, `token ${i} arrived before token ${i - 1} expired`).to.be.below(
          previousExpiry,
        );
      }
      expect(delivered.callCount).to.equal(issued.length);
    });

    it('holds a valid token again within a minute of the backend returning from an outage longer than a lifetime', async () => {
      widget = createCounted();
      await widget.ready;
      offline = true;
      // The demo's "Go offline" for 45 s with 30 s tokens, here 1.5 lifetimes: the token the
      // vendor holds expires meanwhile (Agora drops the session, Zendesk asks and is not answered).
      // Fake time moves on only once no request is under way (advanceUnhurried): a refresh held
      // up by a loaded machine must not let the clock run past its token's expiry.
      await advanceUnhurried(clock, tokens, 1.5 * LIFETIME * 1000);
      offline = false;
      window.dispatchEvent(new Event('online'));
      await advanceUnhurried(clock, tokens, 60_000, { until: deliveredAll });
      await vendor.asksWhenever?.();
      const held = vendor.held ? vendor.held() : standIn(vendor.standIn)!.tokens.at(-1)?.token;
      const token = issued.find((entry) => entry.token === held);
      expect(token, 'the vendor holds a token the backend issued').to.not.equal(undefined);
      expect(token!.at + LIFETIME * 1000, 'and it has not expired').to.be.above(Date.now());
      expect(issued.indexOf(token!), 'one issued after the outage').to.be.above(0);
    });

    it('never receives a token the backend refuses', async () => {
      refuse = (serial) => serial === 2;
      widget = createCounted();
      await widget.ready;
      await advance(2 * LIFETIME);
      const received = standIn(vendor.standIn)!.tokens.map((entry) => entry.token);
      expect(backend.requests.length).to.be.at.least(3);
      expect(received.some((token) => token.includes('refused'))).to.equal(false);
      expect(received.at(-1)).to.equal(issued.at(-1)!.token);
    });

    it('leaves nothing behind after destroy() and takes no more tokens', async () => {
      widget = vendor.create(tokens, scriptUrl);
      await widget.ready;
      await widget.destroy();
      // What the host itself added (Engagespot's mount point, an npm SDK's stand-in) is the host's
      // to remove; the mount point must be empty again.
      expect(document.getElementById('bell')?.children.length ?? 0).to.equal(0);
      document.getElementById('bell')?.remove();
      document.querySelector(`script[src$="/stand-ins/${vendor.standIn}.js"]`)?.remove();
      expect(pageSnapshot()).to.deep.equal(before);
      const count = standIn(vendor.standIn)!.tokens.length;
      await advance(2 * LIFETIME);
      expect(standIn(vendor.standIn)!.tokens.length).to.equal(count);
      expect(widget.destroyed).to.equal(true);
    });

    it('rejects ready with a WidgetDestroyedError when destroyed while starting', async () => {
      widget = vendor.create(tokens, scriptUrl);
      const ready = widget.ready.catch((error: unknown) => error);
      await widget.destroy();
      expect(isWidgetTokenError(await ready, 'destroyed')).to.equal(true);
      expect(pageSnapshot().scripts).to.deep.equal(before.scripts);
    });

    if (vendor.loadsScript) {
      for (const failure of ['404', 'hang'] as const) {
        it(`gives a typed error naming the URL when the script ${failure === '404' ? '404s' : 'hangs'}, and a later retry succeeds`, async () => {
          const key = `${vendor.standIn}-${failure}-${Math.random().toString(36).slice(2)}`;
          const flakyUrl = `${STAND_INS}/flaky/${key}/${vendor.standIn}.js?fail=${failure}`;
          widget = vendor.create(tokens, flakyUrl);
          const failed = widget.ready.catch((error: unknown) => error);
          if (failure === 'hang') {
            // Jump past the 15 s load timeout once the tag is in (after the token arrived).
            while (![...document.scripts].some((script) => script.src.includes(key))) {
              await clock.tickAsync(10);
            }
            await clock.tickAsync(16_000);
          }
          const error = (await failed) as ScriptLoadError;
          expect(isWidgetTokenError(error, 'script_failed'), String(error)).to.equal(true);
          expect(error.reason).to.equal(failure === '404' ? 'network' : 'timeout');
          expect(error.url).to.contain(`/stand-ins/flaky/${key}/`);
          expect(error.message).to.contain(`/stand-ins/flaky/${key}/`);
          expect(pageSnapshot().scripts, 'the dead tag is removed').to.deep.equal(before.scripts);
          await widget.destroy();

          widget = vendor.create(tokens, flakyUrl);
          await widget.ready;
          expect(standIn(vendor.standIn)!.tokens.at(-1)!.token).to.equal(tokens.token);
        });
      }
    }
  });
}
