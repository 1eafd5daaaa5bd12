import { expect } from 'chai';
import sinon from 'sinon';
import { createTokenSource, isWidgetTokenError, type TokenSourceEvents } from '../../src/index.js';
import { fakeBackend } from '../helpers/fake-backend.js';
import { HOUR, MINUTE, SECOND, useHarness } from '../helpers/harness.js';
import { freshJwt } from '../helpers/jwt.js';

type ErrorEvent = TokenSourceEvents['error'];
const errorsOf = (events: [string, unknown][]) =>
  events.filter(([type]) => type === 'error').map(([, detail]) => detail as ErrorEvent);

describe('when the token request fails', () => {
  const harness = useHarness();

  describe('classifies each failure', () => {
    const cases = [
      {
        name: '401',
        reply: { status: 401 },
        code: 'unauthorized',
        errorName: 'UnauthorizedError',
        retried: false,
      },
      {
        name: '403',
        reply: { status: 403 },
        code: 'unauthorized',
        errorName: 'UnauthorizedError',
        retried: false,
      },
      {
        name: '404',
        reply: { status: 404 },
        code: 'request_failed',
        errorName: 'TokenRequestError',
        retried: false,
      },
      {
        name: '429',
        reply: { status: 429 },
        code: 'request_failed',
        errorName: 'TokenRequestError',
        retried: true,
      },
      {
        name: '500',
        reply: { status: 500 },
        code: 'request_failed',
        errorName: 'TokenRequestError',
        retried: true,
      },
      {
        name: '503',
        reply: { status: 503 },
        code: 'request_failed',
        errorName: 'TokenRequestError',
        retried: true,
      },
      {
        name: 'a network error',
        reply: { networkError: true },
        code: 'request_failed',
        errorName: 'TokenRequestError',
        retried: true,
      },
      {
        name: 'a hanging request',
        reply: { hang: true },
        code: 'timeout',
        errorName: 'TokenTimeoutError',
        retried: true,
      },
      {
        name: 'a body that never ends',
        reply: { endlessBody: true },
        code: 'timeout',
        errorName: 'TokenTimeoutError',
        retried: true,
      },
    ] as const;
    for (const { name, reply, code, errorName, retried } of cases) {
      it(`${name} → ${code}, ${retried ? 'retried with backoff' : 'not retried'}`, async () => {
        const { backend, tokens, events } = harness.start(() => reply, { retry: { attempts: 1 } });
        const outcome = tokens.getToken().catch((error: unknown) => error);
        await harness.clock.tickAsync(10 * SECOND);
        const error = await outcome;
        expect(isWidgetTokenError(error, code)).to.equal(true);
        expect((error as Error).name).to.equal(errorName);
        const [first] = errorsOf(events);
        expect(first!.error).to.equal(error);
        expect(first!.willRetry).to.equal(retried);
        const afterFirst = backend.requests.length;
        await harness.clock.tickAsync(HOUR);
        if (retried) expect(backend.requests.length).to.be.greaterThan(afterFirst + 5);
        else expect(backend.requests.length).to.equal(1);
      });
    }
  });

  it('waits for Retry-After on a 429', async () => {
    sinon.stub(Math, 'random').returns(0);
    const { backend, tokens } = harness.start((_request, count) =>
      count === 1
        ? { status: 429, headers: { 'retry-after': '30' } }
        : { json: { token: freshJwt(60) } },
    );
    const token = tokens.getToken();
    await harness.clock.tickAsync(30 * SECOND - 1);
    expect(backend.requests).to.have.length(1);
    await harness.clock.tickAsync(1);
    expect(backend.requests).to.have.length(2);
    expect(await token).to.equal(tokens.token);
  });

  it('retries with exponential backoff and full jitter', async () => {
    sinon.stub(Math, 'random').returns(0.999);
    const { backend, tokens } = harness.start(() => ({ status: 500 }), { retry: { attempts: 1 } });
    tokens.getToken().catch(() => {});
    await harness.clock.tickAsync(5 * MINUTE);
    const gaps = backend.times
      .slice(1)
      .map((time, i) => Math.round((time - backend.times[i]!) / SECOND));
    expect(gaps.slice(0, 8)).to.deep.equal([1, 2, 4, 8, 16, 32, 60, 60]);
  });

  it('rejects getToken() after retry.attempts failures and keeps retrying in the background', async () => {
    let healthy = false;
    const { backend, tokens } = harness.start(() =>
      healthy ? { json: { token: freshJwt(60) } } : { status: 503 },
    );
    let requestsWhenRejected = 0;
    const outcome = tokens.getToken().catch((error: unknown) => {
      requestsWhenRejected = backend.requests.length;
      return error;
    });
    await harness.clock.tickAsync(10 * SECOND);
    expect(isWidgetTokenError(await outcome, 'request_failed')).to.equal(true);
    expect(requestsWhenRejected).to.equal(3);
    healthy = true;
    await harness.clock.tickAsync(2 * MINUTE);
    expect(tokens.token).to.be.a('string');
  });

  it('keeps the current token while it is valid, emits expired when it lapses, recovers by itself', async () => {
    let down = false;
    const { tokens, events } = harness.start(() =>
      down ? { status: 500 } : { json: { token: freshJwt(60) } },
    );
    const first = await tokens.getToken();
    down = true;
    await harness.clock.tickAsync(50 * SECOND);
    expect(errorsOf(events).length).to.be.greaterThan(0);
    expect(tokens.token).to.equal(first);
    await harness.clock.tickAsync(10 * SECOND);
    expect(events.filter(([type]) => type === 'expired')).to.have.length(1);
    expect(tokens.token).to.equal(undefined);
    down = false;
    await harness.clock.tickAsync(2 * MINUTE);
    expect(tokens.token).to.be.a('string').and.not.equal(first);
  });

  it('after a 401 waits for an explicit refresh()', async () => {
    let authorized = false;
    const { backend, tokens, events } = harness.start(() =>
      authorized ? { json: { token: freshJwt(60) } } : { status: 401 },
    );
    await tokens.getToken().catch(() => {});
    authorized = true;
    await harness.clock.tickAsync(HOUR);
    expect(backend.requests).to.have.length(1);
    window.dispatchEvent(new Event('online'));
    window.dispatchEvent(new Event('focus'));
    await harness.clock.tickAsync(0);
    expect(backend.requests).to.have.length(1);
    expect(await tokens.refresh()).to.equal(tokens.token);
    expect(events.filter(([type]) => type === 'token')).to.have.length(1);
  });

  it('going online retries at once after a network failure, but focus does not bypass backoff', async () => {
    let offline = true;
    const { backend, tokens } = harness.start(() =>
      offline ? { networkError: true } : { json: { token: freshJwt(60) } },
    );
    sinon.stub(Math, 'random').returns(0.999);
    tokens.getToken().catch(() => {});
    await harness.clock.tickAsync(0);
    window.dispatchEvent(new Event('focus'));
    await harness.clock.tickAsync(0);
    expect(backend.requests).to.have.length(1);
    offline = false;
    window.dispatchEvent(new Event('online'));
    await harness.clock.tickAsync(0);
    expect(backend.requests).to.have.length(2);
    expect(tokens.token).to.be.a('string');
  });

  it('a throwing listener breaks neither the source nor the other listeners', async () => {
    const reported: unknown[] = [];
    const onError = (event: Event) => {
      reported.push((event as globalThis.ErrorEvent).error);
      event.preventDefault();
    };
    // reportError() raises a window 'error' event; keep it from failing this test.
    const previous = window.onerror;
    window.onerror = null;
    window.addEventListener('error', onError);
    harness.onCleanup(() => {
      window.removeEventListener('error', onError);
      window.onerror = previous;
    });
    const { tokens } = harness.start(() => ({ json: { token: freshJwt(60) } }));
    const boom = new Error('listener bug');
    tokens.on('token', () => {
      throw boom;
    });
    const second = sinon.spy();
    tokens.on('token', second);
    await tokens.getToken();
    expect(second.calledOnce).to.equal(true);
    expect(reported).to.deep.equal([boom]);
    await harness.clock.tickAsync(MINUTE);
    expect(second.calledTwice).to.equal(true);
  });
});

