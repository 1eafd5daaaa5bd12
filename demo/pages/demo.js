// The QA page: one panel per widget. Everything shown comes from the library's public API (events,
// token, expiresAt, refreshAt) and from the demo backend (verify endpoint, counts, failure modes).
// Raw tokens are never written to the page; only their decoded claims.
import {
  createTokenSource,
  viaSocket,
  dgChat,
  iAdvize,
  engagespot,
  videoSdk,
  streamChat,
  knock,
  intercom,
  zendesk,
  twilioConversations,
  agora,
  loadScript,
} from 'widget-token';

const WINDOW = 4 * 60_000; // what the timeline shows
// ?<widget>=<script URL> swaps a stand-in for a real vendor script, e.g. ?dg-chat=https://…/init.js
const overrides = new URLSearchParams(location.search);
const scriptFor = (id, standIn) => overrides.get(id) ?? standIn;
const MODES = ['ok', 'error500', 'unauthorized', 'slow', 'malformed', 'expired', 'offline'];

const WIDGETS = [
  {
    id: 'via-socket',
    title: 'viaSocket Embed',
    create: (tokens, box) =>
      viaSocket({
        tokens,
        parent: box,
        // Inside the panel; without a type the embed covers the viewport.
        config: { type: 'all_space' },
        scriptUrl: scriptFor('via-socket', '/stand-ins/via-socket.js'),
        messageOrigin: location.origin,
      }),
  },
  {
    id: 'dg-chat',
    title: 'DigitalGenius chat',
    // What the vendor script adds at the end of <body> (a launcher in a corner, on a real site):
    // moved into the panel here.
    vendorNode: '.dg-stand-in',
    create: (tokens) =>
      dgChat({
        tokens,
        widgetId: 'demo-widget',
        env: 'eu',
        scriptUrl: scriptFor('dg-chat', '/stand-ins/dg-chat.js'),
      }),
  },
  {
    id: 'iadvize',
    title: 'iAdvize Authenticated Messaging',
    // The SDK retries itself: no retries on top (iAdvize's guidance). Its stand-in asks for a token
    // every 5 s, as often as the real SDK may.
    retry: { attempts: 1 },
    create: (tokens) =>
      iAdvize({
        tokens,
        sid: 4242,
        scriptUrl: scriptFor('iadvize', '/stand-ins/iadvize.js?reask=5'),
      }),
  },
  {
    id: 'engagespot',
    title: 'Engagespot inbox',
    create: (tokens, box) =>
      engagespot({
        tokens,
        apiKey: 'engagespot-demo-key',
        userId: 'demo-user-42',
        target: box,
        scriptUrl: scriptFor('engagespot', '/stand-ins/engagespot.js'),
      }),
  },
  {
    id: 'video-sdk',
    title: 'VideoSDK',
    create: (tokens) =>
      videoSdk({ tokens, scriptUrl: scriptFor('video-sdk', '/stand-ins/video-sdk.js') }),
  },
  {
    id: 'stream-chat',
    title: 'Stream Chat',
    // The host's own StreamChat client (npm stream-chat); here its stand-in.
    create: (tokens) =>
      streamChat({
        tokens,
        user: { id: 'demo-user-42' },
        client: async () => {
          await loadScript({
            url: scriptFor('stream-chat', '/stand-ins/stream-chat.js'),
            isReady: () => '__standInStreamChat' in window,
          });
          return new window.__standInStreamChat('stream-demo-key');
        },
      }),
  },
  {
    id: 'knock',
    title: 'Knock feed',
    // The host's own Knock instance (npm @knocklabs/client); here its stand-in.
    create: (tokens) =>
      knock({
        tokens,
        user: 'demo-user-42',
        knock: async () => {
          await loadScript({
            url: scriptFor('knock', '/stand-ins/knock.js'),
            isReady: () => '__standInKnock' in window,
          });
          return new window.__standInKnock('pk_test_demo');
        },
      }),
  },
  {
    id: 'intercom',
    title: 'Intercom Messenger',
    // The real script is https://widget.intercom.io/widget/<app_id>; here its stand-in.
    create: (tokens) =>
      intercom({
        tokens,
        appId: 'demoapp42',
        scriptUrl: scriptFor('intercom', '/stand-ins/intercom.js'),
      }),
  },
  {
    id: 'zendesk',
    vendorNode: 'iframe[title="Button to launch messaging window"]',
    title: 'Zendesk messaging',
    // The real snippet is https://static.zdassets.com/ekr/snippet.js?key=…; here its stand-in,
    // which asks for a fresh JWT only when the one it holds is expiring.
    create: (tokens) =>
      zendesk({
        tokens,
        key: 'demo-key',
        scriptUrl: scriptFor('zendesk', '/stand-ins/zendesk.js'),
      }),
  },
  {
    id: 'twilio-conversations',
    title: 'Twilio Conversations',
    // The host's own Client (npm @twilio/conversations), created from the first token; here its
    // stand-in, which never warns before a token under 60 s expires.
    create: (tokens) =>
      twilioConversations({
        tokens,
        createClient: async (token) => {
          await loadScript({
            url: scriptFor('twilio-conversations', '/stand-ins/twilio-conversations.js'),
            isReady: () => '__standInTwilioConversations' in window,
          });
          return new window.__standInTwilioConversations.Client(token);
        },
      }),
  },
  {
    id: 'agora',
    title: 'Agora RTC',
    // The host's own client (npm agora-rtc-sdk-ng, AgoraRTC.createClient()); here its stand-in,
    // whose token-privilege-will-expire comes once only. The App ID is the demo backend's.
    create: (tokens) =>
      agora({
        tokens,
        appId: '0123456789abcdef0123456789abcdef',
        channel: 'widget-token-demo',
        client: async () => {
          await loadScript({
            url: scriptFor('agora', '/stand-ins/agora.js'),
            isReady: () => '__standInAgora' in window,
          });
          return window.__standInAgora.createClient();
        },
      }),
  },
];

