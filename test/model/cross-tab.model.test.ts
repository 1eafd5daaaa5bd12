// Model-based tests across tabs: two sources sharing one key (each as a tab would run it: they share
// nothing but the browser's Web Locks and BroadcastChannel), random calls, time and backend answers.
// Slower than the single-tab model, since every step lets the browser's lock and message tasks run.
import { expect } from 'chai';
import fc from 'fast-check';
import sinon from 'sinon';
import { createTokenSource, type TokenSource } from '../../src/index.js';
import { fakeBackend, type FakeBackend, type Reply } from '../helpers/fake-backend.js';
import { browserTask } from '../helpers/browser-tasks.js';
import { MINUTE, NOW, SECOND } from '../helpers/harness.js';
import { makeJwt } from '../helpers/jwt.js';

const RUNS = Math.max(20, Math.round((window.MODEL_RUNS ?? 300) / 3));
// Peers adopt another tab's backoff and wake up to 1 s after it.
const PEER_STAGGER = SECOND;

const ANSWERS = ['ok', 'short-lived', '401', '500', 'network', 'malformed'] as const;
type Answer = (typeof ANSWERS)[number];

let issued = 0;
function reply(answer: Answer): Reply {
  const iat = Math.floor(Date.now() / 1000);
  const jwt = (lifetime: number) => makeJwt({ sub: 'u', iat, exp: iat + lifetime, n: ++issued });
  if (answer === 'ok') return { json: { token: jwt(60) } };
  if (answer === 'short-lived') return { json: { token: jwt(4) } };
  if (answer === '401') return { status: 401 };
  if (answer === '500') return { status: 500 };
  if (answer === 'network') return { networkError: true };
  return { text: '<html>', contentType: 'text/html' };
}

interface Tabs {
  sources: TokenSource[];
  backend: FakeBackend;
  clock: sinon.SinonFakeTimers;
  answer: Answer;
  deliverable: Set<string>;
  /** Requests by fake time, from any tab. */
  requests: number[];
  promised: { at: number; deadline: number }[];
  violations: string[];
  started: boolean[];
  stopped: boolean[];
}

/**
 * Lets the browser finish what the last step started (lock grants, messages) before fake time moves
 * on: every answer in this model is immediate, so a tab still `fetching` is waiting on the browser.
 */
async function browserSettles(tabs?: Tabs): Promise<void> {
  for (let i = 0; i < 6; i++) await browserTask();
  for (let i = 0; i < 2000 && tabs?.sources.some((source) => source.phase === 'fetching'); i++) {
    await browserTask();
  }
}

function check(tabs: Tabs): void {
  expect(tabs.violations).to.deep.equal([]);
  const now = Date.now();
  for (const promise of tabs.promised) {
    if (now > promise.deadline) {
      expect.fail(
        `a retry promised at ${promise.at - NOW} ms was not made by any tab by ${promise.deadline - NOW} ms`,
      );
    }
  }
  tabs.sources.forEach((source, i) => {
    if (!tabs.started[i] || tabs.stopped[i] || source.phase === 'blocked') return;
    const planned =
      source.token !== undefined || source.phase === 'fetching' || source.refreshAt !== undefined;
    expect(planned, `tab ${i} in ${source.phase}: a token, a request or a plan`).to.equal(true);
  });
}

type Command = fc.AsyncCommand<object, Tabs>;

async function step(tabs: Tabs, run: () => unknown): Promise<void> {
  await run();
  await browserSettles(tabs);
  await tabs.clock.tickAsync(0);
  await browserSettles(tabs);
  check(tabs);
}

class Call implements Command {
  constructor(
    readonly tab: number,
    readonly method: 'getToken' | 'refresh',
  ) {}
  check = () => true;
  async run(_: object, tabs: Tabs) {
    if (tabs.stopped[this.tab]) return;
    await step(tabs, () => {
      tabs.started[this.tab] = true;
      void tabs.sources[this.tab]![this.method]().catch(() => {});
    });
  }
  toString = () => `tab ${this.tab}: ${this.method}()`;
}

class Advance implements Command {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_: object, tabs: Tabs) {
    for (let elapsed = 0; elapsed < this.ms; elapsed += 500) {
      await step(tabs, () => tabs.clock.tickAsync(500));
    }
  }
  toString = () => `advance(${this.ms / SECOND} s)`;
}

class Answers implements Command {
  constructor(readonly answer: Answer) {}
  check = () => true;
  async run(_: object, tabs: Tabs) {
    tabs.answer = this.answer;
  }
  toString = () => `backend answers ${this.answer}`;
}