describe('stop()', () => {
  const harness = useHarness();

  it('aborts the request in flight and never delivers its result', async () => {
    const { backend, tokens, events } = harness.start(() => ({
      json: { token: freshJwt(60) },
      delay: 500,
    }));
    const pending = tokens.getToken().catch((error: unknown) => error);
    await harness.clock.tickAsync(100);
    tokens.stop();
    const error = await pending;
    expect(isWidgetTokenError(error, 'stopped')).to.equal(true);
    expect(backend.aborted).to.equal(1);
    await harness.clock.tickAsync(HOUR);
    // Each phase event comes after the event that caused it (#18, 2).
    expect(events.map(([type]) => type)).to.deep.equal(['refreshing', 'phase', 'stopped', 'phase']);
    expect(tokens.token).to.equal(undefined);
  });

  it('leaves no timer, listener, request or later event, and is idempotent', async () => {
    const added = sinon.spy(window, 'addEventListener');
    const removed = sinon.spy(window, 'removeEventListener');
    const docAdded = sinon.spy(document, 'addEventListener');
    const docRemoved = sinon.spy(document, 'removeEventListener');
    const { backend, tokens, events } = harness.start(() => ({ json: { token: freshJwt(60) } }));
    await tokens.getToken();
    expect(harness.clock.countTimers()).to.be.greaterThan(0);
    tokens.stop();
    tokens.stop();
    expect(harness.clock.countTimers()).to.equal(0);
    const calls = (spy: sinon.SinonSpy) => spy.args.map(([type, listener]) => [type, listener]);
    expect(calls(added)).to.have.length(3);
    expect(calls(removed)).to.deep.equal(calls(added));
    expect(calls(docAdded)).to.have.length(1);
    expect(calls(docRemoved)).to.deep.equal(calls(docAdded));
    window.dispatchEvent(new Event('online'));
    document.dispatchEvent(new Event('visibilitychange'));
    await harness.clock.tickAsync(HOUR);
    expect(backend.requests).to.have.length(1);
    expect(events.filter(([type]) => type === 'stopped')).to.have.length(1);
    expect(events.slice(-2).map(([type]) => type)).to.deep.equal(['stopped', 'phase']);
    expect(tokens.token).to.equal(undefined);
    expect(tokens.stopped).to.equal(true);
    const late = await tokens.getToken().catch((error: unknown) => error);
    expect(isWidgetTokenError(late, 'stopped')).to.equal(true);
  });

  it('an unused source adds no listener and no timer', () => {
    const added = sinon.spy(window, 'addEventListener');
    const backend = fakeBackend(() => ({ status: 500 }));
    const tokens = createTokenSource({ url: '/token' });
    expect(added.called).to.equal(false);
    expect(harness.clock.countTimers()).to.equal(0);
    expect(backend.requests).to.have.length(0);
    tokens.stop();
    backend.restore();
  });
});
