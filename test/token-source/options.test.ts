import { expect } from 'chai';
import ky from 'ky';
import { createTokenSource, isWidgetTokenError, type TokenSourceOptions } from '../../src/index.js';
import { useHarness } from '../helpers/harness.js';
import { freshJwt } from '../helpers/jwt.js';

describe('options', () => {
  const harness = useHarness();

  describe('are checked once, with messages that say what was expected and received', () => {
    const cases: [string, unknown, RegExp][] = [
      ['no options', undefined, /`options` must be an object with a `url`, received undefined/],
      [
        'a url that is a number',
        { url: 42 },
        /`url` must be the token endpoint's URL, received the number 42/,
      ],
      [
        'a url on another origin',
        { url: 'https://elsewhere.example/token' },
        /is on https:\/\/elsewhere.example, not the page's origin.*allowCrossOrigin/,
      ],
      [
        'a non-http url',
        { url: 'javascript:alert(1)' },
        /must be http\(s\), received the string "javascript:"/,
      ],
      [
        'a negative timeout',
        { url: '/t', timeout: -1 },
        /`timeout` must be a duration in ms.*received the number -1/,
      ],
      ['a zero timeout', { url: '/t', timeout: 0 }, /`timeout` must be > 0, received the number 0/],
      [
        'a ttl as a string',
        { url: '/t', ttl: '60s' },
        /`ttl` must be a duration.*received the string "60s"/,
      ],
      [
        'a margin ratio of 2',
        { url: '/t', refreshMargin: { ratio: 2 } },
        /`refreshMargin.ratio` must be a fraction/,
      ],
      [
        'min above max',
        { url: '/t', refreshMargin: { min: 10, max: 5 } },
        /`refreshMargin.min` must be ≤ refreshMargin.max \(5\), received the number 10/,
      ],
      [
        'a null margin setting (null is not "use the default")',
        { url: '/t', refreshMargin: { min: null } },
        /`refreshMargin.min` must be a duration in ms.*received null/,
      ],
      [
        'headers that are a number',
        { url: '/t', headers: 5 },
        /`headers` must be headers or a function, received the number 5/,
      ],
      [
        'crossTab that is a string',
        { url: '/t', crossTab: 'yes' },
        /`crossTab` must be true, false or \{ key: string \}, received the string "yes"/,
      ],
      [
        'zero attempts',
        { url: '/t', retry: { attempts: 0 } },
        /`retry.attempts` must be a whole number ≥ 1/,
      ],
      [
        'an unknown credentials mode',
        { url: '/t', credentials: 'always' },
        /`credentials` must be one of omit, same-origin, include/,
      ],
      [
        'a GET with a body',
        { url: '/t', method: 'get', body: {} },
        /`method` must be POST.* when `body` is given, received the string "GET"/,
      ],
      ['parse that is not a function', { url: '/t', parse: 'json' }, /`parse` must be a function/],
    ];
    for (const [name, options, message] of cases) {
      it(`rejects ${name}`, () => {
        let thrown: unknown;
        try {
          createTokenSource(options as TokenSourceOptions);
        } catch (error) {
          thrown = error;
        }
        expect(isWidgetTokenError(thrown, 'invalid_options')).to.equal(true);
        expect((thrown as Error).name).to.equal('ConfigurationError');
        expect((thrown as Error).message)
          .to.match(/^\[widget-token\] /)
          .and.match(message);
      });
    }

    it('rejects an unknown event name and a listener that is not a function', () => {
      const tokens = createTokenSource({ url: '/t' });
      expect(() => tokens.on('tokens' as 'token', () => {})).to.throw(/Unknown event "tokens"/);
      expect(() => tokens.on('token', 'log' as never)).to.throw(/must be a function/);
      tokens.stop();
    });
  });

  it('sends method, JSON body and per-request headers, same-origin credentials, no cache', async () => {
    let csrf = 0;
    const { backend, tokens } = harness.start(() => ({ json: { token: freshJwt(60) } }), {
      body: () => ({ widget: 'dg-chat' }),
      headers: async () => ({ 'X-CSRF-Token': `csrf-${++csrf}` }),
    });
    await tokens.getToken();
    await tokens.refresh();
    const [first, second] = backend.requests;
    expect(first!.method).to.equal('POST');
    expect(first!.headers.get('x-csrf-token')).to.equal('csrf-1');
    expect(second!.headers.get('x-csrf-token')).to.equal('csrf-2');
    expect(first!.headers.get('content-type')).to.match(/application\/json/);
    expect(await first!.json()).to.deep.equal({ widget: 'dg-chat' });
    expect(first!.credentials).to.equal('same-origin');
    expect(first!.cache).to.equal('no-store');
    expect(new URL(first!.url).pathname).to.equal('/token');
  });

  it('reports a headers function that throws as a request error', async () => {
    const { tokens } = harness.start(() => ({ json: { token: freshJwt(60) } }), {
      headers: () => {
        throw new Error('no CSRF cookie');
      },
      retry: { attempts: 1 },
    });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(isWidgetTokenError(error, 'request_failed')).to.equal(true);
    expect(((error as Error).cause as Error).message).to.equal('no CSRF cookie');
  });

  describe("the host's own ky instance", () => {
    it('runs its hooks on token requests: headers before ours, errors seen before we classify', async () => {
      let status = 200;
      const seen: number[] = [];
      const api = ky.create({
        headers: { 'x-app': 'spa' },
        hooks: {
          beforeRequest: [(request) => request.headers.set('x-trace-id', 'trace-1')],
          beforeError: [
            (error) => {
              seen.push(error.response.status);
              return error;
            },
          ],
        },
      });
      const { backend, tokens, events } = harness.start(
        () => (status === 200 ? { json: { token: freshJwt(60) } } : { status }),
        { http: api, headers: () => ({ 'x-csrf-token': 'c1', 'x-app': 'widget-token' }) },
      );
      await tokens.getToken();
      const [first] = backend.requests;
      expect(first!.headers.get('x-trace-id')).to.equal('trace-1');
      expect(first!.headers.get('x-csrf-token')).to.equal('c1');
      // The source's per-request headers win over the instance's defaults.
      expect(first!.headers.get('x-app')).to.equal('widget-token');
      status = 503;
      void tokens.refresh().catch(() => {});
      await harness.clock.tickAsync(0);
      expect(seen).to.deep.equal([503]);
      const [error] = events.filter(([type]) => type === 'error');
      expect((error![1] as { willRetry: boolean }).willRetry, '503 is retried as always').to.equal(
        true,
      );
      status = 401;
      await harness.clock.tickAsync(60_000);
      expect(tokens.phase).to.equal('blocked');
    });

    it('keeps the source in charge of retries and the deadline', async () => {
      const api = ky.create({ retry: 5, timeout: 50 });
      const { backend, tokens } = harness.start(() => ({ status: 500 }), {
        http: api,
        retry: { attempts: 1 },
      });
      await tokens.getToken().catch(() => {});
      expect(backend.requests, "ky's own retries stay off").to.have.length(1);
    });

    it('refuses something that is not a ky instance', () => {
      expect(() => createTokenSource({ url: '/token', http: {} as never })).to.throw(
        /`http` must be a ky instance/,
      );
    });
  });

  it('allows another origin only when asked, still without cookies by default', async () => {
    const { backend, tokens } = harness.start(() => ({ json: { token: freshJwt(60) } }), {
      url: 'https://tokens.example/issue',
      allowCrossOrigin: true,
    });
    await tokens.getToken();
    expect(backend.requests[0]!.url).to.equal('https://tokens.example/issue');
    expect(backend.requests[0]!.credentials).to.equal('same-origin');
  });

  it('refuses an answer that was redirected to another origin', async () => {
    const { tokens } = harness.start(
      () => ({ json: { token: freshJwt(60) }, redirectedTo: 'https://evil.example/token' }),
      { retry: { attempts: 1 } },
    );
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(isWidgetTokenError(error, 'bad_response')).to.equal(true);
    expect((error as Error).message).to.match(
      /redirected to another origin \(https:\/\/evil.example\)/,
    );
    expect(tokens.token).to.equal(undefined);
  });
});
