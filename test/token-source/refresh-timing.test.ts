import { expect } from 'chai';
import sinon from 'sinon';
import { DAY, HOUR, MINUTE, NOW, SECOND, useHarness } from '../helpers/harness.js';
import { freshJwt, makeJwt } from '../helpers/jwt.js';

/** A backend whose clock is the true time: it issues JWS tokens of `lifetime` seconds. */
const issuing =
  (lifetime: number, serverClock = () => Date.now()) =>
  () => ({
    json: { token: freshJwt(lifetime, serverClock() / 1000) },
  });

describe('when a token is refreshed', () => {
  const harness = useHarness();

  it('refreshes once for 50 concurrent callers', async () => {
    const { backend, tokens } = harness.start(() => ({
      json: { token: freshJwt(60) },
      delay: 200,
    }));
    const all = Promise.all(Array.from({ length: 50 }, () => tokens.getToken()));
    await harness.clock.tickAsync(200);
    const received = await all;
    expect(backend.requests).to.have.length(1);
    expect(new Set(received).size).to.equal(1);
    expect(received[0]).to.equal(tokens.token);
  });

  for (const [label, lifetime, margin] of [
    ['a 1-minute token', 60, 12],
    ['a 1-hour token', 3600, 300],
  ] as const) {
    describe(`for ${label}`, () => {
      // Jitter draws up to 10 % of the lifetime, capped at 5 minutes, on top of the margin.
      const jitter = Math.min(lifetime * 0.1, 300);
      for (const random of [0, 0.999]) {
        it(`refreshes inside the margin and before exp (random draw ${random})`, async () => {
          sinon.stub(Math, 'random').returns(random);
          const { backend, tokens } = harness.start(issuing(lifetime));
          await tokens.getToken();
          const expectedAt = (lifetime - margin - random * jitter) * SECOND;
          await harness.clock.tickAsync(expectedAt - 1);
          expect(backend.requests, 'no refresh before the margin').to.have.length(1);
          await harness.clock.tickAsync(1);
          expect(backend.requests, 'refreshed at the margin').to.have.length(2);
          expect(backend.times[1]! - NOW).to.be.lessThan(lifetime * SECOND);
          expect(backend.times[1]! - NOW).to.be.at.least((lifetime - margin - jitter) * SECOND);
        });
      }

      it('delivers each new token before the old one expires, for three lifetimes', async () => {
        const { tokens, events } = harness.start(issuing(lifetime));
        await tokens.getToken();
        await harness.clock.tickAsync(3 * lifetime * SECOND);
        const delivered = events.filter(([type]) => type === 'token');
        expect(delivered.length).to.be.within(4, 5);
        expect(events.some(([type]) => type === 'expired')).to.equal(false);
      });
    });
  }

  describe("uses the token's own lifetime, not the browser clock", () => {
    async function secondRequestDelay(browserOffset: number): Promise<number> {
      sinon.stub(Math, 'random').returns(0.5);
      harness.clock.setSystemTime(NOW + browserOffset);
      // The server's clock is right; the browser's is off by browserOffset.
      const { backend, tokens } = harness.start(issuing(300, () => Date.now() - browserOffset));
      await tokens.getToken();
      await harness.clock.tickAsync(300 * SECOND);
      return backend.times[1]! - backend.times[0]!;
    }

    for (const offset of [2 * HOUR, -2 * HOUR]) {
      it(`refreshes at the same moment with the browser clock ${offset > 0 ? '+' : '−'}2 h off`, async () => {
        const skewed = await secondRequestDelay(offset);
        harness.clock.setSystemTime(NOW);
        expect(skewed).to.equal((300 - 60 - 0.5 * 30) * SECOND);
      });
    }

    it('falls back to the local clock only when neither iat nor a Date header is known', async () => {
      sinon.stub(Math, 'random').returns(0);
      const { tokens } = harness.start(() => ({
        json: { token: makeJwt({ exp: NOW / 1000 + 120 }) },
      }));
      await tokens.getToken();
      expect(tokens.expiresAt).to.equal(NOW + 120 * SECOND);
    });

    it('reads the server time from the Date header when the token has no iat', async () => {
      harness.clock.setSystemTime(NOW + 2 * HOUR);
      const { tokens } = harness.start(() => ({
        json: { token: makeJwt({ exp: NOW / 1000 + 120 }) },
        headers: { date: new Date(NOW).toUTCString() },
      }));
      await tokens.getToken();
      expect(tokens.expiresAt).to.equal(NOW + 2 * HOUR + 120 * SECOND);
    });
  });

  it('makes no request in the first 24.8 days of a 40-day token, then refreshes before exp', async () => {
    const { backend, tokens } = harness.start(issuing(40 * 24 * 3600));
    await tokens.getToken();
    // Past 2^31−1 ms a plain setTimeout would fire at once.
    await harness.clock.tickAsync(2 ** 31 - 1 + MINUTE);
    expect(backend.requests).to.have.length(1);
    await harness.clock.tickAsync(40 * DAY - (2 ** 31 - 1 + MINUTE) - 1);
    expect(backend.requests).to.have.length(2);
    expect(backend.times[1]! - NOW).to.be.at.least(40 * DAY - 10 * MINUTE);
  });

  it('schedules nothing for a token without expiry (viaSocket)', async () => {
    const { backend, tokens } = harness.start(() => ({
      json: { token: makeJwt({ org_id: '1' }) },
    }));
    await tokens.getToken();
    expect(harness.clock.countTimers()).to.equal(0);
    await harness.clock.tickAsync(30 * DAY);
    expect(backend.requests).to.have.length(1);
    expect(tokens.token).to.be.a('string');
  });

  describe('after sleep or a background tab', () => {
    for (const wakeEvent of ['visibilitychange', 'focus', 'pageshow', 'online']) {
      it(`fetches once when ${wakeEvent} follows a 2-hour jump`, async () => {
        const { backend, tokens, events } = harness.start(issuing(3600));
        await tokens.getToken();
        // Sleep: the wall clock moves on, no timer runs.
        harness.clock.setSystemTime(Date.now() + 2 * HOUR);
        const target = wakeEvent === 'visibilitychange' ? document : window;
        target.dispatchEvent(new Event(wakeEvent));
        target.dispatchEvent(new Event(wakeEvent));
        await harness.clock.tickAsync(0);
        expect(backend.requests).to.have.length(2);
        expect(events.filter(([type]) => type === 'expired')).to.have.length(1);
        // The timers that were skipped may fire late now: they must not fetch again.
        await harness.clock.tickAsync(10 * MINUTE);
        expect(backend.requests).to.have.length(2);
        expect(tokens.token).to.be.a('string');
      });
    }

    it('does nothing on wake-up when no refresh is due', async () => {
      const { backend, tokens } = harness.start(issuing(3600));
      await tokens.getToken();
      await harness.clock.tickAsync(10 * MINUTE);
      window.dispatchEvent(new Event('focus'));
      await harness.clock.tickAsync(0);
      expect(backend.requests).to.have.length(1);
    });
  });

  describe('when the backend hands out tokens that are too short-lived', () => {
    /** Gaps between consecutive requests, in seconds. */
    const gaps = (times: number[]) => times.slice(1).map((time, i) => (time - times[i]!) / SECOND);

    it('bounds the request rate and names the likely cause', async () => {
      sinon.stub(Math, 'random').returns(0.5);
      const { backend, tokens, events } = harness.start(issuing(3));
      await tokens.getToken();
      await harness.clock.tickAsync(10 * MINUTE);
      // Refreshing at the margin would ask every 1.35 s (about 440 requests in 10 minutes);
      // backoff doubles the gap up to the 60 s cap (30 s with this draw).
      expect(backend.requests.length).to.be.within(5, 30);
      expect(Math.min(...gaps(backend.times).slice(-5))).to.be.at.least(30);
      const errors = events.filter(([type]) => type === 'error');
      expect(errors.length).to.be.greaterThan(0);
      expect(String((errors[0]![1] as { error: Error }).error.message)).to.match(
        /TTL too short, or the server's clock/,
      );
    });

    it('does not loop on tokens that arrive already expired', async () => {
      sinon.stub(Math, 'random').returns(0.5);
      const { backend, tokens } = harness.start(() => ({
        json: { token: makeJwt({ iat: Date.now() / 1000 - 120, exp: Date.now() / 1000 - 60 }) },
        headers: { date: new Date().toUTCString() },
      }));
      tokens.getToken().catch(() => {});
      await harness.clock.tickAsync(10 * MINUTE);
      expect(backend.requests.length).to.be.within(5, 30);
      expect(Math.min(...gaps(backend.times).slice(-5))).to.be.at.least(30);
      expect(tokens.token).to.equal(undefined);
    });
  });
});