const api = (vendor, action, body) =>
  fetch(`/api/${vendor}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  }).then(async (response) => {
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ?? `HTTP ${response.status}`);
    return body;
  });

// The header says how long tokens live on this server (TOKEN_LIFETIME).
fetch('/api/config')
  .then((response) => response.json())
  .then(({ lifetime }) => {
    document.getElementById('token-lifetime').textContent = `${lifetime} s`;
  });

const time = (ms) => new Date(ms).toLocaleTimeString();
const seconds = (ms) => (ms === undefined ? '–' : `${Math.max(0, Math.ceil(ms / 1000))} s`);

function decodeClaims(token, expiresAt) {
  if (token.startsWith('007')) {
    return {
      format: 'Agora AccessToken2: opaque to the browser',
      'expiry (from the backend response)': expiresAt ? time(expiresAt) : 'none',
    };
  }
  const parts = token.split('.');
  if (parts.length === 5) {
    const header = JSON.parse(atob(parts[0].replace(/-/g, '+').replace(/_/g, '/')));
    return {
      format: 'JWE: encrypted, the browser cannot read the claims',
      header,
      'expiry (from the backend response)': expiresAt ? time(expiresAt) : 'none',
    };
  }
  const payload = JSON.parse(atob(parts[1].replace(/-/g, '+').replace(/_/g, '/')));
  // Claims in epoch seconds, shown with the local time beside them.
  for (const claim of ['iat', 'nbf', 'exp']) {
    if (typeof payload[claim] === 'number') {
      payload[claim] = `${payload[claim]} (${time(payload[claim] * 1000)})`;
    }
  }
  return { format: 'JWS', ...payload };
}

const panels = new Map();

/**
 * The stand-ins call this for every token they receive: check it like the vendor would. The verdict
 * is returned to stand-ins that cannot read a token themselves (Agora's opaque AccessToken2).
 */
window.__standInVerify = async (vendor, token) => {
  const panel = panels.get(vendor);
  if (!panel) return undefined;
  panel.held = token;
  return panel.checkHeld(token);
};

function createPanel(spec) {
  const node = document.getElementById('panel').content.firstElementChild.cloneNode(true);
  node.id = `panel-${spec.id}`;
  node.querySelector('h2').textContent = spec.title;
  const box = node.querySelector('.widget');
  box.id = `widget-${spec.id}`;
  const status = node.querySelector('.widget-status');
  const log = node.querySelector('.log');
  const history = { tokens: [], requests: [], failures: [] };
  const panel = { held: undefined, tokens: undefined, widget: undefined, history };
  if (spec.vendorNode) {
    new MutationObserver(() => {
      for (const vendorNode of document.body.querySelectorAll(`:scope > ${spec.vendorNode}`)) {
        box.append(vendorNode);
      }
    }).observe(document.body, { childList: true });
  }

  const write = (text, kind = '') => {
    const item = document.createElement('li');
    item.className = kind;
    item.textContent = `${time(Date.now())}  ${text}`;
    log.prepend(item);
    while (log.children.length > 80) log.lastChild.remove();
  };
  panel.write = write;

  // The verdict on the token the widget holds is checked whenever that token changes (the
  // stand-in reports it), and again at the moment it lapses: never a ✓ on an expired token.
  let lapseTimer;
  panel.checkHeld = async (token = panel.held) => {
    if (!token) return undefined;
    const result = await api(spec.id, 'verify', { token });
    // A verdict on a token already replaced is only returned, not shown.
    if (token !== panel.held) return result;
    clearTimeout(lapseTimer);
    if (result.valid && result.expiresAt) {
      lapseTimer = setTimeout(() => panel.checkHeld(token), result.expiresAt - Date.now());
    }
    panel.lastCheck = result;
    showVerdict();
    return result;
  };
  // A blocked source (401/403) asks for nothing until refresh(): the panel says so, whatever
  // the widget still holds.
  const showVerdict = () => {
    const result = panel.lastCheck;
    if (panel.tokens?.phase === 'blocked') {
      status.className = 'widget-status invalid';
      status.textContent = '✗ blocked: the endpoint refused (401/403); press Refresh now';
    } else if (result) {
      status.className = `widget-status ${result.valid ? 'valid' : 'invalid'}`;
      status.textContent = result.valid
        ? `✓ token verified${result.expiresAt ? ` · valid until ${time(result.expiresAt)}` : ' · no expiry'}`
        : `✗ token rejected: ${result.reason}`;
    }
  };

  function start() {
    const tokens = createTokenSource({
      url: `/api/${spec.id}/token`,
      ...(spec.retry ? { retry: spec.retry } : {}),
    });
    tokens.on('refreshing', ({ reason, attempt }) => {
      history.requests.push(Date.now());
      write(`requested (${reason}${attempt > 1 ? `, attempt ${attempt}` : ''})`);
    });
    tokens.on('token', ({ token, expiresAt }) => {
      history.tokens.push({ from: Date.now(), to: expiresAt });
      node.querySelector('.claims').textContent = JSON.stringify(
        decodeClaims(token, expiresAt),
        null,
        2,
      );
      write(
        `received a token${expiresAt ? `, valid until ${time(expiresAt)}` : ' without expiry'}`,
        'token',
      );
    });
    tokens.on('error', ({ error, willRetry, retryIn }) => {
      history.failures.push(Date.now());
      write(
        `error ${error.code}: ${error.message.replace('[widget-token] ', '')}${willRetry ? ` (retry in ${seconds(retryIn)})` : ''}`,
        'error',
      );
    });
    tokens.on('expired', () => write('token expired', 'error'));
    tokens.on('phase', ({ phase, previous }) => {
      // On the panel for a look in DevTools, and for the e2e tests, which move their fake clock
      // on only while no panel is fetching.
      node.dataset.phase = phase;
      if (phase === 'blocked' || previous === 'blocked') showVerdict();
    });
    const widget = spec.create(tokens, box);
    widget.on('delivered', () => write('delivered to the widget', 'token'));
    widget.on('error', ({ error }) =>
      write(`widget error: ${error.message.replace('[widget-token] ', '')}`, 'error'),
    );
    widget.ready.then(
      () => write('widget ready'),
      (error) => write(`widget failed: ${error.message}`, 'error'),
    );
    panel.tokens = tokens;
    panel.widget = widget;
  }

  const select = node.querySelector('[data-action="mode"]');
  for (const mode of MODES) select.append(new Option(mode, mode));
  select.onchange = async () => {
    await api(spec.id, 'control', { mode: select.value });
    write(`backend switched to "${select.value}"`);
  };
  const lifetime = node.querySelector('[data-action="lifetime"]');
  lifetime.onchange = async () => {
    try {
      const state = await api(spec.id, 'control', { lifetime: Number(lifetime.value) });
      write(`backend lifetime set to ${state.lifetime ? `${state.lifetime} s` : 'no expiry'}`);
    } catch (error) {
      write(`backend refused: ${error.message}`, 'error');
    }
  };
  node.querySelector('[data-action="refresh"]').onclick = () =>
    panel.tokens.refresh().catch(() => {});
  node.querySelector('[data-action="recreate"]').onclick = async () => {
    write('stopping and recreating');
    await panel.widget.destroy();
    panel.tokens.stop();
    status.className = 'widget-status';
    status.textContent = 'waiting for a token…';
    clearTimeout(lapseTimer);
    panel.lastCheck = undefined;
    start();
  };
  if (spec.id === 'video-sdk') {
    const join = document.createElement('button');
    join.type = 'button';
    join.textContent = 'Join meeting';
    join.onclick = () =>
      panel.widget.join({ meetingId: 'demo-room', name: 'QA' }).then(
        () => write('joined the meeting'),
        (error) => write(`join failed: ${error.message}`, 'error'),
      );
    node.querySelector('.controls').append(join);
  }

  panel.render = (state) => {
    const now = Date.now();
    node.querySelector('.expires').textContent = panel.tokens.token
      ? panel.tokens.expiresAt
        ? seconds(panel.tokens.expiresAt - now)
        : 'never'
      : 'no valid token';
    node.querySelector('.next').textContent =
      panel.tokens.phase === 'blocked'
        ? 'blocked: press Refresh now'
        : panel.tokens.refreshAt
          ? seconds(panel.tokens.refreshAt - now)
          : 'nothing scheduled';
    // This page's own requests and tokens (the library's events), not the server's totals, which
    // count every tab since it started and the browser's own re-sends of a failed request.
    node.querySelector('.counts').textContent =
      `${history.requests.length} / ${history.tokens.length}`;
    if (state) {
      if (document.activeElement !== select) select.value = state.mode;
      if (document.activeElement !== lifetime) lifetime.value = state.lifetime;
    }
    drawTimeline(node.querySelector('.timeline'), history, now);
  };

  document.getElementById('panels').append(node);
  panels.set(spec.id, panel);
  start();
}

function drawTimeline(svg, history, now) {
  const start = now - WINDOW * 0.85;
  const x = (t) => Math.max(0, Math.min(1000, ((t - start) / WINDOW) * 1000));
  const parts = [];
  history.tokens.forEach((token, i) => {
    const end = token.to ?? start + WINDOW;
    if (end < start) return;
    const fill = i % 2 ? '#4f8ef7' : '#7fb0ff';
    parts.push(
      `<rect x="${x(token.from)}" y="8" width="${Math.max(1, x(end) - x(token.from))}" height="${16 + (i % 2) * 6}" fill="${fill}" rx="3"/>`,
    );
  });
  for (const t of history.requests)
    if (t >= start) parts.push(`<rect x="${x(t)}" y="36" width="2" height="10" fill="#1d2433"/>`);
  for (const t of history.failures)
    if (t >= start)
      parts.push(`<rect x="${x(t) - 2}" y="50" width="5" height="10" fill="#d93025"/>`);
  parts.push(
    `<line x1="${x(now)}" x2="${x(now)}" y1="0" y2="64" stroke="#1d2433" stroke-dasharray="3 3"/>`,
  );
  svg.innerHTML = parts.join('');
}

for (const spec of WIDGETS) createPanel(spec);

// Refresh the numbers, the timelines and the backend switches. (Verdicts are not polled: each
// panel checks its held token when it changes and when it lapses.)
setInterval(async () => {
  const state = await fetch('/api/state').then(
    (response) => response.json(),
    () => undefined,
  );
  for (const [id, panel] of panels) panel.render(state?.[id]);
}, 1000);

document.getElementById('offline').onclick = async (event) => {
  const button = event.currentTarget;
  const offline = !button.classList.contains('active');
  button.classList.toggle('active', offline);
  button.textContent = offline ? 'Back online' : 'Go offline';
  await Promise.all(
    [...panels.keys()].map((id) => api(id, 'control', { mode: offline ? 'offline' : 'ok' })),
  );
  // Coming back online is what the browser would announce: the library retries at once.
  if (!offline) window.dispatchEvent(new Event('online'));
};
