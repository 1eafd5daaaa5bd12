// The two-tab (or three-tab) model in Node: each tab runs the pure `transition` with a small shell
// that mirrors create-token-source.ts (it runs the effects: timers, the request, waiting callers),
// and the REAL cross-tab code (cross-tab.ts, lock.ts, channel.ts, markers.ts, bundled by
// build-pure.mjs) over a simulated browser on one fake clock: Web Locks (a FIFO queue per name,
// shared locks, steal, locks listed in grant order, a closed page's locks released) and
// BroadcastChannel (a copy of the message, delivered later as its own task, never to the sender,
// nothing after close()). Every step is checked against the model's OWN reckoning of the origin:
// one request at a time and one per refresh or backoff step for all tabs, its own count of
// consecutive failures and the delay the seeded draws must give, each tab's tokens never going
// back, no timer left once every tab has stopped; more than a few requests at one fake instant
// fail at once with the sequence.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { initialState, phaseOf, transition, validToken } from '../.pure/transition.mjs';
import { createCrossTab } from '../.pure/cross-tab.mjs';
import { answerFor, expectedDelay, expectedRefreshAt, POLICY, seeded } from './model-world.mjs';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const NOW = Date.UTC(2026, 10, 23, 12, 0, 0);
const TIMEOUT = 10 * SECOND;
const KEY = 'widget-token:https://app.example/token';
// As create-token-source.ts: a tab that holds the lock longer than a request can take is gone.
const LOCK_WAIT = TIMEOUT + 2 * SECOND;
const MAX_TABS = 4;
// Requests of all tabs at one fake instant beyond this: a flood, failed at once. (A logout
// aborts each tab's request as its message arrives: one per tab at one instant is no flood.)
const MAX_REQUESTS_PER_INSTANT = MAX_TABS;
// Peers that follow another tab's backoff wake up to this much later (transition.ts).
const PEER_STAGGER = SECOND;

// --- the simulated browser -----------------------------------------------------------------------

/** Web Locks for one origin: a facade per tab (client), one queue per name. */
function createLockManager(world) {
  const held = []; // { name, mode, client, settle }
  let queue = []; // { name, mode, client, grant }
  const abortError = () => new DOMException('The lock request was aborted.', 'AbortError');
  const grantable = (item) => {
    const same = held.filter((lock) => lock.name === item.name);
    const before = queue.slice(0, queue.indexOf(item)).filter((q) => q.name === item.name);
    if (item.mode === 'exclusive') return same.length === 0 && before.length === 0;
    return same.every((l) => l.mode === 'shared') && before.every((q) => q.mode === 'shared');
  };
  const pump = () => {
    for (const item of [...queue]) {
      if (queue.includes(item) && grantable(item)) {
        queue = queue.filter((q) => q !== item);
        item.grant();
      }
    }
  };
  function request(client, name, options, callback) {
    const mode = options.mode ?? 'exclusive';
    return new Promise((resolve, reject) => {
      if (world.tabs[client].gone) return;
      if (options.signal?.aborted) return reject(abortError());
      const lock = { name, mode, client, stolen: false };
      const grant = () => {
        options.signal?.removeEventListener('abort', onAbort);
        held.push(lock);
        lock.grantedAt = world.now;
        if (mode === 'exclusive') world.tabs[client].model.lockGranted();
        lock.release = () => {
          const index = held.indexOf(lock);
          if (index >= 0) held.splice(index, 1);
          pump();
        };
        // The callback runs as a task of its own, once granted.
        queueMicrotask(() => {
          if (world.tabs[client].gone) return;
          Promise.resolve()
            .then(() => callback({ name, mode }))
            .then(
              (value) => {
                lock.release();
                if (!lock.stolen) resolve(value);
              },
              (error) => {
                lock.release();
                if (!lock.stolen) reject(error);
              },
            );
        });
      };
      const item = { name, mode, client, grant, reject };
      const onAbort = () => {
        if (!queue.includes(item)) return;
        queue = queue.filter((q) => q !== item);
        reject(abortError());
      };
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.steal) {
        for (const other of held.filter((l) => l.name === name)) {
          // No tab here is frozen: a holder that took the lock less than the wait ago is working.
          const heldFor = world.now - other.grantedAt;
          if (heldFor < LOCK_WAIT) {
            world.fail(
              `tab ${client} stole the lock from tab ${other.client}, which held it ${heldFor / SECOND} s`,
            );
          }
          other.stolen = true;
          held.splice(held.indexOf(other), 1);
        }
        grant();
        return;
      }
      queue.push(item);
      pump();
    });
  }
  return {
    facade: (client) => ({
      request: (name, options, callback) => request(client, name, options, callback),
      query: async () => ({
        held: held.map(({ name, mode, client: id }) => ({ name, mode, clientId: String(id) })),
        pending: queue.map(({ name, mode, client: id }) => ({ name, mode, clientId: String(id) })),
      }),
    }),
    /** A closed page: the browser lets go of every lock it held or waited for. */
    dropClient(client) {
      queue = queue.filter((q) => q.client !== client);
      for (const lock of held.filter((l) => l.client === client)) lock.release();
    },
    /** The locks still held, but for a frozen page's (the browser keeps those). */
    held: () => held.filter((lock) => !world.tabs[lock.client].frozen).map((lock) => lock.name),
  };
}

