// A counterexample the widget model found for Zendesk, kept as a plain test: two recreates, Zendesk
// asks for a JWT, the backend answers 500 for 209 s, then normally for the model's settle time. The
// source draws its refresh margin at random, so the sequence runs with several fixed draws.
import sinon from 'sinon';
import { VENDORS } from '../helpers/vendor-cases.js';
import { runWidgetSequence, type WidgetModelCommand } from './widget-model.js';

const zendeskCase = VENDORS.find((vendor) => vendor.standIn === 'zendesk')!;
const counterexample: WidgetModelCommand[] = [
  { kind: 'recreate' },
  { kind: 'recreate' },
  { kind: 'vendor', event: 'ask' },
  { kind: 'backend', answer: '500' },
  { kind: 'wait', ms: 209_000 },
];

describe('the widget model: Zendesk counterexample [recreate, recreate, ask, 500, wait 209 s]', () => {
  for (const draw of [0, 0.25, 0.5, 0.75, 0.999]) {
    it(`comes back with a valid token (Math.random() = ${draw})`, async function () {
      this.timeout(0);
      const random = sinon.stub(Math, 'random').returns(draw);
      try {
        await runWidgetSequence(zendeskCase, counterexample);
      } finally {
        random.restore();
      }
    });
  }
});