const commands = [
  fc
    .tuple(fc.constantFrom(0, 1), fc.constantFrom('getToken' as const, 'refresh' as const))
    .map(([tab, method]) => new Call(tab, method)),
  fc.constantFrom(SECOND, 5 * SECOND, 20 * SECOND, MINUTE).map((ms) => new Advance(ms)),
  fc.constantFrom(...ANSWERS).map((answer) => new Answers(answer)),
];

async function runTabs(sequence: Iterable<Command>): Promise<void> {
  const clock = sinon.useFakeTimers({ now: NOW, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const tabs: Tabs = {
    sources: [],
    clock,
    answer: 'ok',
    deliverable: new Set(),
    requests: [],
    promised: [],
    violations: [],
    started: [false, false],
    stopped: [false, false],
  } as unknown as Tabs;
  tabs.backend = fakeBackend(() => {
    tabs.requests.push(Date.now());
    // A request by any tab keeps every promise made so far.
    tabs.promised = [];
    const response = reply(tabs.answer);
    const token = (response.json as { token?: string } | undefined)?.token;
    if (token) tabs.deliverable.add(token);
    return response;
  });
  const crossTab = { key: crypto.randomUUID() };
  for (let i = 0; i < 2; i++) {
    const source = createTokenSource({ url: '/token', crossTab });
    source.on('token', ({ token, expiresAt }) => {
      if (!tabs.deliverable.has(token))
        tabs.violations.push(`tab ${i}: a token never validly issued`);
      if (expiresAt === undefined || expiresAt <= Date.now()) {
        tabs.violations.push(`tab ${i}: an expired token delivered`);
      }
    });
    source.on('error', ({ willRetry, retryIn }) => {
      if (!willRetry) return;
      const now = Date.now();
      // The promise is kept by whichever tab takes the lock first; peers wake a little later.
      tabs.promised.push({ at: now, deadline: now + retryIn! + SECOND + PEER_STAGGER });
    });
    tabs.sources.push(source);
  }
  try {
    await fc.asyncModelRun(() => ({ model: {}, real: tabs }), sequence);
  } finally {
    for (const source of tabs.sources) source.stop();
    tabs.backend.restore();
    clock.restore();
    await browserSettles();
  }
}

describe('token source model, two tabs', function () {
  this.timeout(0);

  it(`keeps every rule over ${RUNS} random sequences`, async () => {
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 25 }), async (sequence) => {
        sequences++;
        sinon.stub(Math, 'random').returns(0.5);
        try {
          await runTabs(sequence);
        } catch (error) {
          // fast-check reports the sequence; the rule that broke is in this message.
          console.error(`${String(sequence)}: ${(error as Error).message}`);
          throw error;
        } finally {
          sinon.restore();
        }
      }),
      { numRuns: RUNS, verbose: 1 },
    );
    console.log(`two-tab model: ${sequences} sequences run`);
  });
});

// Sequences that found bugs (or, for a mutation that reintroduced bug #1, found it again).
describe('token source model, two tabs: sequences that found bugs', () => {
  const cases: [string, Command[]][] = [
    [
      'a failed refresh() while the token is fresh is retried (#1)',
      [
        new Call(0, 'getToken'),
        new Answers('500'),
        new Call(0, 'refresh'),
        new Answers('ok'),
        new Advance(5 * SECOND),
      ],
    ],
    [
      'a too-short-lived token is refreshed, not left without a plan',
      [new Call(0, 'getToken'), new Answers('short-lived'), new Advance(MINUTE)],
    ],
    [
      'model find: a token fetched later replaces one that expires later (after refresh())',
      [
        new Call(1, 'getToken'),
        new Answers('500'),
        new Call(0, 'refresh'),
        new Answers('short-lived'),
        new Advance(20 * SECOND),
      ],
    ],
    [
      "model find: a refresh() that fails continues the origin's backoff, not its own",
      [
        new Answers('500'),
        new Call(1, 'getToken'),
        new Advance(20 * SECOND),
        new Call(0, 'refresh'),
        new Advance(20 * SECOND),
      ],
    ],
    [
      'model find: a failure older than another tab’s request no longer holds that tab back',
      [
        new Answers('401'),
        new Call(0, 'refresh'),
        new Answers('malformed'),
        new Call(1, 'refresh'),
        new Advance(MINUTE),
      ],
    ],
    [
      'a 401 in one tab, then a refresh() in the other',
      [
        new Call(0, 'getToken'),
        new Answers('401'),
        new Call(1, 'refresh'),
        new Answers('ok'),
        new Call(0, 'refresh'),
        new Advance(MINUTE),
      ],
    ],
  ];
  for (const [name, sequence] of cases) {
    it(name, async () => {
      sinon.stub(Math, 'random').returns(0.5);
      try {
        await runTabs(sequence);
      } finally {
        sinon.restore();
      }
    });
  }
});
