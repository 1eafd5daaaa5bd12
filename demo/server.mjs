// The demo backend: token endpoints built with widget-token/server (its tokenEndpoint, and the
// vendor signers wired in backend/vendors.mjs), a verify endpoint per vendor standing in for the
// vendor's own server, switches for QA to make an endpoint fail, the stand-in widgets, the built
// library and the demo pages. No account, no internet. `npm start` runs it (after the build: the
// signers come from dist/server.js); the end-to-end tests start it in-process.
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tokenEndpoint } from 'widget-token/server';
import { loadKeys } from './backend/keys.mjs';
import { VENDORS } from './backend/vendors.mjs';
import { standInResponse } from './stand-ins/serve-stand-ins.mjs';

const root = new URL('../', import.meta.url);
const TYPES = {
  '.html': 'text/html',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
};
// What the browser may fetch as files: the pages, the built library, the two dependencies the
// ESM page imports through its import map.
const PUBLIC = [
  'demo/pages/',
  'dist/',
  'node_modules/ky/distribution/',
  'node_modules/jwt-decode/build/esm/',
];
export const FAILURE_MODES = [
  'ok',
  'error500',
  'unauthorized',
  'slow',
  'malformed',
  'expired',
  'offline',
];

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// The library refreshes a token a margin (refreshMargin.min, 5 s by default) before it expires
// and calls a token with less than twice that left "too short to refresh safely": delivered, with
// an error beside it. A 10 s token arrives with a little under 10 s left, so the demo's shortest
// lifetime leaves room for the request.
export const SHORTEST_LIFETIME = 15;

/** Why `lifetime` (seconds) cannot be set for `vendor`, or undefined if it can. */
function refuseLifetime(vendor, lifetime) {
  if (!Number.isFinite(lifetime) || lifetime < 0) {
    return `lifetime must be a number of seconds ≥ 0, received ${lifetime}`;
  }
  if (lifetime > 0 && lifetime < SHORTEST_LIFETIME) {
    return `lifetime must be at least ${SHORTEST_LIFETIME} s (the library refreshes 5 s before expiry and needs twice that), received ${lifetime}`;
  }
  // A vendor whose server rejects tokens without exp would make the demo show a failure that no
  // real backend could produce.
  if (lifetime === 0 && !VENDORS[vendor].mayNotExpire) {
    return `${vendor} tokens must expire: lifetime 0 (no expiry) is refused`;
  }
  const max = VENDORS[vendor].maxLifetime;
  if (max !== undefined && lifetime > max) {
    return `${vendor} tokens may live at most ${max} s`;
  }
  return undefined;
}

// The demo has no sign-in: every visitor is this user, except while an endpoint plays
// 'unauthorized' (a signed-out visitor).
const DEMO_USER = { id: 'demo-user-42' };

/** Node's request as a Fetch API Request, for widget-token/server's tokenEndpoint. */
async function toFetchRequest(request) {
  const headers = new Headers();
  for (const [name, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
  }
  let body;
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    const chunks = [];
    for await (const chunk of request) chunks.push(chunk);
    body = Buffer.concat(chunks);
  }
  const url = new URL(request.url ?? '/', `http://${request.headers.host ?? 'localhost'}`);
  return new Request(url, { method: request.method, headers, body });
}