/** BroadcastChannel: a copy to every other open channel of the name, each its own task. */
function createChannels(world) {
  const open = new Map(); // channel -> { name, client }
  return {
    open(channel, name) {
      open.set(channel, { name, client: world.currentClient });
    },
    post(sender, data) {
      const from = open.get(sender);
      if (!from) throw new DOMException('The channel is closed.', 'InvalidStateError');
      for (const [target, to] of open) {
        if (target === sender || to.name !== from.name) continue;
        const copy = structuredClone(data);
        // One sender's messages arrive in the order sent; different senders' may cross.
        const at = Math.max(world.now + world.channelDelay, from.lastAt ?? -Infinity);
        from.lastAt = at;
        world.setTimer(() => {
          if (open.has(target)) target.onmessage?.({ data: copy });
        }, at - world.now);
      }
    },
    close(channel) {
      open.delete(channel);
    },
    dropClient(client) {
      for (const [channel, { client: owner }] of open) if (owner === client) open.delete(channel);
    },
  };
}

// --- the world ------------------------------------------------------------------------------------

export function createTabsWorld(seed) {
  const random = seeded(seed);
  const world = {
    now: NOW,
    timers: [],
    timerSeq: 0,
    tabs: [],
    answer: 'ok',
    issued: 0,
    channelDelay: 0,
    log: [],
    sendsAt: new Map(),
    /** Every request that went to the backend: { tab, at, reason, answer, done }. */
    requests: [],
    // The model's own bookkeeping for the origin.
    origin: {
      /** The last failure of any tab: { at, retryAt, blocked, tab }. */
      lastFailure: undefined,
      /** Tokens the backend issued, by token. */
      issued: new Map(),
    },
  };
  world.locks = createLockManager(world);
  world.channels = createChannels(world);

  // A rule broken inside a lock callback or a promise would be swallowed there (the shell turns a
  // rejection into a failed request): the first one is kept and thrown again at the next settle.
  world.fail = (message) => {
    try {
      assert.fail(`${message}\n  steps: ${world.log.slice(-60).join(' → ')}`);
    } catch (error) {
      world.violation ??= error;
      throw error;
    }
  };

  world.setTimer = (callback, ms, owner) => {
    const timer = { at: world.now + Math.max(0, ms), seq: ++world.timerSeq, callback, owner };
    world.timers.push(timer);
    return timer.seq;
  };
  world.clearTimer = (id) => {
    world.timers = world.timers.filter((timer) => timer.seq !== id);
  };

  /** Lets every promise, lock grant and message that is due now run, as the browser would. */
  world.settle = async () => {
    for (let i = 0; ; i++) {
      if (i > 2000) world.fail('the tabs never settle (locks or messages in a loop)');
      await new Promise(setImmediate);
      if (world.violation) throw world.violation;
      const due = world.nextTimer(world.now);
      if (!due) return;
      world.fire(due);
    }
  };
  world.nextTimer = (until) =>
    world.timers
      .filter((timer) => timer.at <= until)
      .sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
  world.fire = (timer) => {
    world.timers = world.timers.filter((t) => t !== timer);
    world.now = Math.max(world.now, timer.at);
    timer.callback();
  };

  /** Runs fake time forward to `until`, firing timers in order and letting each settle. */
  world.runUntil = async (until) => {
    await world.settle();
    for (let fired = 0; ; fired++) {
      if (fired > 5000) world.fail('more than 5000 timers fired in one step: a flood');
      const due = world.nextTimer(until);
      if (!due) break;
      world.fire(due);
      await world.settle();
    }
    world.now = Math.max(world.now, until);
    await world.settle();
  };

  world.openTab = () => {
    const tab = createTab(world, world.tabs.length, random);
    world.tabs.push(tab);
    world.log.push(`open tab ${tab.index}`);
    return tab;
  };
  world.alive = () => world.tabs.filter((tab) => !tab.gone && !tab.stopped);

  /** The page of `tab` closes: no more code runs there, and the browser drops its locks. */
  world.closePage = (tab) => {
    tab.gone = true;
    world.timers = world.timers.filter((timer) => timer.owner !== tab);
    world.locks.dropClient(tab.index);
    world.channels.dropClient(tab.index);
    world.log.push(`tab ${tab.index} closed`);
  };
  /** The page of `tab` freezes for good: nothing runs there, but its locks stay held. */
  world.freezePage = (tab) => {
    tab.gone = true;
    tab.frozen = true;
    world.timers = world.timers.filter((timer) => timer.owner !== tab);
    world.channels.dropClient(tab.index);
    world.log.push(`tab ${tab.index} frozen`);
  };
  return world;
}

