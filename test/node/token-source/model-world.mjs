// The world and the model behind transition.model.test.mjs (and the named bug tests).
// The token source's decisions, model-tested in Node: random sequences of calls, time, sleep,
// wake-ups, backend answers and other tabs' tokens and failures drive the pure `transition`
// function; a small world plays the shell (timers, the request, waiting callers). After every
// step the source is checked against the model's OWN expectations: its own count of consecutive
// failures, the delay the seeded draws must give, the refresh time from the full lifetime, the
// tokens a tab may hold. Never against the source's own promises (its `retryIn`, its `dueAt`).
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initialState, phaseOf, transition } from '../.pure/transition.mjs';
import {
  TokenRequestError,
  TokenResponseError,
  TokenTimeoutError,
  UnauthorizedError,
} from '../.pure/errors.mjs';

const RUNS = Number(process.env.MODEL_RUNS ?? 10_000);
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const URL = 'https://app.example/token';
const TIMEOUT = 10 * SECOND;
// More requests than this at one fake instant is a flood: fail at once, with the sequence.
const MAX_REQUESTS_PER_INSTANT = 3;

export const POLICY = {
  url: URL,
  refreshMargin: { ratio: 0.2, min: 5 * SECOND, max: 5 * MINUTE, jitter: 0.1 },
  retry: { attempts: 3, baseDelay: SECOND, maxDelay: MINUTE, maxRetryAfter: 10 * MINUTE },
};

// --- the model's own arithmetic, written from the documentation, not from the code ------------

/** Backoff for failure number n (1 for the first): full jitter up to base·2^(n−1), capped. */
export function expectedDelay(n, draw, retryAfter = 0) {
  const { baseDelay, maxDelay, maxRetryAfter } = POLICY.retry;
  const ceiling = Math.min(maxDelay, baseDelay * 2 ** (n - 1));
  return Math.max(Math.max(100, draw * ceiling), Math.min(retryAfter, maxRetryAfter));
}

/** When a token of full `lifetime` that expires at `expiresAt`, received at `now`, is refreshed. */
export function expectedRefreshAt({ now, expiresAt, lifetime }, streak, [marginDraw, backoffDraw]) {
  // A token without expiry is valid until stop(): nothing to refresh.
  if (expiresAt === undefined) return { refreshAt: undefined, tooShort: false };
  const { ratio, min, max, jitter } = POLICY.refreshMargin;
  const margin =
    Math.min(max, lifetime / 2, Math.max(min, lifetime * ratio)) +
    marginDraw * Math.min(jitter * lifetime, max);
  const atMargin = expiresAt - margin;
  if (expiresAt - now >= 2 * min) return { refreshAt: atMargin, tooShort: false };
  return {
    refreshAt: Math.max(atMargin, now + expectedDelay(streak, backoffDraw)),
    tooShort: true,
  };
}

/** A token held and valid at `now`: not lapsed, and without expiry or before it. */
const validAt = (token, now) =>
  Boolean(token) && !token.expired && (token.expiresAt === undefined || now < token.expiresAt);
/** A token with an expiry that `now` has reached. */
const pastExpiry = (token, now) => token.expiresAt !== undefined && token.expiresAt <= now;

