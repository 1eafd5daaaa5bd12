import { expect } from 'chai';
import sinon from 'sinon';
import { MALFORMED_ANSWERS } from '../helpers/malformed-answers.js';
import { MINUTE, SECOND, useHarness } from '../helpers/harness.js';

// Every unusable answer, answered forever: the source must report it, deliver nothing, and back
// off instead of asking in a loop. (What each error says is pinned in response-shapes.test.ts.)
describe('bad input from the token endpoint never causes a request loop', () => {
  const harness = useHarness();
  const cases = [
    ...MALFORMED_ANSWERS,
    { name: 'a body that never ends', reply: { endlessBody: true } },
    { name: 'a request that never answers', reply: { hang: true } },
  ];

  for (const { name, reply } of cases) {
    it(name, async () => {
      sinon.stub(Math, 'random').returns(0.5);
      const { backend, tokens, events } = harness.start(() => reply);
      const delivered = sinon.spy();
      tokens.on('token', delivered);
      tokens.getToken().catch(() => {});
      await harness.clock.tickAsync(10 * MINUTE);
      // Backoff 0.5 s, 1 s, 2 s, … capped at 30 s with this draw (plus 10 s per hanging request):
      // about 25 requests in 10 minutes, where a loop would make thousands.
      expect(backend.requests.length).to.be.within(2, 30);
      const gaps = backend.times.slice(1).map((time, i) => (time - backend.times[i]!) / SECOND);
      expect(Math.min(...gaps.slice(-3))).to.be.at.least(30);
      expect(delivered.called).to.equal(false);
      expect(tokens.token).to.equal(undefined);
      expect(events.filter(([type]) => type === 'error').length).to.equal(backend.requests.length);
    });
  }
});