// --- one tab: the shell of create-token-source.ts, run by the test --------------------------------

function createTab(world, index, random) {
  const tab = {
    index,
    state: initialState(POLICY),
    waiters: [],
    request: undefined,
    crossTab: undefined,
    wired: false,
    alarm: undefined,
    expiry: undefined,
    gone: false,
    stopped: false,
    callers: [],
    // The model's own view of this tab.
    // knows: the failure counts this tab may carry (its own, or a peer's read under the lock),
    // until it installs a token. The markers the model expects this tab to hold: failure
    // ({ failedAt, counts }) and token (its fetchedAt); latest: when its last published request
    // started (what other tabs learned before it is stale to it).
    model: {
      newestHeld: undefined,
      shortLived: 0,
      plan: undefined,
      knows: [0],
      failure: undefined,
      token: undefined,
      latest: -Infinity,
      // What the markers tell this tab when it takes the lock (it reads them then, and acts on
      // them once it has asked for any newer token): the peer failure it follows, if any.
      reading: undefined,
      lockGranted: () => (tab.model.reading = newestPeerFailure(world, tab)),
    },
  };
  const setAlarm = (which, at, input) => {
    if (tab[which] !== undefined) world.clearTimer(tab[which].id);
    tab[which] = undefined;
    if (at === undefined) return;
    const id = world.setTimer(() => {
      tab[which] = undefined;
      tab.dispatch(input);
    }, at - world.now);
    // Owned by the tab, so that a closed page's timers go with it.
    world.timers.find((timer) => timer.seq === id).owner = tab;
    tab[which] = { id, at };
  };

  tab.dispatch = (input, caller) => {
    if (tab.gone) return;
    const before = tab.state;
    const draws = [];
    const { state, effects } = transition(before, input, world.now, () => {
      const value = random();
      draws.push(value);
      return value;
    });
    tab.state = state;
    world.log.push(
      `${(world.now - NOW) / SECOND}s tab ${index} ${input.type}${input.cause ? `:${input.cause}` : ''}` +
        (['fetched', 'peer-token'].includes(input.type) ? `(${input.token.token})` : '') +
        (process.env.TABS_TRACE && input.type === 'lock-held'
          ? `(peer ${JSON.stringify(input.peerFailure)} holds ${before.token?.token})`
          : '') +
        (input.type === 'failed' ? `(${input.error.status ?? input.error.code})` : ''),
    );
    for (const effect of effects) run(effect, caller);
    checkStep(world, tab, before, input, effects, draws);
  };

  function run(effect, caller) {
    switch (effect.type) {
      case 'alarm':
        return setAlarm('alarm', effect.at, { type: 'due', cause: 'timer' });
      case 'expiry':
        return setAlarm('expiry', effect.at, { type: 'expired' });
      case 'answer':
        caller.result = effect.result;
        return;
      case 'wait':
        tab.waiters.push(caller);
        return;
      case 'settle': {
        for (const waiter of tab.waiters) waiter.result = effect.result;
        tab.waiters = [];
        return;
      }
      case 'start':
        return startRequest();
      case 'send':
        if (tab.request) tab.request.sending = send(tab.request);
        return;
      case 'publish':
        if (tab.request) tab.request.outcome = effect.outcome;
        return;
      case 'abort':
        tab.request?.controller.abort();
        tab.request = undefined;
        return;
      case 'broadcast-logout':
        return tab.crossTab?.broadcastLogout();
      case 'close':
        tab.crossTab?.close();
        tab.crossTab = undefined;
        return;
    }
  }

  function startRequest() {
    const controller = new AbortController();
    const current = { controller, outcome: undefined, sending: undefined };
    tab.request = current;
    const underLock = (peerFailure) => {
      if (tab.request !== current || tab.gone) return Promise.resolve(undefined);
      tab.dispatch({ type: 'lock-held', peerFailure });
      return current.sending ?? Promise.resolve(undefined);
    };
    const done = tab.crossTab
      ? tab.crossTab.exclusive(controller.signal, underLock)
      : underLock(undefined);
    done.catch((error) => {
      if (tab.request === current) {
        tab.dispatch({ type: 'failed', error, startedAt: world.now });
      }
    });
  }

  /** The request goes to the one backend, which answers after its latency on the fake clock. */
  async function send(current) {
    const startedAt = world.now;
    const count = (world.sendsAt.get(startedAt) ?? 0) + 1;
    world.sendsAt.set(startedAt, count);
    if (count > MAX_REQUESTS_PER_INSTANT) world.fail(`${count} requests at one instant: a flood`);
    const n = ++world.issued;
    const answer = world.answer;
    const [latency, outcome] = answerFor(answer, startedAt, n);
    if (outcome.type === 'fetched') {
      // Long enough to pass the channel's token check (8 characters at least).
      outcome.token = { ...outcome.token, token: `token-${String(n).padStart(4, '0')}` };
      if (outcome.token.expiresAt === undefined || outcome.token.expiresAt > startedAt) {
        world.origin.issued.set(outcome.token.token, outcome.token);
      }
    }
    const record = {
      tab: index,
      at: startedAt,
      answer,
      done: false,
      reason: tab.state.request?.reason,
    };
    world.requests.push(record);
    const result = await new Promise((resolve) => {
      const id = world.setTimer(() => resolve(outcome), latency);
      world.timers.find((timer) => timer.seq === id).owner = tab;
      current.controller.signal.addEventListener('abort', () => {
        world.clearTimer(id);
        resolve(undefined);
      });
    });
    record.done = true;
    if (tab.request !== current || !result || tab.gone) return undefined;
    tab.dispatch(result);
    if (tab.request === current) tab.request = undefined;
    return current.outcome;
  }

  function activate() {
    if (tab.wired || tab.state.activity === 'stopped') return;
    tab.wired = true;
    world.currentClient = index;
    globalThis.navigator = { locks: world.locks.facade(index) };
    try {
      tab.crossTab = createCrossTab(
        KEY,
        {
          receive: (token) => tab.dispatch({ type: 'peer-token', token }),
          // As create-token-source.ts: the held token goes as it is (extra fields ignored).
          held: () => tab.state.token,
          share: () => validToken(tab.state, world.now),
          logout: () => tab.dispatch({ type: 'stop', logout: true, broadcast: false }),
        },
        LOCK_WAIT,
      );
    } finally {
      delete globalThis.navigator;
    }
  }

  tab.call = (type) => {
    if (tab.gone) return undefined;
    activate();
    const caller = { type, result: undefined, at: world.now, tab: index };
    tab.callers.push(caller);
    tab.dispatch({ type }, caller);
    return caller;
  };
  tab.stop = (logout) => {
    tab.dispatch({ type: 'stop', logout, broadcast: logout });
  };
  return tab;
}

