import { ScriptLoadError } from '../errors.js';

// Minimal Trusted Types shapes; the DOM lib in TypeScript does not describe them yet.
interface TrustedTypePolicy {
  createScriptURL(url: string): unknown;
}
interface TrustedTypePolicyFactory {
  createPolicy(name: string, rules: { createScriptURL(url: string): string }): TrustedTypePolicy;
}

/** The policy name hosts list in their CSP: `trusted-types widget-token`. */
export const TRUSTED_TYPES_POLICY = 'widget-token';

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Resolves a vendor script URL and enforces https: a script loaded over http can be replaced by
 * anyone on the network path and would run with the page's full rights. Plain http is allowed
 * for localhost only, for development.
 */
export function checkScriptUrl(url: string | URL): URL {
  let resolved: URL;
  try {
    resolved = new URL(url, document.baseURI);
  } catch {
    throw new ScriptLoadError(String(url), 'insecure_url', `Invalid script URL "${String(url)}".`);
  }
  const local = LOCAL_HOSTS.has(resolved.hostname);
  if (resolved.protocol !== 'https:' && !(resolved.protocol === 'http:' && local)) {
    throw new ScriptLoadError(
      resolved.href,
      'insecure_url',
      `Refused ${resolved.href}: scripts load over https only (http for localhost).`,
    );
  }
  return resolved;
}

let policy: TrustedTypePolicy | null | undefined;

/**
 * The value to assign to `script.src`. Under a CSP that requires Trusted Types it must be a
 * TrustedScriptURL, made by a policy that only passes URLs already checked by checkScriptUrl. The
 * policy is created on first use, not at import; if the page's CSP does not allow its name, the
 * plain string is returned and the browser's own enforcement decides.
 */
export function trustedScriptUrl(url: URL): string | object {
  const factory = (globalThis as { trustedTypes?: TrustedTypePolicyFactory }).trustedTypes;
  if (!factory) return url.href;
  if (policy === undefined) {
    try {
      policy = factory.createPolicy(TRUSTED_TYPES_POLICY, {
        createScriptURL: (value) => checkScriptUrl(value).href,
      });
    } catch {
      policy = null;
    }
  }
  return policy ? (policy.createScriptURL(url.href) as object) : url.href;
}

/** The CSP nonce of a script already on the page, which a strict CSP requires on ours too. */
export function pageNonce(): string | undefined {
  const script = document.querySelector<HTMLScriptElement>('script[nonce]');
  // The nonce attribute reads as "" once the page has loaded; the property keeps the value.
  return script?.nonce || script?.getAttribute('nonce') || undefined;
}
