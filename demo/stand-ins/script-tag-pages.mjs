// Pages that use only the script-tag build, served with a strict CSP (scripts by nonce only,
// Trusted Types required), plus the token endpoint they call. Mounted by the stand-in server, so
// page, tokens and vendor scripts share one origin apart from the test runner's.
//   /pages/<widget>.html[?policy=<trusted-types policy names>][&delay=<ms>][&hints=false][&vendor=<origin>]
//       delay: the token and the vendor script each answer after <ms>; vendor: where the vendor
//       script comes from (another origin, as in real life; default this one); omit=<name>: drop
//       the data-<name> attribute; file=widget: load widget-token.<widget>.iife.js instead of the
//       all-widgets file
//   /api/token?kind=jws|jwe&lifetime=<seconds>[&delay=<ms>]
//   /dist/widget-token.iife.js, /dist/widget-token.<widget>.iife.js (gzip when accepted)
//   /baseline/dist/…: the same from the folder BASELINE_DIST names (&baseline on a widget page)
//   /pages/ideal.html?delay=<ms>&vendor=<origin>[&library|&empty][&lock]: the benchmark's
//       hand-written page; library: it first loads the all-widgets file, which starts nothing;
//       empty: it first loads an empty script file (/pages/empty.js); lock: its token request
//       waits for a Web Lock, the one round trip single flight across tabs needs
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = new URL('../../', import.meta.url);
const compressed = new Map();
/** The gzip of a built file, compressed once per build (the same bytes mean the same build). */
function gzipped(file, body) {
  const cached = compressed.get(file);
  if (cached?.source.equals(body)) return cached.gzip;
  const gzip = gzipSync(body);
  compressed.set(file, { source: body, gzip });
  return gzip;
}

/** Every token request served, with the tab that asked (x-tab header); tests read and reset it. */
export const tokenRequests = [];
/**
 * `hold`: leave the next token requests unanswered, as a tab that closes mid-request would.
 * `status`: answer every token request with this HTTP status (an outage), until set back to 0.
 */
/** Every token issued, with the user it was issued for (the `user` parameter). */
export const issuedTokens = new Map();
export const tokenControl = { hold: false, status: 0 };

/** A page that only runs a token source, as one tab of a site; for the cross-tab tests. */
function tabPage(nonce, lifetime) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>tab</title></head><body>
<script nonce="${nonce}" src="/dist/widget-token.iife.js"></script>
<script nonce="${nonce}">
  window.tabId = Math.random().toString(36).slice(2);
  // When each token request goes out (not \`refreshing\`: a tab that sets out to refresh may
  // receive another tab's token instead).
  window.fetchedAt = [];
  const send = window.fetch;
  window.fetch = (input, init) => {
    if (String(input?.url ?? input).includes('/api/token')) fetchedAt.push(Date.now());
    return send.call(window, input, init);
  };
  window.received = [];
  window.tokens = WidgetToken.createTokenSource({
    url: '/api/token?kind=jws&lifetime=${lifetime}',
    headers: { 'x-tab': tabId },
  });
  tokens.on('token', ({ token, expiresAt }) => received.push({ token, at: Date.now(), expiresAt }));
  tokens.on('stopped', ({ logout }) => (window.stoppedBy = logout ? 'logout' : 'stop'));
  tokens.getToken().catch(() => {});