// --- the checks ------------------------------------------------------------------------------------

const emitted = (effects, event) =>
  effects.filter((effect) => effect.type === 'emit' && effect.event === event);
const validAt = (token, now) =>
  Boolean(token) && !token.expired && (token.expiresAt === undefined || now < token.expiresAt);

/** The newest token a tab still running holds, valid now: what a new request would duplicate. */
function newestValidHeld(world, except) {
  let newest;
  for (const other of world.alive()) {
    if (other === except || !other.wired) continue;
    const token = other.state.token;
    if (validAt(token, world.now) && (!newest || token.fetchedAt > newest.token.fetchedAt)) {
      newest = { token, tab: other.index };
    }
  }
  return newest;
}

/**
 * The failure marker another tab still holds that `tab` reads under the lock (markers.ts rules, by
 * the model's own bookkeeping): the newest by when its request started, unless a token marked by
 * any tab, or this tab's own last request, started after it. A closed or stopped tab's markers are
 * gone; a frozen page's stay held.
 */
function newestPeerFailure(world, tab) {
  const marking = world.tabs.filter((other) => !other.stopped && (!other.gone || other.frozen));
  const stale = Math.max(
    tab.model.latest,
    ...marking.map((other) => other.model.token ?? -Infinity),
  );
  const failures = marking
    .filter((other) => other !== tab && other.model.failure)
    .map((other) => other.model.failure);
  const newest = Math.max(...failures.map((failure) => failure.failedAt));
  if (!(newest > stale)) return undefined;
  // Two markers of one instant: either may be listed first.
  const counts = failures.filter((f) => f.failedAt === newest).flatMap((f) => f.counts);
  return { failedAt: newest, counts: [...new Set(counts)] };
}

