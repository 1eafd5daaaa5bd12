// A loopback fake of the Stream Chat and Knock APIs, for the real npm clients (stream-chat 9 with
// `baseURL`, @knocklabs/client with `host`) running in a real browser. It serves the test page on the
// same origin, signs tokens as each vendor documents (jose: Stream HS256 `user_id`, Knock RS256
// `sub`), and records every token where it leaves the browser: the HTTP header or the WebSocket URL.
// A token is accepted only while the fake clock (`vendors.now`, the page's clock) is before its exp;
// Stream answers an expired one with error 40 (TOKEN_EXPIRED), as the real API does.
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { build } from 'esbuild';
import { SignJWT, exportJWK, generateKeyPair, importJWK, jwtVerify } from 'jose';

const STREAM_SECRET = new TextEncoder().encode('stream-api-secret-for-tests-only');
const WEBSOCKET_GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** The page: the library's source and the two real SDKs, bundled as a host's bundler would. */
async function bundlePage() {
  const result = await build({
    stdin: {
      contents: `
        import { StreamChat } from 'stream-chat';
        import Knock from '@knocklabs/client';
        import { createTokenSource, streamChat, streamTokenProvider, knock, knockTokenExpiring } from '../../src/index.ts';
        window.sdk = { StreamChat, Knock, createTokenSource, streamChat, streamTokenProvider, knock, knockTokenExpiring };`,
      // Here: the SDKs are test-only packages (test/node_modules), found from test/ only.
      resolveDir: new URL('.', import.meta.url).pathname,
      loader: 'ts',
    },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    conditions: ['browser'],
    define: { 'process.env.NODE_ENV': '"test"' },
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0].text;
}

/** A text frame from the server (unmasked). */
function frame(text) {
  const payload = Buffer.from(text);
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([0x81, length])
      : length < 65536
        ? Buffer.from([0x81, 126, length >> 8, length & 255])
        : Buffer.concat([Buffer.from([0x81, 127]), Buffer.alloc(4), uint32(length)]);
  return Buffer.concat([header, payload]);
}
const uint32 = (value) => {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32BE(value);
  return buffer;
};

/** Reads the client's (masked) frames from `buffer`; returns the texts and what is left. */
function readFrames(buffer) {
  const texts = [];
  let closed = false;
  while (buffer.length >= 2) {
    const opcode = buffer[0] & 0x0f;
    let length = buffer[1] & 0x7f;
    let offset = 2;
    if (length === 126) {
      if (buffer.length < 4) break;
      length = buffer.readUInt16BE(2);
      offset = 4;
    } else if (length === 127) {
      if (buffer.length < 10) break;
      length = Number(buffer.readBigUInt64BE(2));
      offset = 10;
    }
    const masked = (buffer[1] & 0x80) !== 0;
    const maskOffset = offset;
    if (masked) offset += 4;
    if (buffer.length < offset + length) break;
    const payload = Buffer.from(buffer.subarray(offset, offset + length));
    if (masked) for (let i = 0; i < length; i++) payload[i] ^= buffer[maskOffset + (i % 4)];
    if (opcode === 0x1) texts.push(payload.toString());
    if (opcode === 0x8) closed = true;
    buffer = buffer.subarray(offset + length);
  }
  return { texts, rest: buffer, closed };
}

export async function startLoopbackVendors(port) {
  const knockKeys = await generateKeyPair('RS256', { extractable: true });
  const knockPublic = await importJWK(await exportJWK(knockKeys.publicKey), 'RS256');
  const page = await bundlePage();
  const vendors = {
    /** The page's (fake) time in ms: tokens are signed and checked against it. */
    now: Date.now(),
    /** Token lifetime in seconds. */
    lifetime: 60,
    /** Every token that left the browser: { vendor, via, token, valid, path, at }. */
    seen: [],
    /** Every request to the fake APIs: { method, path }. */
    requests: [],
    /** Issued tokens in order, per vendor. */
    issued: { stream: [], knock: [] },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
  const seconds = () => Math.floor(vendors.now / 1000);

  async function valid(vendor, token) {
    if (!token) return false;
    try {
      await jwtVerify(token, vendor === 'stream' ? STREAM_SECRET : knockPublic, {
        currentDate: new Date(vendors.now),
      });
      return true;
    } catch {
      return false;
    }
  }
  async function see(vendor, via, token, path) {
    const ok = await valid(vendor, token);
    vendors.seen.push({ vendor, via, token, valid: ok, path, at: vendors.now });
    return ok;
  }

  async function issue(vendor) {
    const iat = seconds();
    const token =
      vendor === 'stream'
        ? await new SignJWT({ user_id: 'ada' })
            .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
            .setIssuedAt(iat)
            .setExpirationTime(iat + vendors.lifetime)
            .sign(STREAM_SECRET)
        : await new SignJWT({ sub: 'ada' })
            .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
            .setIssuedAt(iat)
            .setExpirationTime(iat + vendors.lifetime)
            .sign(knockKeys.privateKey);
    vendors.issued[vendor].push({ token, at: vendors.now });
    return token;
  }

  const json = (response, status, body) => {
    response.writeHead(status, {
      'content-type': 'application/json',
      'cache-control': 'no-store',
      // The token source reads the server's time from Date: it must be the fake clock's.
      date: new Date(vendors.now).toUTCString(),
    });
    response.end(JSON.stringify(body));
  };

  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const path = url.pathname;
    if (path === '/page.html') {
      response.writeHead(200, { 'content-type': 'text/html' });
      return response.end(
        '<!doctype html><html><body><script src="/page.js"></script></body></html>',
      );
    }
    if (path === '/page.js') {
      response.writeHead(200, { 'content-type': 'text/javascript' });
      return response.end(page);
    }
    if (path === '/api/stream-token' || path === '/api/knock-token') {
      return json(response, 200, {
        token: await issue(path.includes('stream') ? 'stream' : 'knock'),
      });
    }
    vendors.requests.push({ method: request.method, path });
    if (path.startsWith('/stream/')) {
      const token = request.headers.authorization;
      if (!(await see('stream', 'Authorization header', token, path))) {
        return json(response, 401, {
          code: 40,
          message: 'JWTAuth error: token has expired',
          StatusCode: 401,
          duration: '0ms',
        });
      }
      return json(response, 200, { channels: [], duration: '0ms' });
    }
    // Knock's client resolves its paths against the host's origin (a path in `host` is dropped).
    if (path.startsWith('/v1/')) {
      const token = request.headers['x-knock-user-token'];
      if (!(await see('knock', 'X-Knock-User-Token header', token, path))) {
        return json(response, 401, { code: 'user_token_invalid', status: 401 });
      }
      return json(response, 200, { id: 'ada', __typename: 'User' });
    }
    json(response, 404, { message: 'not found' });
  });

  // Stream's socket: the token is the `authorization` query parameter; the first message (a
  // health.check with a connection id) opens the connection, or an error event refuses it.
  server.on('upgrade', async (request, socket) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const key = request.headers['sec-websocket-key'];
    const accept = createHash('sha1').update(`${key}${WEBSOCKET_GUID}`).digest('base64');
    socket.write(
      'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
        `Sec-WebSocket-Accept: ${accept}\r\n\r\n`,
    );
    vendors.requests.push({ method: 'WS', path: url.pathname });
    const vendor = url.pathname.startsWith('/stream/') ? 'stream' : 'knock';
    const token = url.searchParams.get(vendor === 'stream' ? 'authorization' : 'user_token');
    const ok = await see(vendor, 'WebSocket URL', token, url.pathname);
    const connectionId = `conn-${vendors.requests.length}`;
    if (vendor === 'stream') {
      socket.write(
        frame(
          JSON.stringify(
            ok
              ? { type: 'health.check', connection_id: connectionId, me: { id: 'ada' } }
              : { error: { code: 40, message: 'token has expired', StatusCode: 401 } },
          ),
        ),
      );
    }
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      const { texts, rest, closed } = readFrames(Buffer.concat([buffer, chunk]));
      buffer = rest;
      for (const text of texts) {
        // Answer Stream's health checks so that the client keeps the connection.
        if (vendor === 'stream' && text.includes('health.check')) {
          socket.write(
            frame(JSON.stringify({ type: 'health.check', connection_id: connectionId })),
          );
        }
      }
      if (closed) socket.end();
    });
    socket.on('error', () => {});
  });

  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return vendors;
}
