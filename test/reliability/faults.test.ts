import { expect } from 'chai';
import sinon from 'sinon';
import {
  createTokenSource,
  dgChat,
  isWidgetTokenError,
  type TokenSource,
} from '../../src/index.js';
import { fakeBackend, type FakeBackend } from '../helpers/fake-backend.js';
import { HOUR, MINUTE, NOW, SECOND, useHarness } from '../helpers/harness.js';
import { freshJwt } from '../helpers/jwt.js';
import { STAND_INS, STAND_IN_ORIGIN, standIn } from '../helpers/stand-ins.js';

describe('faults: the token keeps or regains itself, at a bounded rate', () => {
  const harness = useHarness();

  it('backend down for 10 minutes: at most ~20 requests, a valid token again within a minute of its return', async () => {
    sinon.stub(Math, 'random').returns(0.5);
    let down = false;
    const { backend, tokens } = harness.start(() =>
      down ? { status: 503 } : { json: { token: freshJwt(60) } },
    );
    await tokens.getToken();
    const before = backend.requests.length;
    down = true;
    await harness.clock.tickAsync(10 * MINUTE);
    const during = backend.requests.length - before;
    expect(during).to.be.within(5, 25);
    expect(tokens.token).to.equal(undefined);
    down = false;
    await harness.clock.tickAsync(MINUTE);
    expect(tokens.token).to.be.a('string');
  });

  for (const offset of [12 * HOUR, -12 * HOUR]) {
    it(`browser clock ${offset > 0 ? '+' : '−'}12 h: refresh at the same moment, token valid`, async () => {
      sinon.stub(Math, 'random').returns(0.5);
      harness.clock.setSystemTime(NOW + offset);
      const { backend, tokens } = harness.start(() => ({
        json: { token: freshJwt(300, (Date.now() - offset) / 1000) },
      }));
      await tokens.getToken();
      expect(tokens.token).to.be.a('string');
      await harness.clock.tickAsync(300 * SECOND);
      expect(backend.times[1]! - backend.times[0]!).to.equal((300 - 60 - 15) * SECOND);
    });
  }
});

describe('faults around the widget', () => {
  let backend: FakeBackend;
  let tokens: TokenSource;
  beforeEach(() => {
    delete (window as unknown as { __standIns?: unknown }).__standIns;
    backend = fakeBackend((_request, serial) => ({
      json: { token: freshJwt(3600).replace('c2lnbmF0dXJl', `serial${serial}`) },
    }));
    tokens = createTokenSource({ url: '/token', crossTab: false });
  });
  afterEach(() => {
    tokens.stop();
    backend.restore();
  });

  const startChat = (query = '') =>
    dgChat({ tokens, widgetId: 'w', env: 'eu', scriptUrl: `${STAND_INS}/dg-chat.js${query}` });

  /** What a widget could leave behind on the page. */
  const leftovers = () => ({
    scripts: [...document.scripts].filter((script) => script.src.includes('/stand-ins/')).length,
    links: document.querySelectorAll(`link[href^="${STAND_IN_ORIGIN}"]`).length,
    config: 'DG_CHAT_WIDGET_CONFIG' in window,
    vendor: 'dgchat' in window,
    launcher: document.querySelectorAll('.dg-stand-in').length,
  });
  const clean = { scripts: 0, links: 0, config: false, vendor: false, launcher: 0 };

  it('a vendor global replaced by the page: an error event, no crash, the next token delivered once it is back', async () => {
    const chat = startChat();
    const errors = sinon.spy();
    chat.on('error', errors);
    await chat.ready;
    const page = window as unknown as { dgchat: unknown };
    const original = page.dgchat;
    page.dgchat = { methods: {} };
    await tokens.refresh();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(errors.calledOnce).to.equal(true);
    expect(isWidgetTokenError(errors.firstCall.args[0].error, 'widget_failed')).to.equal(true);
    expect(errors.firstCall.args[0].error.message).to.match(/sendSystemMessage is missing/);
    page.dgchat = original;
    const next = await tokens.refresh();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(standIn('dg-chat')!.tokens.at(-1)!.token).to.equal(next);
    await chat.destroy();
    expect(leftovers()).to.deep.equal(clean);
  });

  describe('destroy() in every phase leaves nothing behind', () => {
    it('while the token is being fetched', async () => {
      backend.restore();
      let answer!: () => void;
      backend = fakeBackend(() => ({ json: { token: freshJwt(3600) } }));
      const slowFetch = globalThis.fetch;
      globalThis.fetch = (...args) =>
        new Promise((resolve) => (answer = () => resolve(slowFetch(...args))));
      const chat = startChat();
      const ready = chat.ready.catch((error: unknown) => error);
      await new Promise((resolve) => setTimeout(resolve, 0));
      await chat.destroy();
      answer();
      expect(isWidgetTokenError(await ready, 'destroyed')).to.equal(true);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(leftovers()).to.deep.equal(clean);
      globalThis.fetch = slowFetch;
    });

    it('while the vendor script is loading (it still runs once fetched)', async () => {
      const chat = startChat('?delay=200');
      const ready = chat.ready.catch((error: unknown) => error);
      while (!document.querySelector('script[src*="dg-chat.js?delay"]')) {
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
      await chat.destroy();
      expect(isWidgetTokenError(await ready, 'destroyed')).to.equal(true);
      expect(standIn('dg-chat')?.tokens.length, 'the script did run').to.equal(1);
      expect(leftovers()).to.deep.equal(clean);
    });

    it('while waiting for the widget to be ready', async () => {
      const chat = startChat();
      const ready = chat.ready.catch((error: unknown) => error);
      while (!('dgchat' in window)) await new Promise((resolve) => setTimeout(resolve, 1));
      await chat.destroy();
      expect(isWidgetTokenError(await ready, 'destroyed')).to.equal(true);
      await new Promise((resolve) => setTimeout(resolve, 30));
      expect(leftovers()).to.deep.equal(clean);
    });

    it('while a new token is being delivered', async () => {
      let release!: () => void;
      const chat = startChat();
      await chat.ready;
      const methods = (
        window as unknown as { dgchat: { methods: { sendSystemMessage(m: unknown): void } } }
      ).dgchat.methods;
      const send = methods.sendSystemMessage;
      const sent = sinon.spy();
      methods.sendSystemMessage = (message) => {
        sent(message);
        return new Promise<void>((resolve) => (release = resolve)).then(() => send(message));
      };
      await tokens.refresh();
      await chat.destroy();
      release?.();
      await tokens.refresh();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(sent.callCount).to.equal(1);
      expect(leftovers()).to.deep.equal(clean);
    });
  });
});