function checkStep(world, tab, before, input, effects, draws) {
  const { origin, now } = world;
  const { model } = tab;
  const fail = (message) => world.fail(`tab ${tab.index}: ${message}`);

  if (input.type === 'stop') {
    if (!before.activity || before.activity === 'stopped') return;
    tab.stopped = true;
    if (tab.alarm || tab.expiry) fail('a timer left after stop()');
    if (tab.waiters.length) fail('a caller left waiting after stop()');
    return;
  }
  if (before.activity === 'stopped') {
    if (effects.some((e) => e.type !== 'answer')) fail('effects after stop()');
    return;
  }

  if (effects.some((e) => e.type === 'start')) {
    model.startedBy = input.cause ?? input.type;
    // Back online after a network failure: that failure's backoff no longer binds this tab
    // (documented), even once its request found a fresh token and fetched nothing.
    if (input.cause === 'online' && origin.lastFailure?.offline) model.online = origin.lastFailure;
  }
  // A request that goes to the backend: one at a time, and one per refresh or backoff step for
  // the whole origin.
  if (effects.some((e) => e.type === 'send')) {
    const reason = before.request?.reason;
    const out = world.requests.filter(
      (r) =>
        !r.done && r.tab !== tab.index && !world.tabs[r.tab].gone && !world.tabs[r.tab].stopped,
    );
    if (out.length) fail(`a request while tab ${out[0].tab}'s is still out (two at once)`);
    if (reason !== 'manual') {
      const newest = newestValidHeld(world, tab);
      const mine = validAt(tab.state.token, now) ? tab.state.token : undefined;
      if (newest && (!mine || newest.token.fetchedAt > mine.fetchedAt)) {
        fail(
          `a ${reason} request while tab ${newest.tab} holds a newer valid token ` +
            `(${newest.token.token}): two requests for one refresh`,
        );
      }
      // A retry continues a request that failed (a refresh() may have failed while the token was
      // fresh): the backoff, not the plan, times it.
      if (reason !== 'retry' && mine && model.plan?.token === mine.token && now < model.plan.at) {
        fail(`a ${reason} request ${(model.plan.at - now) / SECOND} s before the planned refresh`);
      }
      const last = origin.lastFailure;
      const known = last && !world.tabs[last.tab].gone && !world.tabs[last.tab].stopped;
      if (known && last.blocked) fail(`a ${reason} request while the origin is blocked`);
      // Coming back online after a network failure retries at once (documented), backoff or not.
      const online = last?.offline && model.online === last;
      if (known && !last.blocked && now < last.retryAt && !online) {
        fail(`a ${reason} request ${(last.retryAt - now) / SECOND} s before the origin's retry`);
      }
    }
  }

  // A token received that is newer than this tab's failure ends that failure's marker.
  if (input.type === 'peer-token' && input.token.fetchedAt > (model.failure?.failedAt ?? Infinity))
    model.failure = undefined;

  // Under the lock, a waiting request reads (as it takes the lock) the newest failure another tab
  // still marks, unless a token any tab marks, or this tab's own last request, came after it
  // (docs/token-source.md): the tab continues from the larger count.
  if (input.type === 'lock-held' && before.request && !before.request.sent) {
    const peer = model.reading;
    if (peer) {
      model.knows = [
        ...new Set(model.knows.flatMap((own) => peer.counts.map((n) => Math.max(own, n)))),
      ];
    }
  }
  if (input.type === 'lock-held') model.reading = undefined;

  // This tab's own request failed: the origin's failure count and backoff, by the model.
  const expiredOnArrival =
    input.type === 'fetched' && input.token.expiresAt !== undefined && input.token.expiresAt <= now;
  if ((input.type === 'failed' || expiredOnArrival) && before.request) {
    const error = input.type === 'failed' ? input.error : undefined;
    const retriable =
      !error ||
      ['timeout', 'bad_response'].includes(error.code) ||
      (error.code === 'request_failed' &&
        (error.status === undefined || [408, 429].includes(error.status) || error.status >= 500));
    const startedAt = input.type === 'failed' ? input.startedAt : input.token.fetchedAt;
    model.latest = Math.max(model.latest, startedAt);
    if (!retriable) {
      // A block counts no failure: its marker carries what this tab already carries.
      model.failure = { failedAt: startedAt, counts: model.knows };
      origin.lastFailure = { at: now, startedAt, blocked: true, tab: tab.index };
      if (tab.alarm) fail('a request planned while blocked');
    } else {
      if (draws.length !== 1) fail(`${draws.length} random draws for one backoff (jitter?)`);
      const retryAfter = error?.retryAfter ?? 0;
      // What this tab carries: its own failures and any marker it read under the lock. A tab
      // that recorded a larger count may have closed since (its marker gone with it), so tabs
      // can carry different counts: each continues from its own.
      const delayAfter = (n) => expectedDelay(n + 1, draws[0], retryAfter);
      const matching = model.knows.filter((n) => tab.alarm?.at === now + delayAfter(n));
      if (!matching.length) {
        const n = Math.max(...model.knows);
        fail(
          `retry ${(tab.alarm?.at ?? NaN) - now} ms after failure ${n + 1} of the origin, ` +
            `expected ${delayAfter(n)} ms`,
        );
      }
      // Several counts give one delay (a Retry-After, the cap): all stay possible.
      model.knows = matching.map((n) => n + 1);
      model.failure = { failedAt: startedAt, counts: model.knows };
      const delay = delayAfter(matching[0]);
      const offline = error?.code === 'request_failed' && error.status === undefined;
      origin.lastFailure = {
        at: now,
        startedAt,
        retryAt: now + delay,
        blocked: false,
        tab: tab.index,
        offline,
      };
    }
  }

  // Another tab's backoff followed under the lock: its retry time, plus at most the stagger.
  if (input.type === 'lock-held' && emitted(effects, 'error').length) {
    const peer = input.peerFailure;
    if (!peer) fail('an error under the lock without a peer failure');
    if (
      !peer.blocked &&
      !(tab.alarm?.at >= peer.retryAt && tab.alarm.at < peer.retryAt + PEER_STAGGER)
    )
      fail('the peer backoff not followed');
  }

  // A token installed: validly issued, never older than one held, refresh planned from its full
  // lifetime (for this tab's tokens and for the ones other tabs sent).
  for (const { payload } of emitted(effects, 'token')) {
    const issued = origin.issued.get(payload.token);
    if (!issued) fail(`a token never validly issued: ${payload.token}`);
    if (!validAt(tab.state.token, now)) fail('a token event without a valid token');
    const streak = model.shortLived + 1;
    const plan = expectedRefreshAt({ now, ...issued }, streak, draws.slice(0, 2));
    model.knows = [0]; // any token installed ends this tab's run of failures
    model.token = issued.fetchedAt; // and is marked, lapsed or not, until a newer one
    if (input.type === 'fetched') {
      model.shortLived = plan.tooShort ? streak : 0;
      model.latest = Math.max(model.latest, issued.fetchedAt);
      model.failure = undefined;
      origin.lastFailure = undefined;
    }
    model.plan = { token: issued.token, at: plan.refreshAt };
  }
  // Never older than a token this tab held that is still valid (see model-world.mjs).
  if (tab.state.token) {
    const newest = model.newestHeld;
    if (newest && tab.state.token.fetchedAt < newest.fetchedAt && validAt(newest, now))
      fail(`an older token replaced a newer one (${tab.state.token.token})`);
    model.newestHeld = {
      fetchedAt: tab.state.token.fetchedAt,
      expiresAt: tab.state.token.expiresAt,
    };
  }
  const phase = phaseOf(tab.state);
  if (phase === 'holding' && model.plan?.token === tab.state.token.token) {
    if (tab.alarm?.at !== model.plan.at) {
      fail(
        `refresh at +${((tab.alarm?.at ?? NaN) - now) / SECOND} s, expected ` +
          `+${(model.plan.at - now) / SECOND} s (the margin of the full lifetime)`,
      );
    }
  }
}

