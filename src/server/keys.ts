// RSA keys given as PEM text or as WebCrypto CryptoKeys. PEM text is imported once and the
// CryptoKey kept (imports are the slow part of an RS256 signature); a PEM that is not one, or is
// the wrong kind, is refused with a message saying which kind is needed and how to convert it.
import { importPKCS8, importSPKI } from 'jose';
import { SignerInputError, type SignerVendor } from './errors.js';
import { shapeOf } from './input.js';

/** An RSA private key: PKCS#8 PEM text (`-----BEGIN PRIVATE KEY-----`) or a CryptoKey. */
export type PrivateKeyInput = string | CryptoKey;
/** An RSA public key: SPKI PEM text (`-----BEGIN PUBLIC KEY-----`) or a CryptoKey. */
export type PublicKeyInput = string | CryptoKey;

type KeyKind = 'private' | 'public';
const LABEL: Record<KeyKind, string> = { private: 'PRIVATE KEY', public: 'PUBLIC KEY' };
// Bounded: a host signs with a handful of keys; a process that rotates keys keeps the newest.
const MAX_CACHED = 16;
const imported = new Map<string, Promise<CryptoKey>>();

const isCryptoKey = (value: unknown): value is CryptoKey =>
  typeof CryptoKey !== 'undefined' && value instanceof CryptoKey;

/** Why `pem` is not a PEM of the expected kind, or undefined if it looks like one. */
function pemProblem(pem: string, kind: KeyKind): string | undefined {
  const label = /-----BEGIN ([A-Z0-9 ]+)-----/.exec(pem)?.[1];
  if (!label) return `is not a PEM: expected text starting with -----BEGIN ${LABEL[kind]}-----.`;
  if (label === LABEL[kind]) return undefined;
  if (label === 'RSA PRIVATE KEY') {
    return 'is a PKCS#1 PEM (BEGIN RSA PRIVATE KEY); convert it to PKCS#8 with `openssl pkcs8 -topk8 -nocrypt -in key.pem`.';
  }
  if (label === 'RSA PUBLIC KEY') {
    return 'is a PKCS#1 PEM (BEGIN RSA PUBLIC KEY); convert it to SPKI with `openssl rsa -RSAPublicKey_in -pubout`.';
  }
  if (label === 'ENCRYPTED PRIVATE KEY') {
    return 'is an encrypted PEM; decrypt it first (`openssl pkcs8 -topk8 -nocrypt`).';
  }
  return `is a PEM of kind "${label}"; expected ${LABEL[kind]}.`;
}

/**
 * Imports `key` for `alg` (RS256 to sign, RSA-OAEP-256 to encrypt), or checks a CryptoKey's kind.
 * `base64Pem`: Knock hands out its signing key as base64 of the PEM; accepted as is.
 */
export function rsaKey(
  vendor: SignerVendor,
  field: string,
  key: unknown,
  kind: KeyKind,
  alg: 'RS256' | 'RSA-OAEP-256',
  { base64Pem = false } = {},
): Promise<CryptoKey> {
  if (isCryptoKey(key)) {
    if (key.type !== kind) {
      throw new SignerInputError(
        vendor,
        field,
        `is a ${key.type} CryptoKey; expected a ${kind} key.`,
      );
    }
    return Promise.resolve(key);
  }
  if (typeof key !== 'string' || key.trim() === '') {
    throw new SignerInputError(
      vendor,
      field,
      key === undefined || key === ''
        ? `is missing: pass the ${kind} key (PEM text, e.g. from an environment variable, or a CryptoKey).`
        : `must be PEM text or a CryptoKey, received ${shapeOf(key)}.`,
    );
  }
  let pem = key.trim();
  // "LS0tLS1CRUdJTi" is base64 of "-----BEGIN".
  if (base64Pem && pem.startsWith('LS0tLS1CRUdJTi')) {
    try {
      pem = atob(pem).trim();
    } catch {
      throw new SignerInputError(vendor, field, 'looks base64-encoded but does not decode.');
    }
  }
  // Environment variables often carry the line breaks escaped.
  pem = pem.replace(/\\n/g, '\n');
  const problem = pemProblem(pem, kind);
  if (problem) throw new SignerInputError(vendor, field, problem);
  const cacheKey = `${alg}\n${pem}`;
  let pending = imported.get(cacheKey);
  if (!pending) {
    pending = (kind === 'private' ? importPKCS8(pem, alg) : importSPKI(pem, alg)).catch(() => {
      imported.delete(cacheKey);
      throw new SignerInputError(
        vendor,
        field,
        `is not a valid RSA ${kind} key: the PEM's content does not parse as one.`,
      );
    });
    if (imported.size >= MAX_CACHED) imported.delete(imported.keys().next().value!);
    imported.set(cacheKey, pending);
  }
  return pending;
}