/** Starts the demo server; `lifetime` (seconds) per vendor, viaSocket without expiry by default. */
export async function startDemoServer({ port = 8080, host = '127.0.0.1', lifetime = 30 } = {}) {
  if (!Number.isFinite(lifetime) || lifetime <= 0) {
    throw new Error(`TOKEN_LIFETIME must be a positive number of seconds, received ${lifetime}.`);
  }
  if (lifetime < SHORTEST_LIFETIME) {
    throw new Error(
      `TOKEN_LIFETIME must be at least ${SHORTEST_LIFETIME} s (the library refreshes 5 s before expiry and needs twice that), received ${lifetime}.`,
    );
  }
  const keys = await loadKeys();
  let simulatedNow; // set by end-to-end tests to follow the page's fake clock
  const now = () => Math.floor((simulatedNow ?? Date.now()) / 1000);
  const state = Object.fromEntries(
    Object.keys(VENDORS).map((vendor) => [
      vendor,
      {
        mode: 'ok',
        lifetime:
          vendor === 'via-socket' ? 0 : Math.max(lifetime, VENDORS[vendor].minLifetime ?? 0),
        requests: 0,
        issued: 0,
      },
    ]),
  );

  const json = (response, status, body) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(JSON.stringify(body));
  };
  const readJson = async (request) => {
    let body = '';
    for await (const chunk of request) body += chunk;
    return body ? JSON.parse(body) : {};
  };

  // One widget-token/server endpoint per vendor: same-origin only, no-store, 401 when signed out.
  const endpoints = Object.fromEntries(
    Object.keys(VENDORS).map((vendor) => [
      vendor,
      tokenEndpoint({
        authenticate: () => (state[vendor].mode === 'unauthorized' ? null : DEMO_USER),
        sign(user) {
          const { mode, lifetime: configured } = state[vendor];
          const lifetime = configured || (mode === 'expired' ? 60 : 0);
          const issuedAt = mode === 'expired' ? now() - 2 * lifetime : now();
          return VENDORS[vendor].issue({ keys, userId: user.id, now: issuedAt, lifetime });
        },
      }),
    ]),
  );

  async function serveToken(vendor, request, response) {
    const endpoint = state[vendor];
    endpoint.requests++;
    switch (endpoint.mode) {
      case 'offline':
        request.socket.destroy();
        return;
      case 'error500':
        return json(response, 500, { error: 'demo: server error' });
      case 'malformed':
        response.writeHead(200, { 'content-type': 'text/html' });
        return response.end('<!doctype html><h1>Please sign in</h1>');
      case 'slow':
        await sleep(15_000); // past the library's 10 s timeout
    }
    const answer = await endpoints[vendor](await toFetchRequest(request));
    if (answer.status === 200) endpoint.issued++;
    response.writeHead(answer.status, {
      ...Object.fromEntries(answer.headers),
      date: new Date(now() * 1000).toUTCString(),
    });
    response.end(Buffer.from(await answer.arrayBuffer()));
  }

  /** What the vendor's server would say of a token, at the demo's `now`. */
  async function verify(vendor, token) {
    try {
      const { payload } = await VENDORS[vendor].verify({ keys, token, now: now() });
      return { valid: true, expiresAt: payload.exp ? payload.exp * 1000 : null, claims: payload };
    } catch (error) {
      return {
        valid: false,
        reason: error.code === 'ERR_JWT_EXPIRED' ? 'expired' : (error.code ?? error.message),
      };
    }
  }

  async function serveFile(pathname, response) {
    const file =
      pathname === '/' ? 'demo/pages/index.html' : normalize(pathname).replace(/^[/\\]+/, '');
    const path = file.includes('/') ? file : `demo/pages/${file}`;
    if (!PUBLIC.some((prefix) => path.startsWith(prefix)) || path.includes('..')) {
      return json(response, 404, { error: 'not found' });
    }
    try {
      const body = await readFile(new URL(path, root));
      response.writeHead(200, {
        'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      });
      response.end(body);
    } catch {
      json(response, 404, { error: 'not found' });
    }
  }

  const server = createServer(async (request, response) => {
    try {
      const url = new URL(request.url ?? '/', 'http://localhost');
      const api = /^\/api\/([\w-]+)\/(token|verify|control)$/.exec(url.pathname);
      if (api && VENDORS[api[1]]) {
        const [, vendor, action] = api;
        if (action === 'token') return await serveToken(vendor, request, response);
        const body = await readJson(request);
        if (action === 'verify')
          return json(response, 200, await verify(vendor, String(body.token ?? '')));
        if (body.mode !== undefined && !FAILURE_MODES.includes(body.mode)) {
          return json(response, 400, { error: `mode must be one of ${FAILURE_MODES.join(', ')}` });
        }
        const refused =
          body.lifetime !== undefined && refuseLifetime(vendor, Number(body.lifetime));
        if (refused) return json(response, 400, { error: refused });
        if (body.mode !== undefined) state[vendor].mode = body.mode;
        if (body.lifetime !== undefined) state[vendor].lifetime = Number(body.lifetime);
        return json(response, 200, state[vendor]);
      }
      if (url.pathname === '/api/state') return json(response, 200, state);
      if (url.pathname === '/api/config') return json(response, 200, { lifetime });
      const standIn = await standInResponse(url);
      if (standIn) {
        response.writeHead(standIn.status, { 'content-type': standIn.type, ...standIn.headers });
        return response.end(standIn.body);
      }
      await serveFile(url.pathname, response);
    } catch (error) {
      json(response, 500, { error: String(error) });
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  return {
    server,
    url: `http://${host === '127.0.0.1' ? 'localhost' : host}:${port}`,
    state,
    verify,
    /** For tests: make the server's clock follow a fake one (epoch ms), or undefined for real time. */
    setNow(ms) {
      simulatedNow = ms;
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const port = Number(process.env.PORT ?? 8080);
  const lifetime = Number(process.env.TOKEN_LIFETIME ?? 30);
  try {
    const demo = await startDemoServer({ port, lifetime });
    console.log(
      `widget-token demo on 127.0.0.1: ${demo.url}/  (also ${demo.url}/script-tag.html and ${demo.url}/spa.html); tokens live ${lifetime} s`,
    );
  } catch (error) {
    // A person reads this, not a stack trace: say which setting to change.
    console.error(
      error.code === 'EADDRINUSE'
        ? `widget-token demo: port ${port} is in use; start it on another one, e.g. PORT=${port + 1} npm start`
        : `widget-token demo: ${error.message}`,
    );
    process.exit(1);
  }
}