/**
 * Between commands: every tab that has been used has a token, a request or a plan; the origin's
 * last failure, while no token was fetched since, is listed to every tab (its marker).
 */
function checkQuiet(world) {
  const last = world.origin.lastFailure;
  const failing = last && world.tabs[last.tab];
  if (failing && !failing.gone && !failing.stopped) {
    const listed = world.locks
      .held()
      .some((name) => name.includes(`#failed:`) && name.includes(`:${last.startedAt}:`));
    if (!listed)
      world.fail(`tab ${last.tab}: its failure no longer marked, with no token fetched since`);
  }
  for (const tab of world.alive()) {
    if (!tab.wired) continue;
    const { state } = tab;
    const valid = validAt(state.token, world.now);
    const blocked = state.activity === 'blocked';
    if (!valid && !blocked && state.activity !== 'fetching' && !tab.alarm) {
      world.fail(`tab ${tab.index} in ${phaseOf(state)}: no token, no request, no plan`);
    }
  }
}

// --- commands -------------------------------------------------------------------------------------

const command = (name, run) => ({
  check: () => true,
  run: async (m, w) => {
    w.log.push(`[${name}]`);
    await run(w);
    await w.settle();
    checkQuiet(w);
  },
  toString: () => name,
});
const pick = (world, n) => {
  const alive = world.tabs.filter((tab) => !tab.gone);
  return alive.length ? alive[n % alive.length] : undefined;
};