export function seeded(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// --- the backend ---------------------------------------------------------------------------------

export const ANSWERS = [
  'ok',
  'used', // a token that arrives with part of its lifetime gone (a cache, a slow proxy)
  'short-lived',
  'expired',
  '401',
  '403',
  '404',
  '429',
  '500',
  'network',
  'hang',
  'malformed',
  'no-expiry', // a token that says nothing of its expiry (and no ttl option): valid until stop()
];
const LATENCY = 200;

/** What the request sent at `startedAt` ends with, and when. */
export function answerFor(answer, startedAt, n) {
  const token = (lifetime, used = 0) => ({
    type: 'fetched',
    token: {
      token: `token-${n}`,
      fetchedAt: startedAt,
      expiresAt: startedAt + lifetime - used,
      lifetime,
    },
  });
  const failed = (error) => ({ type: 'failed', error, startedAt });
  switch (answer) {
    case 'ok':
      return [LATENCY, token(2 * MINUTE)];
    case 'used':
      return [LATENCY, token(10 * MINUTE, 7 * MINUTE)];
    case 'short-lived':
      return [LATENCY, token(4 * SECOND)];
    case 'expired':
      return [LATENCY, token(MINUTE, 2 * MINUTE)];
    case '401':
    case '403':
      return [LATENCY, failed(new UnauthorizedError(Number(answer), URL))];
    case '404':
      return [LATENCY, failed(new TokenRequestError('not found', { status: 404 }))];
    case '429':
      return [
        LATENCY,
        failed(new TokenRequestError('slow down', { status: 429, retryAfter: 20 * SECOND })),
      ];
    case '500':
      return [LATENCY, failed(new TokenRequestError('down', { status: 500 }))];
    case 'network':
      return [LATENCY, failed(new TokenRequestError('offline'))];
    case 'hang':
      return [TIMEOUT, failed(new TokenTimeoutError(URL, TIMEOUT))];
    case 'malformed':
      return [LATENCY, failed(new TokenResponseError('not a token'))];
    case 'no-expiry':
      return [
        LATENCY,
        {
          type: 'fetched',
          token: {
            token: `token-${n}`,
            fetchedAt: startedAt,
            expiresAt: undefined,
            lifetime: undefined,
          },
        },
      ];
  }
}

// --- the world: the shell's part, played by the test ---------------------------------------------

export function createWorld(seed, policy = POLICY) {
  const random = seeded(seed);
  const world = {
    random: seeded(~seed),
    state: initialState(policy),
    now: NOW,
    alarmAt: undefined,
    expiryAt: undefined,
    inFlight: undefined,
    answer: 'ok',
    issued: 0,
    /** Tokens the backend issued validly, by token. */
    issued_: new Map(),
    callers: [],
    waiting: [],
    sendsAt: new Map(),
    started: 0,
    published: [],
    lockElsewhere: false,
    lockWaiting: false,
    peerFailure: undefined,
    log: [],
    // The model's own bookkeeping.
    model: {
      failures: 0,
      shortLived: 0,
      blocked: false,
      stopped: false,
      /** Failed attempts since the oldest waiting caller began to wait. */
      waitedFailures: 0,
      newestHeld: undefined,
    },
  };

  /** Every caller gets a token, or an error that says why. */
  const settled = (result) => {
    const ok =
      typeof result?.token === 'string' ||
      (typeof result?.error?.code === 'string' &&
        result.error.message.startsWith('[widget-token] '));
    if (!ok) throw new Error(`a caller settled with ${JSON.stringify(result)}`);
  };

  /** One input through the transition, its effects run, and the model's checks applied. */
  world.dispatch = (input, caller) => {
    const draws = [];
    const before = world.state;
    world.alarmBefore =
      input.type === 'due' && input.cause === 'timer' ? world.firedAlarm : world.alarmAt;
    const { state, effects } = transition(before, input, world.now, () => {
      const value = random();
      draws.push(value);
      return value;
    });
    world.state = state;
    world.log.push(
      `${(world.now - NOW) / SECOND}s ${input.type}${input.cause ? `:${input.cause}` : ''}`,
    );
    const follow = [];
    for (const effect of effects) {
      switch (effect.type) {
        case 'alarm':
          world.alarmAt = effect.at;
          break;
        case 'expiry':
          world.expiryAt = effect.at;
          break;
        case 'start':
          world.started += 1;
          if (world.lockElsewhere) world.lockWaiting = true;
          else {
            follow.push({ type: 'lock-held', peerFailure: world.peerFailure });
            world.peerFailure = undefined;
          }
          break;
        case 'publish':
          world.published.push(effect.outcome);
          break;
        case 'send': {
          const count = (world.sendsAt.get(world.now) ?? 0) + 1;
          world.sendsAt.set(world.now, count);
          if (count > MAX_REQUESTS_PER_INSTANT) {
            throw new Error(`${count} requests at one instant: a flood`);
          }
          const [latency, outcome] = answerFor(world.answer, world.now, ++world.issued);
          world.inFlight = { respondAt: world.now + latency, outcome, answer: world.answer };
          break;
        }
        case 'abort':
          world.inFlight = undefined;
          break;
        case 'answer':
          caller.result = effect.result;
          settled(effect.result);
          break;
        case 'wait':
          world.waiting.push(caller);
          break;
        case 'settle':
          settled(effect.result);
          for (const waiting of world.waiting) waiting.result = effect.result;
          world.waiting = [];
          break;
      }
    }
    check(world, before, input, effects, draws);
    for (const next of follow) world.dispatch(next);
  };

  world.call = (type) => {
    world.model.started = true;
    const caller = { type, result: undefined, at: world.now };
    world.callers.push(caller);
    world.dispatch({ type }, caller);
    return caller;
  };

  /** Runs time forward to `until`, firing what falls due in order, as timers would. */
  world.runUntil = (until) => {
    for (let guard = 0; ; guard++) {
      if (guard > 1000) throw new Error('more than 1000 timer firings in one step');
      const due = [
        world.inFlight && [world.inFlight.respondAt, 'response'],
        world.expiryAt !== undefined && [world.expiryAt, 'expiry'],
        world.alarmAt !== undefined && [world.alarmAt, 'alarm'],
      ]
        .filter(Boolean)
        .filter(([at]) => at <= until)
        .sort((a, b) => a[0] - b[0])[0];
      if (!due) break;
      world.now = Math.max(world.now, due[0]);
      if (due[1] === 'response') {
        const { outcome } = world.inFlight;
        world.inFlight = undefined;
        world.dispatch(outcome);
      } else if (due[1] === 'expiry') {
        world.expiryAt = undefined;
        world.dispatch({ type: 'expired' });
      } else {
        world.firedAlarm = world.alarmAt;
        world.alarmAt = undefined;
        world.dispatch({ type: 'due', cause: 'timer' });
      }
    }
    world.now = Math.max(world.now, until);
  };
  return world;
}

// --- the checks: the model's expectations --------------------------------------------------------

const emitted = (effects, event) =>
  effects.filter((effect) => effect.type === 'emit' && effect.event === event);

function check(world, before, input, effects, draws) {
  const { state, model, now } = world;
  const fail = (message) => assert.fail(`${message}\n  steps: ${world.log.join(' → ')}`);

  if (model.stopped) {
    if (effects.some((e) => !['answer'].includes(e.type)))
      fail(`effects after stop(): ${JSON.stringify(effects.map((e) => e.type))}`);
    return;
  }
  if (input.type === 'stop') {
    model.stopped = true;
    const broadcast = effects.some((e) => e.type === 'broadcast-logout');
    if (broadcast !== (input.logout && input.broadcast)) fail('logout broadcast');
    if (!effects.some((e) => e.type === 'close')) fail('listeners and channel not closed');
    if (Boolean(before.request) !== effects.some((e) => e.type === 'abort')) fail('not aborted');
    if (world.alarmAt !== undefined || world.expiryAt !== undefined)
      fail('a timer left after stop()');
    if (world.inFlight) fail('a request left running after stop()');
    if (world.waiting.length) fail('a caller left waiting after stop()');
    if (phaseOf(state) !== 'stopped') fail('not stopped');
    const last = effects.at(-1);
    if (last?.type !== 'emit' || last.event !== 'stopped') fail('`stopped` is not the last event');
    return;
  }

  const started = effects.some((e) => e.type === 'start');
  const refreshing = emitted(effects, 'refreshing')[0]?.payload;
  if (started !== Boolean(refreshing))
    fail('a request started without `refreshing`, or the reverse');
  const validBefore = validAt(before.token, now) ? before.token : undefined;
  const answer = effects.find((e) => e.type === 'answer');

  // What each input must do, by the model's own reckoning.
  if (input.type === 'demand') {
    if (validBefore) {
      if (answer?.result.token !== validBefore.token || started)
        fail('a valid token not given at once');
    } else if (model.blocked) {
      if (answer?.result.error?.code !== 'unauthorized' && !answer?.result.error)
        fail('blocked: no error at once');
      if (started) fail('a request while blocked');
    } else if (answer) fail('a caller answered without a valid token');
    else if (!before.request) {
      const overdue = world.alarmBefore !== undefined && now >= world.alarmBefore;
      const expected = world.alarmBefore === undefined ? 'demand' : overdue ? 'wake' : undefined;
      if (refreshing?.reason !== expected)
        fail(`getToken(): reason ${refreshing?.reason}, expected ${expected}`);
    } else if (started) fail('a second request while one is under way');
  }
  if (input.type === 'refresh') {
    if (answer) fail('refresh() answered before a new token');
    if (!before.request && refreshing?.reason !== 'manual') fail('refresh() did not request');
    if (before.request && started) fail('a second request while one is under way');
  }
  if (input.type === 'due') {
    const idle = !before.request && !model.blocked;
    const overdue = world.alarmBefore !== undefined && now >= world.alarmBefore;
    const online =
      input.cause === 'online' && before.activity === 'backing-off' && model.lastOffline;
    let expected;
    if (idle && online) expected = 'wake';
    else if (idle && overdue) {
      expected =
        input.cause !== 'timer'
          ? 'wake'
          : before.activity === 'backing-off'
            ? 'retry'
            : 'scheduled';
    }
    if (refreshing?.reason !== expected)
      fail(`due:${input.cause}: reason ${refreshing?.reason}, expected ${expected}`);
  }
  if (refreshing && before.request) fail('a request while one is under way');
  // A token past its expiry lapses at the first input that sees it, with its own expiry.
  const lapsed = emitted(effects, 'expired');
  const shouldLapse =
    before.token && !before.token.expired && pastExpiry(before.token, now) && input.type !== 'stop';
  if (Boolean(shouldLapse) !== (lapsed.length === 1))
    fail('expiry not reported, or reported early');
  if (lapsed.length && lapsed[0].payload.expiredAt !== before.token.expiresAt) fail('expiredAt');

  // Every request announces itself, with the model's own attempt number.
  for (const { payload } of emitted(effects, 'refreshing')) {
    if (payload.attempt !== model.failures + 1) {
      fail(
        `attempt ${payload.attempt}, expected ${model.failures + 1} (failures not counted or not reset)`,
      );
    }
    if (model.blocked && payload.reason !== 'manual')
      fail(`a ${payload.reason} request while blocked`);
    // refresh() is the way out of a block.
    if (payload.reason === 'manual') model.blocked = false;
  }

  const errors = emitted(effects, 'error');
  for (const { payload } of emitted(effects, 'token')) {
    if (payload.token !== state.token?.token || payload.expiresAt !== state.token.expiresAt) {
      fail('the token event does not carry the token held');
    }
  }
  for (const { payload } of errors) {
    if (typeof payload.error?.code !== 'string' || typeof payload.willRetry !== 'boolean') {
      fail('an error event without its error');
    }
    if (payload.willRetry !== (state.activity !== 'blocked')) fail('willRetry');
  }
  for (const { payload } of emitted(effects, 'stopped')) {
    if (payload.logout !== input.logout) fail('stopped without its logout flag');
  }
  /** A failed attempt (this tab's, or another tab's backoff followed) while callers wait. */
  const countAttempt = () => {
    if (model.waitingSince === undefined) return;
    model.waitedFailures += 1;
    const gaveUp = effects.some((e) => e.type === 'settle' && 'error' in e.result);
    if (gaveUp !== model.waitedFailures >= POLICY.retry.attempts) {
      fail(
        `callers ${gaveUp ? 'rejected' : 'still waiting'} after ${model.waitedFailures} failed attempts`,
      );
    }
  };
  const tokens = emitted(effects, 'token');

  // A request of this tab that failed: the model counts and times the backoff itself.
  const expiredOnArrival = input.type === 'fetched' && pastExpiry(input.token, now);
  const ownFailure = input.type === 'failed' || expiredOnArrival;
  if (ownFailure && before.request) {
    const error = errors[0]?.payload;
    if (!error) fail('a failed request without an error event');
    const retriable =
      input.type === 'fetched' ||
      ['timeout', 'bad_response'].includes(input.error.code) ||
      (input.error.code === 'request_failed' &&
        (input.error.status === undefined ||
          [408, 429].includes(input.error.status) ||
          input.error.status >= 500));
    model.lastOffline =
      input.type === 'failed' &&
      input.error.code === 'request_failed' &&
      input.error.status === undefined;
    const shared = world.published.at(-1)?.failure;
    if (
      !shared ||
      shared.failedAt !== (input.type === 'failed' ? input.startedAt : input.token.fetchedAt) ||
      shared.blocked !== !retriable ||
      shared.code !== (input.type === 'failed' ? input.error.code : 'bad_response') ||
      shared.status !== (input.type === 'failed' ? input.error.status : undefined)
    ) {
      fail('the failure is not published as it happened');
    }
    if (!retriable) {
      model.blocked = true;
      if (shared.retryAt !== undefined) fail('a block published with a retry time');
      if (error.willRetry) fail(`${input.error.status} retried`);
      if (state.dueAt !== undefined || world.alarmAt !== undefined)
        fail('a request planned while blocked');
      if (world.waiting.length) fail('callers left waiting on a blocked source');
    } else {
      model.failures += 1;
      const retryAfter = input.type === 'failed' ? (input.error.retryAfter ?? 0) : 0;
      if (draws.length !== 1) fail(`${draws.length} random draws for one backoff (jitter?)`);
      const delay = expectedDelay(model.failures, draws[0], retryAfter);
      if (world.alarmAt !== now + delay) {
        fail(
          `retry ${(world.alarmAt ?? NaN) - now} ms after failure ${model.failures}, expected ${delay} ms`,
        );
      }
      if (shared.retryAt !== now + delay || shared.failures !== model.failures) {
        fail('the backoff is not published as planned');
      }
      if (!error.willRetry || Math.abs(error.retryIn - delay) > 1e-3) {
        fail('the error event does not say when');
      }
      countAttempt();
    }
  }

  // A token this tab fetched: refreshed at the margin of its FULL lifetime.
  const heldNewer = validAt(before.token, now) ? before.token.fetchedAt : -Infinity;
  if (input.type === 'fetched' && before.request?.sent && !expiredOnArrival) {
    const install = input.token.fetchedAt >= heldNewer;
    if (install !== (tokens.length === 1))
      fail(`own token ${install ? 'dropped' : 'installed over a newer one'}`);
  }
  if (input.type === 'fetched' && tokens.length) {
    const { token } = input;
    if (pastExpiry(token, now)) fail('an expired token delivered');
    const streak = model.shortLived + 1;
    const plan = expectedRefreshAt({ now, ...token }, streak, draws);
    model.shortLived = plan.tooShort ? streak : 0;
    if (world.alarmAt !== plan.refreshAt) {
      fail(
        `refresh at +${(world.alarmAt - now) / SECOND}s, expected +${(plan.refreshAt - now) / SECOND}s`,
      );
    }
    if (plan.tooShort !== (errors.length === 1)) fail('too-short-lived token not reported');
    model.failures = 0;
    model.blocked = false;
    const shared = world.published.at(-1)?.token;
    if (shared?.token !== token.token || shared.fetchedAt !== token.fetchedAt)
      fail('token not published');
    if (world.expiryAt !== token.expiresAt) fail('expiry timer not at the expiry');
  }
  if (input.type === 'peer-token') {
    const { token } = input;
    const accept =
      token.token !== before.token?.token &&
      validAt({ ...token, expired: false }, now) &&
      (before.token === undefined || token.fetchedAt >= before.token.fetchedAt);
    if (accept !== (tokens.length === 1)) fail(`peer token ${accept ? 'refused' : 'accepted'}`);
    if (accept) {
      model.failures = 0;
      model.blocked = false;
      if (state.token.token !== token.token) fail('peer token not held');
      if (!before.request && world.alarmAt !== state.token.refreshAt)
        fail('peer token: refresh not planned');
      if (world.expiryAt !== token.expiresAt) fail('peer token: expiry timer not at its expiry');
    }
  }
  if (input.type === 'lock-held' && input.peerFailure && errors.length) {
    const peer = input.peerFailure;
    if (peer.blocked) model.blocked = true;
    else {
      const at = world.alarmAt;
      if (!(at >= peer.retryAt && at < peer.retryAt + SECOND)) fail('peer backoff not followed');
      countAttempt();
    }
    model.failures = Math.max(model.failures, peer.failures);
  }
  if (input.type === 'lock-held' && input.peerFailure) {
    model.failures = Math.max(model.failures, input.peerFailure.failures);
  }
  if (input.type === 'lock-held' && before.request && !before.request.sent) {
    // Under the lock: a token that arrived meanwhile, or one still fresh, is used; a peer's
    // backoff or block is followed; otherwise the request goes out. refresh() always goes out.
    const sent = effects.some((e) => e.type === 'send');
    const peer = input.peerFailure;
    const manual = before.request.reason === 'manual';
    const fresh =
      validBefore && (validBefore.refreshAt === undefined || now < validBefore.refreshAt);
    const newer = validBefore && validBefore.token !== before.request.tokenAtStart;
    let expected = 'send';
    if (!manual && validBefore && (newer || (fresh && before.request.reason !== 'retry')))
      expected = 'use';
    else if (!manual && peer && (peer.blocked || peer.retryAt > now)) expected = 'follow';
    const actual = sent ? 'send' : errors.length ? 'follow' : 'use';
    if (actual !== expected) fail(`under the lock: ${actual}, expected ${expected}`);
    if (
      expected === 'use' &&
      (state.activity !== 'idle' || world.alarmAt !== validBefore.refreshAt)
    ) {
      fail('a token used under the lock, but its refresh not planned');
    }
    if (expected === 'follow' && peer.blocked !== (state.activity === 'blocked'))
      fail('peer block');
    if (expected === 'follow') {
      model.lastOffline = peer.code === 'request_failed' && peer.status === undefined;
      // The error a tab reports for another tab's failure: the same code and status.
      const { error } = errors[0].payload;
      const code = peer.code === 'unauthorized' ? 'unauthorized' : 'request_failed';
      const status = peer.status ?? (code === 'unauthorized' ? 401 : undefined);
      if (error.code !== code || error.status !== status) fail(`peer failure as ${error.code}`);
      if (!error.message.includes(POLICY.url)) fail('peer failure message without the URL');
    }
  }

  // A tab's token is never older than one it held that is still valid (a newer one that has
  // expired may give way to an older one still valid: this tab's own request, answered late).
  if (state.token) {
    const newest = model.newestHeld;
    if (newest && state.token.fetchedAt < newest.fetchedAt && validAt(newest, now))
      fail('an older token replaced a newer one');
    model.newestHeld = { fetchedAt: state.token.fetchedAt, expiresAt: state.token.expiresAt };
  }
  if (tokens.length) {
    const issued = state.token;
    if (!validAt(issued, now)) fail('a token event without a valid token');
  }

  // Never nothing planned: a valid token, a request under way, or one scheduled; blocked aside.
  const phase = phaseOf(state);
  const validNow = validAt(state.token, now);
  const expectedPhase = state.request
    ? 'fetching'
    : model.blocked
      ? 'blocked'
      : state.activity === 'backing-off'
        ? 'backing-off'
        : validNow || (state.token && !state.token.expired)
          ? 'holding'
          : 'idle';
  if (phase !== expectedPhase) fail(`phase ${phase}, expected ${expectedPhase}`);
  if (state.activity === 'fetching' && !world.inFlight && !world.lockWaiting && !started) {
    fail('a request started but neither sent nor waiting for the lock');
  }
  const valid = validAt(state.token, now);
  if (phase === 'blocked') {
    if (world.alarmAt !== undefined) fail('a request planned while blocked');
  } else if (model.started && !valid && phase !== 'fetching' && world.alarmAt === undefined) {
    fail(`phase ${phase}: no token, no request, no plan`);
  }
  // A token without expiry is held with nothing planned; any other holding plans its refresh.
  const endless = phase === 'holding' && state.token.expiresAt === undefined;
  if (endless && world.alarmAt !== undefined) fail('a refresh planned for a token without expiry');
  if ((phase === 'holding' || phase === 'backing-off') && !endless && world.alarmAt === undefined) {
    fail(`${phase} without its next request planned`);
  }
  if ((phase === 'fetching') !== (state.request !== undefined)) fail('fetching without a request');
  if (effects.some((e) => e.type === 'settle')) model.waitedFailures = 0;
  if (world.waiting.length && model.waitingSince === undefined) model.waitingSince = now;
  if (!world.waiting.length) model.waitingSince = undefined;
}

// --- commands ------------------------------------------------------------------------------------

const command = (name, run) => ({
  check: (m) => !m.stopped,
  run: (m, w) => run(m, w),
  toString: () => name,
});

export const commands = (extra = []) => [
  fc.constant(command('getToken()', (m, w) => w.call('demand'))),
  fc.constant(
    command('3 × getToken() at once', (m, w) => {
      for (let i = 0; i < 3; i++) w.call('demand');
    }),
  ),
  fc.constant(command('refresh()', (m, w) => w.call('refresh'))),
  fc.constant(
    command('refresh() and getToken() at once', (m, w) => {
      w.call('refresh');
      w.call('demand');
    }),
  ),
  fc.constant({
    check: (m) => !m.stopped,
    run: (m, w) => {
      m.stopped = true;
      const logout = w.random() < 0.5;
      w.dispatch({ type: 'stop', logout, broadcast: logout && w.random() < 0.5 });
      w.runUntil(w.now + DAY);
    },
    toString: () => 'stop()',
  }),
  fc
    .constantFrom(SECOND, 5 * SECOND, 20 * SECOND, MINUTE, 10 * MINUTE, HOUR)
    .map((ms) => command(`advance(${ms / SECOND} s)`, (m, w) => w.runUntil(w.now + ms))),
  fc.constantFrom(10 * SECOND, 5 * MINUTE, 2 * HOUR).map((ms) =>
    command(`sleep(${ms / SECOND} s)`, (m, w) => {
      w.now += ms;
    }),
  ),
  fc
    .constantFrom('wake', 'online')
    .map((cause) => command(`wake(${cause})`, (m, w) => w.dispatch({ type: 'due', cause }))),
  // Weighted so that 401s, 429s and concurrent calls come often.
  fc
    .constantFrom(...ANSWERS, '401', '429', 'ok', 'ok')
    .map((answer) => command(`backend answers ${answer}`, (m, w) => (w.answer = answer))),
  fc.integer({ min: -8, max: 3 }).map((age) =>
    command(`a peer's token fetched ${age} min from the held one`, (m, w) => {
      const base = w.state.token?.fetchedAt ?? w.now;
      const fetchedAt = Math.min(w.now, base + age * MINUTE);
      w.dispatch({
        type: 'peer-token',
        token: {
          token: `peer-${++w.issued}`,
          fetchedAt,
          expiresAt: fetchedAt + 5 * MINUTE,
          lifetime: 5 * MINUTE,
        },
      });
    }),
  ),
  fc.constantFrom('401', '503').map((kind) =>
    command(`the next lock holder sees a peer's ${kind}`, (m, w) => {
      w.peerFailure = {
        failedAt: w.now,
        retryAt: kind === '401' ? undefined : w.now + 30 * SECOND,
        blocked: kind === '401',
        failures: 2,
        code: kind === '401' ? 'unauthorized' : 'request_failed',
        status: Number(kind),
      };
    }),
  ),
  fc.constant(
    command('the connection drops, then comes back', (m, w) => {
      w.answer = 'network';
      w.call('demand');
      w.runUntil(w.now + SECOND);
      w.answer = 'ok';
      w.dispatch({ type: 'due', cause: 'online' });
    }),
  ),
  fc.constant(
    command('another tab takes the lock', (m, w) => {
      w.lockElsewhere = true;
    }),
  ),
  fc.constantFrom('its token', 'its failure', 'nothing').map((what) =>
    command(`the other tab lets go of the lock, leaving ${what}`, (m, w) => {
      w.lockElsewhere = false;
      if (what === 'its token') {
        const fetchedAt = w.now;
        w.dispatch({
          type: 'peer-token',
          token: {
            token: `peer-${++w.issued}`,
            fetchedAt,
            expiresAt: fetchedAt + 2 * MINUTE,
            lifetime: 2 * MINUTE,
          },
        });
      }
      const peerFailure =
        what === 'its failure'
          ? {
              failedAt: w.now,
              retryAt: w.now + 10 * SECOND,
              blocked: false,
              failures: 1,
              code: 'request_failed',
              status: undefined,
            }
          : w.peerFailure;
      w.peerFailure = undefined;
      if (w.lockWaiting) {
        w.lockWaiting = false;
        w.dispatch({ type: 'lock-held', peerFailure });
      }
    }),
  ),
  ...extra,
];

export function runSequence(seed, sequence) {
  const world = createWorld(seed);
  fc.modelRun(() => ({ model: { stopped: false }, real: world }), sequence);
  if (!world.model.stopped) {
    // Recovery: once the backend answers and the lock is free, every caller gets its answer
    // within the hour, without anyone calling again.
    world.answer = 'ok';
    world.lockElsewhere = false;
    if (world.lockWaiting) {
      world.lockWaiting = false;
      world.dispatch({ type: 'lock-held', peerFailure: undefined });
    }
    world.runUntil(world.now + 60 * MINUTE);
    const waiting = world.callers.filter((caller) => !caller.result);
    assert.equal(
      waiting.length,
      0,
      `callers still waiting after recovery\n  steps: ${world.log.join(' → ')}`,
    );
    world.dispatch({ type: 'stop', logout: false, broadcast: false });
  }
  // After stop(), every call is refused at once, and nothing else happens.
  for (const type of ['demand', 'refresh']) {
    const late = world.call(type);
    assert.equal(late.result?.error?.code, 'stopped', `${type} after stop()`);
  }
  world.runUntil(world.now + 60 * MINUTE);
  for (const caller of world.callers) {
    assert.ok(
      caller.result,
      `a ${caller.type} call never settled\n  steps: ${world.log.join(' → ')}`,
    );
    if ('token' in caller.result) assert.match(caller.result.token, /^(token|peer)-/);
  }
  return world;
}

/** The rule that broke, on a line of its own (plant-bugs.mjs reads it). */
function reportRule(error) {
  const message = error.cause?.message ?? error.message;
  console.log(`# broken rule: ${message.split('\n')[0]}`);
}

/** fc.assert, with the shrunk failure's own message in the report. */
export function assertProperty(property, numRuns) {
  try {
    // Under mutation testing a failure is enough: shrinking it would only cost time.
    fc.assert(property, { numRuns, endOnFailure: process.env.MODEL_SHRINK === 'no' });
  } catch (error) {
    reportRule(error);
    throw new Error(`${error.message}\n${error.cause?.message ?? ''}`);
  }
}

/** The same for an async property (the two-tab model). */
export async function assertAsyncProperty(property, numRuns) {
  try {
    await fc.assert(property, { numRuns, endOnFailure: process.env.MODEL_SHRINK === 'no' });
  } catch (error) {
    reportRule(error);
    throw new Error(`${error.message}\n${error.cause?.message ?? ''}`);
  }
}
