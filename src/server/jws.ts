// A compact JWS whose header and claims are serialised in exactly the order given. Vendors' own
// builders emit their claims in a fixed order; keeping it makes our tokens byte-identical to theirs
// for the same time and key, which is how the tests hold us to them.
import { CompactSign } from 'jose';

export type Claims = Record<string, unknown>;

/** Drops undefined members, as JSON.stringify would, so claim objects can list optional ones. */
export const defined = <T extends Claims>(claims: T): T =>
  Object.fromEntries(Object.entries(claims).filter(([, value]) => value !== undefined)) as T;

/** Signs `claims` under `header` (HS256 with bytes, RS256 with a private CryptoKey). */
export function signJws(
  header: { alg: 'HS256' | 'RS256' } & Claims,
  claims: Claims,
  key: Uint8Array | CryptoKey,
): Promise<string> {
  return new CompactSign(new TextEncoder().encode(JSON.stringify(claims)))
    .setProtectedHeader(header)
    .sign(key);
}

/** What every signer returns: the body a widget-token endpoint answers with. */
export interface SignedToken {
  /** The token, exactly as the widget receives it. */
  token: string;
  /**
   * Seconds the token was signed to live (its `exp` minus its issue time). The browser half needs
   * it for tokens it cannot read (Agora's AccessToken2, iAdvize's JWE); for JWTs it matches `exp`.
   * Absent for a token without expiry (viaSocket's default).
   */
  expiresIn?: number;
}