const calls = [
  fc
    .tuple(fc.nat(5), fc.constantFrom('demand', 'demand', 'refresh'))
    .map(([n, type]) =>
      command(`tab #${n}: ${type === 'demand' ? 'getToken()' : 'refresh()'}`, (w) =>
        pick(w, n)?.call(type),
      ),
    ),
  // The same fake instant, before any lock grant or message runs.
  fc.constantFrom('demand', 'demand', 'refresh').map((second) =>
    command(`every tab calls at once (the last one: ${second})`, (w) => {
      const alive = w.tabs.filter((tab) => !tab.gone);
      alive.forEach((tab, i) => tab.call(i === alive.length - 1 ? second : 'demand'));
    }),
  ),
];
const opening = fc.constant(
  command('a tab opens and calls getToken()', (w) => {
    if (w.tabs.length < MAX_TABS) w.openTab().call('demand');
  }),
);
const time = [
  fc
    .constantFrom(SECOND, 5 * SECOND, 20 * SECOND, MINUTE, 10 * MINUTE)
    .map((ms) => command(`advance(${ms / SECOND} s)`, (w) => w.runUntil(w.now + ms))),
  fc
    .tuple(fc.nat(5), fc.constantFrom('wake', 'online'))
    .map(([n, cause]) =>
      command(`tab #${n}: wake(${cause})`, (w) => pick(w, n)?.dispatch({ type: 'due', cause })),
    ),
];
// Weighted so that 401s, 429s and failures in a row come often.
const answers = fc
  .constantFrom(
    'ok',
    'ok',
    'ok',
    'used',
    'short-lived',
    'expired',
    '401',
    '401',
    '429',
    '429',
    '500',
    '500',
    'network',
    'hang',
    'malformed',
    'no-expiry',
  )
  .map((answer) => command(`backend answers ${answer}`, (w) => (w.answer = answer)));
