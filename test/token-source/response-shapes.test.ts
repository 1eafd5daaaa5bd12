import { expect } from 'chai';
import sinon from 'sinon';
import { createTokenSource, isWidgetTokenError, type TokenSource } from '../../src/index.js';
import { fakeBackend, type FakeBackend, type Reply } from '../helpers/fake-backend.js';
import { freshJwt, makeJwe, makeJwt } from '../helpers/jwt.js';
import { NOW } from '../helpers/harness.js';
import { MALFORMED_ANSWERS, SECRETISH } from '../helpers/malformed-answers.js';

const OPAQUE = 'opaque_token-0123456789';

describe('reading the token endpoint', () => {
  let clock: sinon.SinonFakeTimers;
  let backend: FakeBackend | undefined;
  let tokens: TokenSource | undefined;

  beforeEach(() => {
    clock = sinon.useFakeTimers({ now: NOW, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  });
  afterEach(() => {
    tokens?.stop();
    backend?.restore();
    clock.restore();
  });

  async function receive(reply: Reply, options: { ttl?: number } = {}) {
    backend = fakeBackend(() => reply);
    tokens = createTokenSource({
      url: '/token',
      retry: { attempts: 1 },
      crossTab: false,
      ...options,
    });
    const result = tokens.getToken().then(
      (token) => ({ token, error: undefined }),
      (error: unknown) => ({ token: undefined, error }),
    );
    await clock.tickAsync(0);
    return result;
  }

  describe('accepts every documented shape', () => {
    const jws = freshJwt(60, NOW / 1000);
    const cases: {
      name: string;
      reply: () => Reply;
      token: string;
      expiresAt: number | undefined;
    }[] = [
      {
        name: '{ token } with a JWS',
        reply: () => ({ json: { token: jws } }),
        token: jws,
        expiresAt: NOW + 60_000,
      },
      {
        name: '{ token, expiresIn } (seconds)',
        reply: () => ({ json: { token: OPAQUE, expiresIn: 90 } }),
        token: OPAQUE,
        expiresAt: NOW + 90_000,
      },
      {
        name: '{ token, expiresAt } in epoch seconds',
        reply: () => ({ json: { token: OPAQUE, expiresAt: NOW / 1000 + 120 } }),
        token: OPAQUE,
        expiresAt: NOW + 120_000,
      },
      {
        name: '{ token, expiresAt } in epoch ms',
        reply: () => ({ json: { token: OPAQUE, expiresAt: NOW + 130_000 } }),
        token: OPAQUE,
        expiresAt: NOW + 130_000,
      },
      {
        name: '{ token, expiresAt } as an ISO date',
        reply: () => ({
          json: { token: OPAQUE, expiresAt: new Date(NOW + 140_000).toISOString() },
        }),
        token: OPAQUE,
        expiresAt: NOW + 140_000,
      },
      {
        name: '{ access_token, expires_in }',
        reply: () => ({ json: { access_token: OPAQUE, expires_in: 150 } }),
        token: OPAQUE,
        expiresAt: NOW + 150_000,
      },
      {
        name: '{ token, expires_at } in epoch seconds written as a string',
        reply: () => ({ json: { token: OPAQUE, expires_at: String(NOW / 1000 + 160) } }),
        token: OPAQUE,
        expiresAt: NOW + 160_000,
      },
      {
        name: '{ token, expiresIn } in seconds written as a string',
        reply: () => ({ json: { token: OPAQUE, expiresIn: '170' } }),
        token: OPAQUE,
        expiresAt: NOW + 170_000,
      },
      {
        name: 'a text/plain body that is the token',
        reply: () => ({ text: `${jws}\n`, contentType: 'text/plain; charset=utf-8' }),
        token: jws,
        expiresAt: NOW + 60_000,
      },
      {
        name: 'a JWS without exp (viaSocket): no expiry',
        reply: () => ({ json: { token: makeJwt({ org_id: '1', user_id: 'u' }) } }),
        token: makeJwt({ org_id: '1', user_id: 'u' }),
        expiresAt: undefined,
      },
      {
        // Standard base64 (+ / =), as Agora issues an AccessToken2: accepted as it is.
        name: 'an opaque token in standard base64 with expiresIn (Agora)',
        reply: () => ({ json: { token: '007eJxTYBB+a/Nz/w==', expiresIn: 60 } }),
        token: '007eJxTYBB+a/Nz/w==',
        expiresAt: NOW + 60_000,
      },
      {
        name: 'a JWE with expiresIn (iAdvize)',
        reply: () => ({ json: { token: makeJwe(), expiresIn: 60 } }),
        token: makeJwe(),
        expiresAt: NOW + 60_000,
      },
    ];
    for (const { name, reply, token, expiresAt } of cases) {
      it(name, async () => {
        const result = await receive(reply());
        expect(result.error).to.equal(undefined);
        expect(result.token).to.equal(token);
        expect(tokens!.token).to.equal(token);
        expect(tokens!.expiresAt).to.equal(expiresAt);
      });
    }

    it('an opaque token takes its lifetime from the ttl option', async () => {
      await receive({ json: { token: OPAQUE } }, { ttl: 45_000 });
      expect(tokens!.expiresAt).to.equal(NOW + 45_000);
    });

    it('the earlier of the JWT exp and the response expiresIn wins', async () => {
      await receive({ json: { token: freshJwt(300, NOW / 1000), expiresIn: 100 } });
      expect(tokens!.expiresAt).to.equal(NOW + 100_000);
    });
  });

  describe('rejects malformed answers with a TokenResponseError that does not quote the token', () => {
    const cases = MALFORMED_ANSWERS;
    const secretish = SECRETISH;
    for (const { name, reply, message } of cases) {
      it(name, async () => {
        const delivered = sinon.spy();
        const result = await receive(reply);
        tokens!.on('token', delivered);
        expect(isWidgetTokenError(result.error, 'bad_response'), String(result.error)).to.equal(
          true,
        );
        const error = result.error as Error;
        expect(error.name).to.equal('TokenResponseError');
        expect(error.message).to.match(message);
        expect(error.message).not.to.contain(secretish);
        expect(tokens!.token).to.equal(undefined);
        expect(delivered.called).to.equal(false);
      });
    }
  });

  it('a token already expired on arrival is not delivered and names the likely cause', async () => {
    // The Date header says the server's now is after exp: a cached token.
    const result = await receive({
      json: { token: makeJwt({ iat: NOW / 1000 - 120, exp: NOW / 1000 - 60 }) },
      headers: { date: new Date(NOW).toUTCString() },
    });
    expect(isWidgetTokenError(result.error, 'bad_response')).to.equal(true);
    expect((result.error as Error).message).to.match(
      /already expired.*server's clock, or a cached token/,
    );
    expect(tokens!.token).to.equal(undefined);
  });

  it('a parse hook reads a custom shape, and its result is validated like any other', async () => {
    backend = fakeBackend(() => ({ json: { data: { jwt: OPAQUE, ttl: 30 } } }));
    tokens = createTokenSource({
      url: '/token',
      crossTab: false,
      parse: (body) => {
        const { data } = body as { data: { jwt: string; ttl: number } };
        return { token: data.jwt, expiresIn: data.ttl };
      },
    });
    expect(await tokens.getToken()).to.equal(OPAQUE);
    expect(tokens.expiresAt).to.equal(NOW + 30_000);

    tokens.stop();
    tokens = createTokenSource({
      url: '/token',
      retry: { attempts: 1 },
      crossTab: false,
      parse: () => 'bad token!',
    });
    const error = await tokens.getToken().catch((e: unknown) => e);
    expect(isWidgetTokenError(error, 'bad_response')).to.equal(true);
  });
});
