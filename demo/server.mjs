// Placeholder demo until the demo issue lands: serves the built library and a page that watches a
// token source fetch and refresh short-lived opaque tokens from /api/token. The tokens here are
// random strings, not signed: the signing backends arrive with the demo issue.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const port = Number(process.env.PORT ?? 8080);
const TOKEN_LIFETIME_SECONDS = 30;
const types = { '.html': 'text/html', '.js': 'text/javascript', '.map': 'application/json' };

const server = createServer(async (request, response) => {
  const { pathname } = new URL(request.url ?? '/', 'http://localhost');
  if (pathname === '/api/token') {
    response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    response.end(
      JSON.stringify({
        token: randomBytes(24).toString('base64url'),
        expiresIn: TOKEN_LIFETIME_SECONDS,
      }),
    );
    return;
  }
  const file = pathname === '/' ? 'demo/index.html' : normalize(pathname).replace(/^[/\\]+/, '');
  if (!file.startsWith('demo/') && !file.startsWith('dist/')) {
    response.writeHead(404).end('Not found');
    return;
  }
  try {
    const body = await readFile(join(root, file));
    response.writeHead(200, { 'content-type': types[extname(file)] ?? 'text/plain' });
    response.end(body);
  } catch {
    response.writeHead(404).end('Not found');
  }
});

server.listen(port, '127.0.0.1', () => {
  console.log(`widget-token demo (placeholder): http://localhost:${port}/`);
});
