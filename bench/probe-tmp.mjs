import { launchChromium } from '../test/helpers/chromium.mjs';
import { startStandInServer } from '../demo/stand-ins/serve-stand-ins.mjs';
const PORT = 8822,
  ORIGIN = `http://127.0.0.1:${PORT}`;
const RUNS = Number(process.env.RUNS ?? 15);
let server;
if (process.env.THREAD) {
  const { Worker } = await import('node:worker_threads');
  const w = new Worker(new URL('./page-server-thread.mjs', import.meta.url), {
    workerData: { port: PORT },
  });
  await new Promise((r) => w.once('message', r));
  server = { close: () => w.terminate() };
} else server = startStandInServer(PORT);
const browser = await launchChromium();
const vendor = `vendor=http://localhost:${PORT}`;
const init = () => {
  const t = (window.__t = {});
  const mark = (name) => {
    if (!(name in t)) t[name] = performance.now();
  };
  let cs = Object.getOwnPropertyDescriptor(Document.prototype, 'currentScript');
  Object.defineProperty(Document.prototype, 'currentScript', {
    configurable: true,
    get() {
      mark('currentScript');
      return cs.get.call(this);
    },
  });
  const f = window.fetch;
  window.fetch = function (...a) {
    mark('fetchCall');
    return f.apply(this, a);
  };
  const L = navigator.locks;
  if (L) {
    const rq = L.request.bind(L),
      qy = L.query.bind(L);
    let n = 0;
    L.request = (name, ...rest) => {
      const i = n++;
      const cb = rest[rest.length - 1];
      mark(`lock${i}Req`);
      rest[rest.length - 1] = (...x) => {
        mark(`lock${i}Grant`);
        return cb(...x);
      };
      return rq(name, ...rest);
    };
    L.query = () => {
      mark('queryCall');
      return qy().then((r) => (mark('queryDone'), r));
    };
  }
  const BC = window.BroadcastChannel;
  window.BroadcastChannel = class extends BC {
    constructor(n) {
      mark('channel');
      super(n);
    }
    postMessage(m) {
      mark(`post:${m?.type}`);
      return super.postMessage(m);
    }
  };
  const app = Element.prototype.append,
    appc = Node.prototype.appendChild;
  const note = (n) => {
    if (n?.tagName === 'LINK') mark(`link:${n.rel}`);
    if (n?.tagName === 'SCRIPT') mark('scriptInsert');
  };
  Element.prototype.append = function (...n) {
    n.forEach(note);
    return app.apply(this, n);
  };
  Node.prototype.appendChild = function (n) {
    note(n);
    return appc.call(this, n);
  };
  document.addEventListener('DOMContentLoaded', () => mark('DOMContentLoaded'));
};
async function one(path) {
  const context = await browser.newContext();
  await context.addInitScript(init);
  const page = await context.newPage();
  await page.goto(`${ORIGIN}${path}`);
  await page.waitForFunction(() => window.__report?.readyAt ?? window.__report?.failed, null, {
    timeout: 10000,
  });
  const r = await page.evaluate(() => {
    const res = performance.getEntriesByType('resource').map((e) => ({
      name: e.name,
      start: e.startTime,
      reqStart: e.requestStart,
      conn: e.connectEnd - e.connectStart,
      respStart: e.responseStart,
      end: e.responseEnd,
      init: e.initiatorType,
    }));
    const nav = performance.getEntriesByType('navigation')[0];
    return {
      t: window.__t,
      ready: __report.readyAt,
      res,
      nav: { respEnd: nav.responseEnd, dcl: nav.domContentLoadedEventStart },
    };
  });
  await context.close();
  const o = { ...r.t, ready: r.ready, navRespEnd: r.nav.respEnd };
  for (const e of r.res) {
    const k = e.name.includes('/dist/')
      ? 'lib'
      : e.name.includes('/api/token')
        ? 'token'
        : e.name.includes('stand-ins')
          ? `vendor(${e.init})`
          : e.name;
    o[`${k}.start`] = e.start;
    o[`${k}.reqStart`] = e.reqStart;
    o[`${k}.conn`] = e.conn;
    o[`${k}.respStart`] = e.respStart;
    o[`${k}.end`] = e.end;
  }
  return o;
}
const modes = {
  ideal: `/pages/ideal.html?delay=300&${vendor}`,
  library: `/pages/dg-chat.html?delay=300&${vendor}`,
};
await one(modes.library);
const all = { ideal: [], library: [] };
for (let i = 0; i < RUNS; i++) { const order = i % 2 ? ['ideal','library'] : ['library','ideal']; for (const m of order) { const o = await one(modes[m]); o.first = m === order[0]; all[m].push(o); } }
for (const m of Object.keys(all)) console.log(m, all[m].map(o => `${(o['token.respStart']-o['token.reqStart']).toFixed(0)}${o.first?'*':''}`).join(' '));
const med = (v) => {
  const s = v.filter((x) => x !== undefined).sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
for (const m of Object.keys(all)) {
  const keys = [...new Set(all[m].flatMap(Object.keys))];
  const rows = keys.map((k) => [k, med(all[m].map((o) => o[k]))]).sort((a, b) => a[1] - b[1]);
  console.log(`\n== ${m}`);
  for (const [k, v] of rows) console.log(`${k.padEnd(30)} ${v.toFixed(1)}`);
}
const ratios = all.library.map((o, i) => o.ready / all.ideal[i].ready);
console.log(
  'ratio median',
  med(ratios).toFixed(3),
  'ready lib',
  med(all.library.map((o) => o.ready)).toFixed(0),
  'ideal',
  med(all.ideal.map((o) => o.ready)).toFixed(0),
);
await browser.close();
server.close();
