// Serves the stand-in vendor scripts, each prefixed with record.js, with the failure modes tests
// need. standInResponse() is framework-agnostic so the demo and the benchmark can mount it too.
//   /stand-ins/<vendor>.js?delay=300          the script, after 300 ms
//   /stand-ins/missing.js                     404
//   /stand-ins/hang.js                        no answer for 2 s (past any fake-clock timeout), then 404
//   /stand-ins/flaky/<key>/<vendor>.js?fail=404|hang
//                                             the first request for <key> 404s, or answers after 2 s;
//                                             later ones succeed
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { VENDORS as ALL_VENDORS } from '../../src/vendors.mjs';
import { scriptTagPageResponse } from './script-tag-pages.mjs';

const folder = new URL('./', import.meta.url);
// One stand-in per vendor with a demo (the vendor table): demo/stand-ins/<id>.js.
const VENDORS = new Set(ALL_VENDORS.filter(({ demo }) => demo).map(({ id }) => id));
const failedOnce = new Set();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
// no-store everywhere: a browser that cached a failure would make "a later retry succeeds" untestable.
const notFound = {
  status: 404,
  type: 'text/plain',
  body: 'Not found',
  headers: { 'cache-control': 'no-store' },
};
// "Hanging" answers only long after any load timeout, but soon enough not to hold the browser's
// cache lock on that URL for the rest of the run.
const HANG_MS = 2_000;

/** Returns { status, type, body } for a stand-in path, or undefined for any other path. */
export async function standInResponse(url) {
  const match = /^\/stand-ins\/(?:flaky\/([\w-]+)\/)?([\w-]+)\.js$/.exec(url.pathname);
  if (!match) return undefined;
  const [, flakyKey, name] = match;
  if (flakyKey && !failedOnce.has(flakyKey)) {
    failedOnce.add(flakyKey);
    // A hung request answers late, after the loader gave up: the browser may hand that late answer
    // to the retry, which must then succeed.
    if (url.searchParams.get('fail') === 'hang') await sleep(HANG_MS);
    else return notFound;
  }
  if (name === 'hang') {
    await sleep(HANG_MS);
    return notFound;
  }
  if (!VENDORS.has(name)) return notFound;
  const delay = Number(url.searchParams.get('delay') ?? 0);
  if (delay > 0) await sleep(delay);
  const [recorder, script] = await Promise.all([
    readFile(new URL('record.js', folder), 'utf8'),
    readFile(new URL(`${name}.js`, folder), 'utf8'),
  ]);
  return {
    status: 200,
    type: 'text/javascript',
    body: `${recorder}\n${script}`,
    headers: { 'cache-control': 'no-store' },
  };
}

/**
 * Starts a server for the stand-ins on its own port: vendor scripts are cross-origin in real life,
 * and the test runner's dev server would answer repeated requests from its own cache.
 */
export function startStandInServer(port) {
  const server = createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const answer =
      (await standInResponse(url)) ??
      (await scriptTagPageResponse(url, request.headers)) ??
      notFound;
    response.writeHead(answer.status, {
      'content-type': answer.type,
      'access-control-allow-origin': '*',
      ...answer.headers,
    });
    response.end(answer.body);
  });
  server.on('error', (error) => {
    // Another test run on this machine already serves the same stand-ins on this port.
    if (error.code === 'EADDRINUSE')
      console.warn(`stand-ins: port ${port} in use, using that server`);
    else throw error;
  });
  server.listen(port, '127.0.0.1');
  server.unref();
  return server;
}
