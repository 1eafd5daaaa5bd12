// Unusable answers from a token endpoint, shared by the response tests and the reliability matrix.
import type { Reply } from './fake-backend.js';
import { makeJwt } from './jwt.js';
import { NOW } from './harness.js';

const OPAQUE = 'opaque_token-0123456789';

/** A part of each bad token that no error message may repeat. */
export const SECRETISH = 'SECRETPART';
/** Every kind of unusable answer from a token endpoint, and what its error must say. */
export const MALFORMED_ANSWERS: { name: string; reply: Reply; message: RegExp }[] = [
  {
    name: 'a JWS whose payload decodes but is not JSON',
    reply: { json: { token: `eyJhbGciOiJIUzI1NiJ9.aGVsbG8.${SECRETISH}` } },
    message: /payload is not base64url JSON/,
  },
  {
    name: 'an HTML page with status 200',
    reply: { text: '<!doctype html><p>Login</p>', contentType: 'text/html' },
    message: /HTML page/,
  },
  {
    name: 'an HTML page without content type',
    reply: { text: '<html></html>' },
    message: /HTML page/,
  },
  {
    name: 'an empty body',
    reply: { text: '', contentType: 'application/json' },
    message: /empty body/,
  },
  {
    name: 'invalid JSON',
    reply: { text: '{"token": ', contentType: 'application/json' },
    message: /not valid JSON/,
  },
  {
    name: 'JSON without a token',
    reply: { json: { jwt: SECRETISH, user: 'x' } },
    message: /keys: jwt, user/,
  },
  {
    name: 'a token that is not a string',
    reply: { json: { token: 12345678 } },
    message: /number, not a string/,
  },
  { name: 'a JSON array', reply: { json: [SECRETISH] }, message: /received an array of 1 items/ },
  {
    name: 'an unsupported content type',
    reply: { text: SECRETISH, contentType: 'application/octet-stream' },
    message: /octet-stream/,
  },
  {
    name: 'a token with spaces',
    reply: { json: { token: `abc ${SECRETISH}` } },
    message: /U\+0020/,
  },
  {
    name: 'a token with quotes and markup',
    reply: { json: { token: `${SECRETISH}"><script>` } },
    message: /U\+0022/,
  },
  {
    name: 'a token with a newline inside',
    reply: { json: { token: `${SECRETISH}\nabc` } },
    message: /U\+000A/,
  },
  {
    name: 'a token too short',
    reply: { json: { token: 'abc' } },
    message: /has 3 characters/,
  },
  {
    name: 'a token too long',
    reply: { json: { token: 'a'.repeat(20_000) } },
    message: /has 20000 characters/,
  },
  {
    name: 'a JWS-looking token with two parts',
    reply: { json: { token: `eyJhbGciOiJIUzI1NiJ9.${SECRETISH}` } },
    message: /2 parts/,
  },
  {
    name: 'a JWS whose payload is not base64 JSON',
    reply: { json: { token: `eyJhbGciOiJIUzI1NiJ9.${SECRETISH}.sig` } },
    message: /payload is not base64url JSON/,
  },
  {
    name: 'a JWS with alg none',
    reply: { json: { token: makeJwt({ exp: NOW / 1000 + 60 }, { alg: 'none' }) } },
    message: /alg: none/,
  },
  {
    name: 'a JWS whose exp is not a number',
    reply: { json: { token: makeJwt({ exp: 'tomorrow' }) } },
    message: /`exp` must be seconds > 0/,
  },
  {
    name: 'a JWS whose exp is in milliseconds',
    reply: { json: { token: makeJwt({ iat: NOW / 1000, exp: NOW + 60_000 }) } },
    message: /too far away/,
  },
  {
    name: 'an expiresIn that is not a number',
    reply: { json: { token: OPAQUE, expiresIn: 'soon' } },
    message: /`expiresIn` must be seconds/,
  },
  {
    name: 'an expiresAt that is not a date',
    reply: { json: { token: OPAQUE, expiresAt: 'never' } },
    message: /`expiresAt` must be epoch/,
  },
  {
    name: 'a body of several megabytes',
    reply: { text: 'a'.repeat(3_000_000), contentType: 'text/plain' },
    message: /over 65536 bytes/,
  },
  {
    name: 'a declared content-length of several megabytes',
    reply: { text: 'x', contentType: 'text/plain', headers: { 'content-length': '5000000' } },
    message: /5000000 bytes/,
  },
];
