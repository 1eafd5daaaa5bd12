// Test tokens. The browser never verifies signatures (that is the vendor's job), so a fixed
// signature segment is enough; what matters is the header and the claims.

const base64url = (value: string) =>
  btoa(value).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

export function makeJwt(
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'HS256', typ: 'JWT' },
): string {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}.c2lnbmF0dXJl`;
}

/** A JWS issued now (by `serverNow`, seconds), valid for `lifetime` seconds. */
export function freshJwt(lifetime: number, serverNow = Date.now() / 1000): string {
  const iat = Math.floor(serverNow);
  return makeJwt({ sub: 'user-1', iat, exp: iat + lifetime });
}

/** A JWE-shaped token: five parts, a header with `enc`; the rest is opaque to the browser. */
export function makeJwe(): string {
  const header = base64url(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM' }));
  return `${header}.ZW5jcnlwdGVkLWtleQ.aXY.Y2lwaGVydGV4dA.dGFn`;
}
