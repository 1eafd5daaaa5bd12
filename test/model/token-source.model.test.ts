// Model-based tests: random sequences of calls, time jumps, wake-ups and backend answers of every
// class, checked after every step against the rules a host relies on. Fast-check shrinks a failing
// sequence to a short one; seeds that found bugs are kept as plain tests at the end of this file.
import { expect } from 'chai';
import fc from 'fast-check';
import sinon from 'sinon';
import { createTokenSource, type TokenSource, type TokenSourceEvents } from '../../src/index.js';
import { fakeBackend, type FakeBackend, type Reply } from '../helpers/fake-backend.js';
import { DAY, HOUR, MINUTE, NOW, SECOND } from '../helpers/harness.js';
import { makeJwt } from '../helpers/jwt.js';

declare global {
  interface Window {
    /** Sequences per property; the runner page sets it (npm test: a few hundred; test:fuzz: more). */
    MODEL_RUNS?: number;
  }
}
const RUNS = window.MODEL_RUNS ?? 300;

// --- the backend's answer classes ---------------------------------------------------------------

const ANSWERS = [
  'ok',
  'short-lived',
  'expired',
  '401',
  '429',
  '500',
  'network',
  'hang',
  'malformed',
] as const;
type Answer = (typeof ANSWERS)[number];

let issued = 0;
function reply(answer: Answer): Reply {
  const iat = Math.floor(Date.now() / 1000);
  const jwt = (lifetime: number, at = iat) =>
    makeJwt({ sub: 'user-1', iat: at, exp: at + lifetime, n: ++issued });
  switch (answer) {
    case 'ok':
      return { json: { token: jwt(120) } };
    case 'short-lived':
      return { json: { token: jwt(4) } };
    case 'expired':
      return {
        json: { token: jwt(60, iat - 300) },
        headers: { date: new Date().toUTCString() },
      };
    case '401':
      return { status: 401 };
    case '429':
      return { status: 429, headers: { 'retry-after': '20' } };
    case '500':
      return { status: 500 };
    case 'network':
      return { networkError: true };
    case 'hang':
      return { hang: true };
    case 'malformed':
      return { text: '<!doctype html><p>Sign in</p>', contentType: 'text/html' };
  }
}

// --- the system under test and what it did -----------------------------------------------------

interface Request {
  at: number;
  reason: TokenSourceEvents['refreshing']['reason'];
  /** The command during which it started. */
  during: string;
}

interface Real {
  tokens: TokenSource;
  backend: FakeBackend;
  clock: sinon.SinonFakeTimers;
  requests: Request[];
  /** Retries promised by `error` events not yet kept: due by `deadline` (fake clock, ms). */
  promised: { at: number; deadline: number; earliest: number }[];
  /** Tokens the backend issued that may be delivered (not expired on arrival). */
  deliverable: Set<string>;
  calls: Promise<unknown>[];
  /** The command running now, for `reason` checks. */
  command: string;
  /** The last wake event dispatched, and whether the last failure was a network error. */
  wake: string | undefined;
  lastFailureOffline: boolean;
  blocked: boolean;
  stopped: boolean;
  started: boolean;
  violations: string[];
  answer: Answer;
}

/** What the reference model needs to know; the rest is checked against the real source's events. */
interface Model {
  stopped: boolean;
}