</script></body></html>`;
}
/**
 * A tab of a site with the five widgets for one user (their stand-ins from this origin), for the
 * cross-tab logout tests. window.startFor(user) starts them on sources keyed by the user;
 * window.logout() stops both sources with logout, as a host's sign-out button would.
 */
function widgetsTabPage(nonce) {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>widgets tab</title></head><body>
<div id="bell"></div>
<script nonce="${nonce}" src="/dist/widget-token.iife.js"></script>
<script nonce="${nonce}">
  const W = WidgetToken;
  const script = { nonce: '${nonce}' };
  window.startFor = async (user) => {
    const crossTab = { key: user };
    const jws = W.createTokenSource({ url: '/api/token?kind=jws&lifetime=60&user=' + user, crossTab });
    const jwe = W.createTokenSource({ url: '/api/token?kind=jwe&lifetime=60&user=' + user, crossTab, retry: { attempts: 1 } });
    window.sources = [jws, jwe];
    window.widgets = {
      dg: W.dgChat({ tokens: jws, widgetId: 'w-1', env: 'eu', scriptUrl: '/stand-ins/dg-chat.js', script }),
      'via-socket': W.viaSocket({ tokens: jws, config: { type: 'all_space' }, scriptUrl: '/stand-ins/via-socket.js', script }),
      engagespot: W.engagespot({ tokens: jws, apiKey: 'key-1', userId: user, target: '#bell', scriptUrl: '/stand-ins/engagespot.js', script }),
      video: W.videoSdk({ tokens: jws, scriptUrl: '/stand-ins/video-sdk.js', script }),
      iadvize: W.iAdvize({ tokens: jwe, sid: 1234, scriptUrl: '/stand-ins/iadvize.js', script }),
    };
    window.loggedOut = [];
    for (const [name, widget] of Object.entries(widgets)) widget.on('loggedOut', () => loggedOut.push(name));
    await Promise.all(Object.values(widgets).map((widget) => widget.ready));
    await widgets.video.join({ meetingId: 'm-1', name: user });
    window.started = user;
  };
  window.logout = () => sources.forEach((source) => source.stop({ logout: true }));
</script></body></html>`;
}

const base64url = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An unsigned test token: the browser never verifies signatures. */
function testToken(kind, lifetime, user = 'user-1') {
  const salt = randomBytes(6).toString('base64url');
  if (kind === 'jwe')
    return `${base64url({ alg: 'RSA-OAEP-256', enc: 'A256GCM' })}.a2V5.aXY.${salt}.dGFn`;
  const iat = Math.floor(Date.now() / 1000);
  // The user claims each stand-in checks: Intercom's user_id, Zendesk's kid, external_id and scope.
  const header = { alg: 'HS256', typ: 'JWT', kid: 'app_1' };
  const claims = { sub: user, user_id: user, external_id: user, scope: 'user' };
  return `${base64url(header)}.${base64url({ ...claims, iat, exp: iat + lifetime })}.${salt}`;
}

const WIDGETS = {
  'dg-chat': { kind: 'jws', attributes: 'data-widget-id="w-1" data-env="eu"', script: 'dg-chat' },
  'via-socket': {
    kind: 'jws',
    attributes: `data-config='{"type":"all_space"}'`,
    script: 'via-socket',
  },
  iadvize: { kind: 'jwe', attributes: 'data-sid="1234"', script: 'iadvize' },
  engagespot: {
    kind: 'jws',
    attributes: 'data-api-key="key-1" data-user-id="user-1" data-target="#bell"',
    script: 'engagespot',
  },
  'video-sdk': { kind: 'jws', attributes: '', script: 'video-sdk' },
  // Intercom takes at most 20 updates in 30 minutes: its tokens must live over 129 s.
  intercom: { kind: 'jws', attributes: 'data-app-id="abc123"', script: 'intercom', lifetime: 180 },
  zendesk: { kind: 'jws', attributes: 'data-key="key-1"', script: 'zendesk' },
};

