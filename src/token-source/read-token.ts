import { jwtDecode } from 'jwt-decode';
import { TokenResponseError } from '../errors.js';

/** What the browser can learn from a token by itself. */
export interface TokenFacts {
  /** `jws`: a signed JWT we can read; `jwe`: an encrypted one we cannot; `opaque`: anything else. */
  format: 'jws' | 'jwe' | 'opaque';
  /** `exp` claim, epoch seconds (JWS only). */
  exp?: number;
  /** `iat` claim, epoch seconds (JWS only). */
  iat?: number;
}

// Tokens go into script attributes, JS config objects and vendor messages. Allowing only the
// base64 and base64url alphabets plus '.' rules out markup and quote injection whatever the
// widget does next. Standard base64 (`+ / =`) is in: opaque tokens such as Agora's AccessToken2
// are issued that way.
const OUTSIDE_TOKEN_CHARACTERS = /[^\w.+/=-]/;
const MIN_LENGTH = 8;
const MAX_LENGTH = 16_384;
// A real lifetime beyond this is almost always a bug, typically `exp` written in milliseconds.
const MAX_LIFETIME_SECONDS = 400 * 24 * 3600;

/**
 * Checks that `token` is a plausible token before it can leave the library. Throws a
 * TokenResponseError that describes the problem without quoting the token.
 */
export function assertTokenShape(token: unknown): asserts token is string {
  if (typeof token !== 'string') {
    throw new TokenResponseError(`The token must be a string, received ${typeof token}.`);
  }
  if (token.length < MIN_LENGTH || token.length > MAX_LENGTH) {
    throw new TokenResponseError(
      `The token has ${token.length} characters; expected ${MIN_LENGTH} to ${MAX_LENGTH}.`,
    );
  }
  const index = token.search(OUTSIDE_TOKEN_CHARACTERS);
  if (index >= 0) {
    const codePoint = token.codePointAt(index)!.toString(16).toUpperCase().padStart(4, '0');
    throw new TokenResponseError(
      `The token has a character outside A–Z a–z 0–9 -_.+/= (U+${codePoint} at ${index}).`,
    );
  }
}

function decodePart(token: string, part: 'header' | 'payload', format: string): unknown {
  try {
    return jwtDecode<unknown>(token, { header: part === 'header' } as { header: true });
  } catch (error) {
    throw new TokenResponseError(`The ${format} ${part} is not base64url JSON.`, {
      cause: error,
    });
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function numericClaim(payload: Record<string, unknown>, name: 'exp' | 'iat'): number | undefined {
  const value = payload[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new TokenResponseError(
      `The JWT's \`${name}\` must be seconds > 0, received ${typeof value}.`,
    );
  }
  return value;
}

/** Validates `token` and reads what the browser can know about it. */
export function readToken(token: unknown): TokenFacts {
  assertTokenShape(token);
  const parts = token.split('.');
  const looksLikeJose = token.startsWith('eyJ');

  if (parts.length === 5) {
    const header = decodePart(token, 'header', 'JWE');
    if (!isRecord(header) || typeof header.enc !== 'string') {
      throw new TokenResponseError('The token has 5 parts but no JWE `enc`.');
    }
    return { format: 'jwe' };
  }
  if (parts.length !== 3 || parts[0] === '' || parts[1] === '') {
    if (looksLikeJose) {
      throw new TokenResponseError(
        `The token looks like a JWT but has ${parts.length} parts${parts.includes('') ? ', some empty' : ''}; a JWS has 3, a JWE 5.`,
      );
    }
    return { format: 'opaque' };
  }
  if (!looksLikeJose) return { format: 'opaque' };

  const header = decodePart(token, 'header', 'JWT');
  if (!isRecord(header) || typeof header.alg !== 'string') {
    throw new TokenResponseError('The JWT header has no `alg`.');
  }
  if (header.alg.toLowerCase() === 'none' || parts[2] === '') {
    throw new TokenResponseError('The JWT is unsigned (`alg: none`): refused.');
  }
  const payload = decodePart(token, 'payload', 'JWT');
  if (!isRecord(payload)) {
    throw new TokenResponseError('The JWT payload is not a JSON object.');
  }
  const exp = numericClaim(payload, 'exp');
  const iat = numericClaim(payload, 'iat');
  if (exp !== undefined && iat !== undefined && exp <= iat) {
    throw new TokenResponseError(
      `The JWT expires before or when it was issued (exp − iat = ${exp - iat} s).`,
    );
  }
  if (exp !== undefined && exp - (iat ?? Date.now() / 1000) > MAX_LIFETIME_SECONDS) {
    throw new TokenResponseError(
      `The JWT's \`exp\` is too far away (${Math.round(exp)}): ms instead of seconds?`,
    );
  }
  return { format: 'jws', exp, iat };
}