function createReal(seed: number): Real {
  // Every random draw of the source comes from the sequence's own seed: a failure replays exactly.
  let state = seed >>> 0;
  sinon.stub(Math, 'random').callsFake(() => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  });
  const clock = sinon.useFakeTimers({ now: NOW, toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const real = {} as Real;
  Object.assign(real, {
    clock,
    requests: [],
    promised: [],
    deliverable: new Set<string>(),
    calls: [],
    command: 'start',
    wake: undefined,
    lastFailureOffline: false,
    blocked: false,
    stopped: false,
    started: false,
    violations: [],
    answer: 'ok' as Answer,
  });
  real.backend = fakeBackend(() => {
    const answer = real.answer;
    const response = reply(answer);
    const token = (response.json as { token?: string } | undefined)?.token;
    if (token && (answer === 'ok' || answer === 'short-lived')) real.deliverable.add(token);
    return response;
  });
  real.tokens = createTokenSource({ url: '/token', crossTab: false });
  const { tokens } = real;
  tokens.on('refreshing', ({ reason }) => {
    const now = Date.now();
    real.requests.push({ at: now, reason, during: real.command });
    if (real.blocked && reason !== 'manual')
      real.violations.push(`a ${reason} request while blocked`);
    // Retries never come earlier than promised, except after `online` ends a network failure.
    const early = real.promised.find((promise) => now < promise.earliest);
    const online = reason === 'wake' && real.wake === 'online' && real.lastFailureOffline;
    if (early && reason !== 'manual' && reason !== 'demand' && !online) {
      real.violations.push(
        `a ${reason} request ${early.earliest - now} ms before the retry promised`,
      );
    }
    real.promised = [];
    const expected: Record<string, string[]> = {
      getToken: ['demand', 'wake'],
      refresh: ['manual'],
      wake: ['wake'],
      advance: ['scheduled', 'retry'],
    };
    const allowed = expected[real.command.split(':')[0]!];
    if (allowed && !allowed.includes(reason)) {
      real.violations.push(`reason ${reason} during ${real.command}`);
    }
    if (reason === 'retry' && tokens.phase !== 'fetching') real.violations.push('phase');
  });
  tokens.on('error', ({ error, willRetry, retryIn }) => {
    const now = Date.now();
    real.lastFailureOffline =
      error.code === 'request_failed' && !('status' in error && error.status);
    if (willRetry) {
      if (typeof retryIn !== 'number') real.violations.push('willRetry without retryIn');
      real.promised.push({ at: now, earliest: now + retryIn!, deadline: now + retryIn! + SECOND });
    } else {
      real.blocked = true;
    }
  });
  tokens.on('token', ({ token, expiresAt }) => {
    if (!real.deliverable.has(token))
      real.violations.push('a token the backend never validly issued');
    if (expiresAt === undefined || expiresAt <= Date.now()) {
      real.violations.push('a token event with an expired token');
    }
    real.blocked = false;
  });
  tokens.on('phase', ({ phase }) => {
    if (phase !== 'backing-off' && phase !== 'fetching') real.promised = [];
  });
  return real;
}

/** The rules checked after every step. */
function checkInvariants(real: Real): void {
  const { tokens } = real;
  const now = Date.now();
  expect(real.violations, 'violations').to.deep.equal([]);
  if (real.stopped) {
    expect(tokens.phase).to.equal('stopped');
    return;
  }
  for (const promise of real.promised) {
    if (now > promise.deadline) {
      expect.fail(
        `a retry promised at ${promise.at - NOW} ms was not made by ${promise.deadline - NOW} ms`,
      );
    }
  }
  if (!real.started) {
    expect(tokens.phase).to.equal('idle');
    return;
  }
  // Never nothing planned: a valid token, a request under way, or one scheduled; blocked aside.
  const planned =
    tokens.token !== undefined || tokens.phase === 'fetching' || tokens.refreshAt !== undefined;
  if (tokens.phase === 'blocked') {
    expect(tokens.refreshAt, 'nothing scheduled while blocked').to.equal(undefined);
  } else {
    expect(planned, `phase ${tokens.phase}: a token, a request or a plan`).to.equal(true);
  }
  if (tokens.phase === 'holding' || tokens.phase === 'backing-off') {
    expect(tokens.refreshAt, `${tokens.phase} has its next request scheduled`).to.be.a('number');
  }
  if (tokens.token !== undefined) expect(tokens.expiresAt).to.be.greaterThan(now);
}

// --- commands ----------------------------------------------------------------------------------

type Command = fc.AsyncCommand<Model, Real>;

async function during(real: Real, name: string, run: () => Promise<void> | void): Promise<void> {
  real.command = name;
  await run();
  // Let the promise chains the step started settle before looking.
  await real.clock.tickAsync(0);
  real.command = 'idle';
  checkInvariants(real);
}

class GetToken implements Command {
  check = (model: Readonly<Model>) => !model.stopped;
  async run(_model: Model, real: Real) {
    await during(real, 'getToken', () => {
      real.started = true;
      const wasBlocked = real.blocked;
      const before = real.requests.length;
      const call = real.tokens.getToken();
      real.calls.push(
        call.then(
          (token) => {
            if (!real.deliverable.has(token)) real.violations.push('getToken gave a bad token');
          },
          () => {},
        ),
      );
      if (wasBlocked && real.tokens.token === undefined && real.requests.length !== before) {
        real.violations.push('getToken() sent a request while blocked');
      }
    });
  }
  toString = () => 'getToken()';
}

class Refresh implements Command {
  check = (model: Readonly<Model>) => !model.stopped;
  async run(_model: Model, real: Real) {
    await during(real, 'refresh', () => {
      real.started = true;
      real.blocked = false;
      real.calls.push(real.tokens.refresh().catch(() => {}));
    });
  }
  toString = () => 'refresh()';
}

class Stop implements Command {
  check = (model: Readonly<Model>) => !model.stopped;
  async run(model: Model, real: Real) {
    model.stopped = true;
    await during(real, 'stop', () => {
      real.tokens.stop();
      real.stopped = true;
    });
    const before = real.backend.requests.length;
    await real.clock.tickAsync(DAY);
    expect(real.backend.requests.length, 'no request after stop()').to.equal(before);
  }
  toString = () => 'stop()';
}

class Advance implements Command {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_model: Model, real: Real) {
    // In steps, so the invariants are checked while time passes, not only at the end.
    const steps = Math.min(20, Math.ceil(this.ms / SECOND));
    for (let i = 0; i < steps; i++) {
      await during(real, 'advance', async () => {
        await real.clock.tickAsync(this.ms / steps);
      });
    }
  }
  toString = () => `advance(${this.ms / SECOND} s)`;
}