// An outage that ends: failures in a row, then a token, then (often) the next outage.
const outage = fc
  .tuple(fc.constantFrom('500', '429', 'network', 'malformed', 'hang'), fc.nat(5))
  .map(([answer, n]) =>
    command(
      `tab #${n}: getToken() through an outage of ${answer}, then the backend recovers`,
      async (w) => {
        w.answer = answer;
        pick(w, n)?.call('demand');
        await w.runUntil(w.now + 20 * SECOND);
        w.answer = 'ok';
        await w.runUntil(w.now + MINUTE);
      },
    ),
  );
const others = [
  fc
    .constantFrom(0, 0, 100)
    .map((ms) => command(`messages take ${ms} ms`, (w) => (w.channelDelay = ms))),
  fc.tuple(fc.nat(5), fc.boolean()).map(([n, logout]) =>
    command(`tab #${n}: stop(${logout ? '{ logout: true }' : ''})`, (w) => {
      const tab = pick(w, n);
      if (tab && !tab.stopped && w.alive().length > 1) tab.stop(logout);
    }),
  ),
  fc.nat(5).map((n) =>
    command(`tab #${n}: the page closes`, (w) => {
      const tab = pick(w, n);
      if (tab && w.alive().length > 1) w.closePage(tab);
    }),
  ),
  // The tab whose request is out (it holds the lock) closes, or freezes with the lock held: the
  // others take the lock when the browser lets go of it, or steal it after the wait.
  fc.constantFrom('closes', 'freezes').map((what) =>
    command(`the tab holding the lock ${what}`, (w) => {
      const holder = w.alive().find((tab) => tab.state.request?.sent);
      if (!holder || w.alive().length < 2) return;
      if (what === 'closes') w.closePage(holder);
      else w.freezePage(holder);
    }),
  ),
];

// Calls, answers and outages come most often; tabs open, stop and close now and then.
export const tabCommands = [
  ...calls,
  ...calls,
  opening,
  opening,
  ...time,
  ...time,
  answers,
  answers,
  answers,
  outage,
  outage,
  ...others,
];

/** One sequence: two or three tabs to start with, the commands, then recovery and stop. */
export async function runTabsSequence(seed, sequence, tabCount = 2) {
  const world = createTabsWorld(seed);
  globalThis.__widgetTokenTabs = world;
  for (let i = 0; i < tabCount; i++) world.openTab();
  await fc.asyncModelRun(() => ({ model: {}, real: world }), sequence);
  // Recovery: with the backend answering again, every caller still in a running tab settles
  // within ten minutes (the longest backoff is one) without anyone calling again.
  world.answer = 'ok';
  world.channelDelay = 0;
  await world.runUntil(world.now + 10 * MINUTE);
  for (const tab of world.alive()) {
    const waiting = tab.callers.filter((caller) => !caller.result);
    if (waiting.length) world.fail(`tab ${tab.index}: callers still waiting after recovery`);
  }
  for (const tab of world.alive()) tab.stop(false);
  await world.runUntil(world.now + HOUR);
  for (const tab of world.tabs) {
    if (tab.gone) continue;
    if (tab.callers.some((caller) => !caller.result))
      world.fail(`tab ${tab.index}: a call never settled`);
  }
  // After every tab stopped: no timer, no lock, nothing.
  if (world.timers.length) world.fail(`${world.timers.length} timer(s) left after stop()`);
  if (world.locks.held().length) world.fail(`locks left after stop(): ${world.locks.held()}`);
  return world;
}