function page(
  widget,
  nonce,
  { delay = 0, hints = true, vendor = '', omit, file, dist = '/dist' } = {},
) {
  const { kind, script, lifetime = 60 } = WIDGETS[widget];
  // omit: drop one data- attribute, to see how a misconfigured tag is reported.
  const attributes = omit
    ? WIDGETS[widget].attributes.replace(new RegExp(`data-${omit}="[^"]*"`), '')
    : WIDGETS[widget].attributes;
  const tokenUrl = `/api/token?kind=${kind}&amp;lifetime=${lifetime}${delay ? `&amp;delay=${delay}` : ''}`;
  const scriptUrl = `${vendor}/stand-ins/${script}.js${delay ? `?delay=${delay}` : ''}`;
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>${widget} by script tag</title></head>
<body>
<div id="bell"></div>
<script nonce="${nonce}">
  // Test instrumentation only: collects what happened and reports it to the test page.
  window.__report = { violations: [], errors: [] };
  document.addEventListener('securitypolicyviolation', (e) => __report.violations.push(e.violatedDirective));
  document.addEventListener('widget-token:error', (e) => __report.errors.push(e.detail.error.message));
  addEventListener('message', (e) => {
    if (e.data !== 'report') return;
    parent.postMessage({ ...__report, standIns: window.__standIns ?? {} }, '*');
  });
</script>
<script nonce="${nonce}" src="${dist}/${file ?? 'widget-token.iife.js'}" data-widget="${widget}"
  data-token-url="${tokenUrl}" data-script-url="${scriptUrl}" ${hints ? '' : 'data-hints="false"'} ${attributes}></script>
<script nonce="${nonce}">
  if (!WidgetToken.widget) __report.failed = 'no widget';
  else WidgetToken.widget.ready.then(
    () => ((__report.ready = true), (__report.readyAt = performance.now())),
    (e) => (__report.failed = e.message),
  );
</script>
</body></html>`;
}

/** Returns { status, type, body, headers } for these paths, or undefined. */
/**
 * DG's documented way without the library, for the benchmark: fetch the token, then set the
 * config and inject the loader. Same delays, same stand-in, same instrumentation as the pages above.
 */
function snippetPage(nonce, delay, vendor) {
  const suffix = delay ? `&delay=${delay}` : '';
  return `<!doctype html><html><head><meta charset="utf-8"><title>snippet</title></head><body>
<script nonce="${nonce}">
  window.__report = { violations: [], errors: [] };
  fetch('/api/token?kind=jws&lifetime=60${suffix}').then((r) => r.json()).then(({ token }) => {
    window.DG_CHAT_WIDGET_CONFIG = {
      widgetId: 'w-1', env: 'eu', metadata: { auth_token: token },
      callbacks: { onWidgetEmbedded: () => ((__report.ready = true), (__report.readyAt = performance.now())) },
    };
    const script = document.createElement('script');
    script.nonce = '${nonce}';
    script.src = '${vendor}/stand-ins/dg-chat.js${delay ? `?delay=${delay}` : ''}';
    document.head.append(script);
  });
</script></body></html>`;
}

/**
 * The ideal without the library, for the benchmark: one inline script that starts the token fetch
 * and the vendor script's download at the same moment, then injects the (already downloaded) script
 * once the token is in the config. The floor any loader can reach on this page.
 */
function idealPage(nonce, delay, vendor, { before, lock }) {
  const suffix = delay ? `&delay=${delay}` : '';
  const scriptUrl = `${vendor}/stand-ins/dg-chat.js${delay ? `?delay=${delay}` : ''}`;
  // before: the same page after loading a script file first, the script-tag file with no
  // data-widget (it starts nothing) or an empty one: the floor of any page that loads a library
  // file before its first request, and how much of it is the file's own size.
  const library = before
    ? `<script nonce="${nonce}" src="${before === 'empty' ? '/pages/empty.js' : '/dist/widget-token.iife.js'}"></script>`
    : '';
  // lock: the request goes out once a Web Lock is granted, as single flight across tabs needs.
  const send = lock
    ? (request) => `navigator.locks.request('ideal', () => ${request})`
    : (request) => request;
  return `<!doctype html><html><head><meta charset="utf-8"><title>ideal</title></head><body>${library}
<script nonce="${nonce}">
  window.__report = { violations: [], errors: [] };
  const preload = document.createElement('link');
  preload.rel = 'preload';
  preload.as = 'script';
  preload.href = '${scriptUrl}';
  // Under this page's CSP a preload without the nonce is blocked like a script would be.
  preload.nonce = '${nonce}';
  document.head.append(preload);
  ${send(`fetch('/api/token?kind=jws&lifetime=60${suffix}')`)}.then((r) => r.json()).then(({ token }) => {
    window.DG_CHAT_WIDGET_CONFIG = {
      widgetId: 'w-1', env: 'eu', metadata: { auth_token: token },
      callbacks: { onWidgetEmbedded: () => ((__report.ready = true), (__report.readyAt = performance.now())) },
    };
    const script = document.createElement('script');
    script.nonce = '${nonce}';
    script.src = '${scriptUrl}';
    document.head.append(script);
  });
</script></body></html>`;
}

export async function scriptTagPageResponse(url, headers = {}) {
  if (['/pages/snippet.html', '/pages/ideal.html', '/pages/blank.html'].includes(url.pathname)) {
    const nonce = randomBytes(12).toString('base64');
    const delay = Number(url.searchParams.get('delay') ?? 0);
    const vendor = url.searchParams.get('vendor') ?? '';
    const body =
      url.pathname === '/pages/blank.html'
        ? `<!doctype html><html><body><script nonce="${nonce}" src="/dist/widget-token.iife.js"></script></body></html>`
        : url.pathname === '/pages/ideal.html'
          ? idealPage(nonce, delay, vendor, {
              before: ['library', 'empty'].find((name) => url.searchParams.has(name)),
              lock: url.searchParams.has('lock'),
            })
          : snippetPage(nonce, delay, vendor);
    return {
      status: 200,
      type: 'text/html',
      body,
      headers: {
        'content-security-policy': `script-src 'nonce-${nonce}'`,
        'cache-control': 'no-store',
      },
    };
  }
  if (url.pathname === '/pages/empty.js') {
    return { status: 200, type: 'text/javascript', body: '' };
  }
  if (url.pathname === '/pages/widgets-tab.html') {
    const nonce = randomBytes(12).toString('base64');
    return {
      status: 200,
      type: 'text/html',
      body: widgetsTabPage(nonce),
      headers: {
        'content-security-policy': `script-src 'nonce-${nonce}'`,
        'cache-control': 'no-store',
      },
    };
  }
  if (url.pathname === '/pages/tab.html') {
    const nonce = randomBytes(12).toString('base64');
    return {
      status: 200,
      type: 'text/html',
      body: tabPage(nonce, Number(url.searchParams.get('lifetime') ?? 60)),
      headers: {
        'content-security-policy': `script-src 'nonce-${nonce}'`,
        'cache-control': 'no-store',
      },
    };
  }
  const match = /^\/pages\/([\w-]+)\.html$/.exec(url.pathname);
  if (match && WIDGETS[match[1]]) {
    const nonce = randomBytes(12).toString('base64');
    const policies = url.searchParams.get('policy') ?? 'widget-token';
    return {
      status: 200,
      type: 'text/html',
      body: page(match[1], nonce, {
        delay: Number(url.searchParams.get('delay') ?? 0),
        hints: url.searchParams.get('hints') !== 'false',
        vendor: url.searchParams.get('vendor') ?? '',
        omit: url.searchParams.get('omit') ?? undefined,
        // ?file=widget: the widget's own script-tag file instead of the all-widgets one.
        file:
          url.searchParams.get('file') === 'widget'
            ? `widget-token.${match[1]}.iife.js`
            : undefined,
        // ?baseline: the build in BASELINE_DIST (the bench compares a change against it).
        dist: url.searchParams.has('baseline') ? '/baseline/dist' : '/dist',
      }),
      headers: {
        'content-security-policy': `script-src 'nonce-${nonce}'; object-src 'none'; base-uri 'none'; require-trusted-types-for 'script'; trusted-types ${policies}`,
        'cache-control': 'no-store',
      },
    };
  }
  if (url.pathname === '/api/token') {
    tokenRequests.push({ at: Date.now(), tab: headers['x-tab'] });
    if (tokenControl.hold) await new Promise(() => {});
    if (tokenControl.status) {
      return { status: tokenControl.status, type: 'text/plain', body: 'unavailable', headers: {} };
    }
    const kind = url.searchParams.get('kind') ?? 'jws';
    const lifetime = Number(url.searchParams.get('lifetime') ?? 60);
    const delay = Number(url.searchParams.get('delay') ?? 0);
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
    const user = url.searchParams.get('user') ?? undefined;
    const token = testToken(kind, lifetime, user);
    issuedTokens.set(token, user);
    return {
      status: 200,
      type: 'application/json',
      body: JSON.stringify(kind === 'jwe' ? { token, expiresIn: lifetime } : { token }),
      headers: { 'cache-control': 'no-store' },
    };
  }
  // The script-tag builds: the all-widgets file and the per-widget ones.
  const build = /^(\/baseline)?\/dist\/(widget-token(?:\.[\w-]+)?\.iife\.js)$/.exec(url.pathname);
  const folder = build?.[1] ? process.env.BASELINE_DIST : new URL('dist/', root).pathname;
  if (build && folder) {
    const body = await readFile(join(folder, build[2])).catch(() => undefined);
    if (!body) return { status: 404, type: 'text/plain', body: 'Not found' };
    // Compressed when the browser accepts it, as every CDN serves scripts.
    if (!/\bgzip\b/.test(headers['accept-encoding'] ?? '')) {
      return { status: 200, type: 'text/javascript', body };
    }
    return {
      status: 200,
      type: 'text/javascript',
      body: gzipped(url.pathname, body),
      headers: { 'content-encoding': 'gzip', vary: 'accept-encoding' },
    };
  }
  return undefined;
}