class Jump implements Command {
  constructor(readonly ms: number) {}
  check = () => true;
  async run(_model: Model, real: Real) {
    // Sleep: the wall clock moves, timers do not run; a promised retry moves with them.
    real.clock.setSystemTime(Date.now() + this.ms);
    for (const promise of real.promised) {
      promise.deadline += this.ms;
      promise.earliest = Math.min(promise.earliest, Date.now());
    }
    await during(real, 'jump', () => {});
  }
  toString = () => `jump(${this.ms / SECOND} s)`;
}

class Wake implements Command {
  constructor(readonly type: 'focus' | 'online' | 'pageshow' | 'visibilitychange') {}
  check = () => true;
  async run(_model: Model, real: Real) {
    await during(real, `wake:${this.type}`, () => {
      real.wake = this.type;
      const target = this.type === 'visibilitychange' ? document : window;
      target.dispatchEvent(new Event(this.type));
    });
  }
  toString = () => `wake(${this.type})`;
}

class Answers implements Command {
  constructor(readonly answer: Answer) {}
  check = () => true;
  async run(_model: Model, real: Real) {
    real.answer = this.answer;
    await during(real, 'answers', () => {});
  }
  toString = () => `backend answers ${this.answer}`;
}

const commands = [
  fc.constant(new GetToken()),
  fc.constant(new Refresh()),
  fc.constant(new Stop()),
  fc
    .constantFrom(SECOND, 5 * SECOND, 30 * SECOND, MINUTE, 10 * MINUTE, HOUR)
    .map((ms) => new Advance(ms)),
  fc.constantFrom(10 * SECOND, 5 * MINUTE, 2 * HOUR, 3 * DAY).map((ms) => new Jump(ms)),
  fc
    .constantFrom('focus', 'online', 'pageshow', 'visibilitychange' as const)
    .map((type) => new Wake(type)),
  fc.constantFrom(...ANSWERS).map((answer) => new Answers(answer)),
];

async function runSequence(seed: number, sequence: Iterable<Command>): Promise<void> {
  const real = createReal(seed);
  try {
    await fc.asyncModelRun(() => ({ model: { stopped: false }, real }), sequence);
    // Whatever happened, stop() settles every call still waiting.
    real.tokens.stop();
    real.stopped = true;
    await real.clock.tickAsync(0);
    const settled = await Promise.race([
      Promise.all(real.calls).then(() => true),
      new Promise((resolve) => queueMicrotask(() => queueMicrotask(() => resolve(false)))),
    ]);
    expect(settled, 'every getToken()/refresh() settled once stopped').to.equal(true);
  } finally {
    real.tokens.stop();
    real.backend.restore();
    real.clock.restore();
    sinon.restore();
  }
}

describe('token source model', function () {
  this.timeout(0);

  it(`keeps every rule over ${RUNS} random sequences`, async () => {
    let sequences = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer(),
        fc.commands(commands, { maxCommands: 40 }),
        async (seed, sequence) => {
          sequences++;
          await runSequence(seed, sequence);
        },
      ),
      { numRuns: RUNS, verbose: 1 },
    );
    console.log(`model: ${sequences} sequences run`);
  });
});

// Sequences that found bugs, kept as plain tests. Seed 0: the random draws do not matter here.
describe('token source model: sequences that found bugs', () => {
  const cases: [string, Command[]][] = [
    [
      'getToken() after a 401 sends no request (#2)',
      [new Answers('401'), new GetToken(), new GetToken(), new Advance(HOUR), new GetToken()],
    ],
    [
      'a wake-up after sleep is reported as a wake (#3)',
      [new GetToken(), new Jump(2 * HOUR), new Wake('focus')],
    ],
    [
      'after a too-short-lived token the next refresh is scheduled (#3)',
      [new Answers('short-lived'), new GetToken(), new Answers('ok'), new Advance(MINUTE)],
    ],
    [
      'online after a network failure retries at once, focus does not',
      [
        new Answers('network'),
        new GetToken(),
        new Wake('focus'),
        new Answers('ok'),
        new Wake('online'),
      ],
    ],
    [
      'a Retry-After of 20 s is honoured across a sleep',
      [
        new Answers('429'),
        new GetToken(),
        new Jump(10 * SECOND),
        new Wake('pageshow'),
        new Advance(30 * SECOND),
      ],
    ],
  ];
  for (const [name, sequence] of cases) {
    it(name, async () => {
      await runSequence(0, sequence);
    });
  }
});
