// Named regressions of issue 17: each was reproduced on the old adapters, and each test fails there.
// Time is sinon's fake clock, moved only by the test: nothing here depends on the machine's speed.
import { expect } from 'chai';
import sinon from 'sinon';
import {
  createTokenSource,
  createWidget,
  iAdvize,
  intercom,
  isWidgetTokenError,
  zendeskJwtCallback,
  type TokenSource,
  type WidgetHandle,
} from '../../src/index.js';
import { fakeBackend, type FakeBackend, type Reply } from '../helpers/fake-backend.js';
import { NOW } from '../helpers/harness.js';
import { makeJwt } from '../helpers/jwt.js';
import { STAND_INS, standIn } from '../helpers/stand-ins.js';
import { VENDORS } from '../helpers/vendor-cases.js';

describe('recovery and refusals (issue 17)', () => {
  let clock: sinon.SinonFakeTimers;
  let backend: FakeBackend;
  let tokens: TokenSource;
  let widget: WidgetHandle | undefined;
  let answer: (serial: number) => Reply;

  beforeEach(() => {
    delete (window as unknown as { __standIns?: unknown }).__standIns;
    clock = sinon.useFakeTimers({ now: NOW, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    backend = fakeBackend((_request, serial) => answer(serial));
    tokens = createTokenSource({ url: '/token', crossTab: false });
  });
  afterEach(async () => {
    await widget?.destroy();
    widget = undefined;
    tokens.stop();
    backend.restore();
    clock.restore();
    document.getElementById('bell')?.remove();
    for (const script of document.querySelectorAll('script[src*="/stand-ins/"]')) script.remove();
  });

  const realSetTimeout = window.setTimeout.bind(window);
  /** Waits in real time, the fake clock standing still, until the Intercom stand-in booted. */
  const booted = async () => {
    while (standIn('intercom')?.calls[0]?.name !== 'boot') {
      await clock.tickAsync(0);
      await new Promise((resolve) => realSetTimeout(resolve, 5));
    }
  };
  /** Waits in real time (the fake clock stands still) until `promise` settles. */
  const settled = (promise: Promise<unknown>) =>
    promise.then(
      () => 'resolved',
      (error: unknown) => error,
    );

  describe('a 401 makes `ready` reject at once with `unauthorized`', () => {
    for (const vendor of VENDORS) {
      it(`${vendor.name}: without the clock moving (Zendesk used to wait for its 30 s timeout)`, async () => {
        answer = () => ({ status: 401 });
        widget = vendor.create(tokens, `${STAND_INS}/${vendor.standIn}.js`);
        const outcome = await settled(widget.ready);
        expect(isWidgetTokenError(outcome, 'unauthorized'), String(outcome)).to.equal(true);
        expect(Date.now(), 'no timer had to fire').to.equal(NOW);
      });
    }

    it('also when the source was already blocked before the widget was created', async () => {
      answer = () => ({ status: 403 });
      await tokens.getToken().catch(() => {});
      expect(tokens.phase).to.equal('blocked');
      widget = createWidget({ name: 'custom', tokens, start: () => new Promise(() => {}) });
      expect(isWidgetTokenError(await settled(widget.ready), 'unauthorized')).to.equal(true);
    });
  });

  describe('zendeskJwtCallback', () => {
    it("answers a pull made during an outage once the backend is back, instead of dropping Zendesk's request", async () => {
      let offline = true;
      answer = (serial) =>
        offline
          ? { networkError: true }
          : {
              json: {
                token: makeJwt({ sub: 'u', exp: Math.floor(Date.now() / 1000) + 60, serial }),
              },
            };
      const callback = sinon.spy();
      zendeskJwtCallback(tokens)(callback);
      await clock.tickAsync(20_000);
      expect(callback.callCount, 'nothing to answer with yet').to.equal(0);
      offline = false;
      window.dispatchEvent(new Event('online'));
      await clock.tickAsync(1_000);
      expect(callback.callCount).to.equal(1);
      expect(callback.firstCall.args[0]).to.equal(tokens.token);
    });
  });

  describe('Intercom ignores more than 20 updates in 30 minutes', () => {
    const jwt = (lifetime: number) => (serial: number) => ({
      json: {
        token: makeJwt({
          user_id: 'user-1',
          iat: Math.floor(Date.now() / 1000),
          exp: Math.floor(Date.now() / 1000) + lifetime,
          serial,
        }),
      },
    });
    const create = () =>
      intercom({ tokens, appId: 'abc123', scriptUrl: `${STAND_INS}/intercom.js`, hints: false });
    afterEach(() => delete (window as unknown as { Intercom?: unknown }).Intercom);

    it('with 30 s tokens: a clear error at the first token naming the limit, and never a 21st update in 30 minutes', async () => {
      answer = jwt(30);
      widget = create();
      const errors: string[] = [];
      widget.on('error', ({ error }) => errors.push(`${error.code}: ${error.message}`));
      const ready = settled(widget.ready);
      await booted();
      expect(await ready).to.equal('resolved');
      expect(errors).to.have.length(1);
      expect(errors[0]).to.match(
        /invalid_options: .*20 updates in 30 minutes.*tokens of 129 s or more/,
      );
      await clock.tickAsync(3_600_000);
      const calls = standIn('intercom')!.calls;
      expect(
        calls.filter((call) => call.name === 'refused'),
        'Intercom never ignored one',
      ).to.deep.equal([]);
      const updates = (standIn('intercom') as unknown as { updates: number[] }).updates;
      expect(updates.length, 'one update per free slot: 2 × 20 in an hour').to.equal(40);
      for (let i = 20; i < updates.length; i++) {
        expect(updates[i]! - updates[i - 20]!).to.be.at.least(30 * 60_000);
      }
    });

    it('with 130 s tokens: no warning, and the Messenger never holds an expired JWT', async () => {
      answer = jwt(130);
      widget = create();
      const errors = sinon.spy();
      widget.on('error', errors);
      const ready = settled(widget.ready);
      await booted();
      expect(await ready).to.equal('resolved');
      const messenger = (window as unknown as { Intercom: { __request(): void } }).Intercom;
      for (let minute = 0; minute < 60; minute++) {
        await clock.tickAsync(60_000);
        messenger.__request();
      }
      expect(errors.callCount).to.equal(0);
      expect(
        standIn('intercom')!.calls.filter((call) => ['error', 'refused'].includes(call.name)),
      ).to.deep.equal([]);
    });
  });

  describe('iAdvize', () => {
    it('destroyed while its tag loads, it never activates and rejects with the destroyed error', async () => {
      answer = () => ({ json: { token: 'a.b.c.d.e', expiresIn: 60 } });
      widget = iAdvize({ tokens, sid: 1, scriptUrl: `${STAND_INS}/iadvize.js`, hints: false });
      const ready = settled(widget.ready);
      await widget.destroy();
      const outcome = await ready;
      expect(isWidgetTokenError(outcome, 'destroyed'), String(outcome)).to.equal(true);
      expect(standIn('iadvize')?.calls ?? []).to.deep.equal([]);
    });
  });
});
