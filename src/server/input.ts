// Checks shared by the signers. Each throws a SignerInputError naming the vendor and the field and
// never quotes a secret: a bad secret or key is described by its type and length only.
import { SignerInputError, type SignerVendor } from './errors.js';

/** A shared secret: text (used as its UTF-8 bytes, as every vendor's own SDK does) or bytes. */
export type Secret = string | Uint8Array;

/** Describes a value by its shape, never by its content. */
export const shapeOf = (value: unknown): string =>
  value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;

/** The current time in epoch seconds, or the caller's `issuedAt` once checked. */
export function issueTime(vendor: SignerVendor, issuedAt: unknown): number {
  if (issuedAt === undefined) return Math.floor(Date.now() / 1000);
  if (typeof issuedAt !== 'number' || !Number.isInteger(issuedAt) || issuedAt <= 0) {
    throw new SignerInputError(
      vendor,
      'issuedAt',
      `must be a positive whole number of epoch seconds, received ${shapeOf(issuedAt)}${typeof issuedAt === 'number' ? ` ${issuedAt}` : ''}.`,
    );
  }
  // Milliseconds passed for seconds put the token thousands of years in the future.
  if (issuedAt > 1e11) {
    throw new SignerInputError(
      vendor,
      'issuedAt',
      `must be epoch seconds; ${issuedAt} looks like milliseconds.`,
    );
  }
  return issuedAt;
}

/** A lifetime in whole seconds, above 0 and at most the vendor's maximum. */
export function lifetimeSeconds(
  vendor: SignerVendor,
  lifetime: unknown,
  { fallback, max, field = 'lifetime' }: { fallback: number; max?: number; field?: string },
): number {
  const value = lifetime ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new SignerInputError(
      vendor,
      field,
      `must be a positive whole number of seconds, received ${shapeOf(value)}${typeof value === 'number' ? ` ${value}` : ''}.`,
    );
  }
  if (max !== undefined && value > max) {
    throw new SignerInputError(
      vendor,
      field,
      `is ${value} s; ${vendor} accepts at most ${max} s (${max / 3600} h).`,
    );
  }
  return value;
}

/** A secret's bytes; refuses a missing or empty one without ever quoting it. */
export function secretBytes(vendor: SignerVendor, field: string, secret: unknown): Uint8Array {
  if (typeof secret === 'string' && secret.length > 0) return new TextEncoder().encode(secret);
  if (secret instanceof Uint8Array && secret.length > 0) return secret;
  throw new SignerInputError(
    vendor,
    field,
    secret === undefined || secret === '' || (secret instanceof Uint8Array && !secret.length)
      ? 'is missing: pass the secret from your server configuration (e.g. an environment variable).'
      : `must be a string or a Uint8Array, received ${shapeOf(secret)}.`,
  );
}

/** The first control character's position, described without the surrounding text. */
function controlCharacter(text: string): string | undefined {
  // eslint-disable-next-line no-control-regex
  const index = text.search(/[\u0000-\u001f\u007f]/);
  if (index < 0) return undefined;
  return `U+${text.charCodeAt(index).toString(16).toUpperCase().padStart(4, '0')} at index ${index}`;
}

/**
 * A required text field (an id, a SID, a name): non-empty, without control characters, at most
 * `maxLength` characters, and matching `pattern` when the vendor documents one.
 */
export function text(
  vendor: SignerVendor,
  field: string,
  value: unknown,
  rule: { maxLength?: number; maxBytes?: number; pattern?: RegExp; describe?: string } = {},
): string {
  if (typeof value === 'number' && Number.isFinite(value)) value = String(value);
  if (typeof value !== 'string' || value.length === 0) {
    throw new SignerInputError(
      vendor,
      field,
      value === undefined || value === ''
        ? 'is missing.'
        : `must be a string, received ${shapeOf(value)}.`,
    );
  }
  const control = controlCharacter(value);
  if (control) {
    throw new SignerInputError(vendor, field, `contains a control character (${control}).`);
  }
  if (rule.maxLength !== undefined && value.length > rule.maxLength) {
    throw new SignerInputError(
      vendor,
      field,
      `is ${value.length} characters long; ${vendor} accepts at most ${rule.maxLength}.`,
    );
  }
  const bytes = new TextEncoder().encode(value).length;
  if (rule.maxBytes !== undefined && bytes > rule.maxBytes) {
    throw new SignerInputError(
      vendor,
      field,
      `is ${bytes} bytes long (UTF-8); ${vendor} accepts at most ${rule.maxBytes}.`,
    );
  }
  if (rule.pattern && !rule.pattern.test(value)) {
    throw new SignerInputError(vendor, field, `must be ${rule.describe ?? rule.pattern.source}.`);
  }
  return value;
}

/** Like `text`, for optional fields: undefined stays undefined. */
export const optionalText = (
  vendor: SignerVendor,
  field: string,
  value: unknown,
  rule?: Parameters<typeof text>[3],
): string | undefined => (value === undefined ? undefined : text(vendor, field, value, rule));

/** Refuses characters outside an allowed set, naming the first one by code point and index. */
export function onlyCharacters(
  vendor: SignerVendor,
  field: string,
  value: string,
  allowed: RegExp,
  described: string,
): string {
  for (let index = 0; index < value.length; index++) {
    if (!allowed.test(value[index]!)) {
      const codePoint = value.codePointAt(index)!.toString(16).toUpperCase().padStart(4, '0');
      throw new SignerInputError(
        vendor,
        field,
        `contains U+${codePoint} at index ${index}; ${vendor} accepts only ${described}.`,
      );
    }
  }
  return value;
}

/** The options object itself: a signer called without one says so instead of a TypeError. */
export function requireOptions(vendor: SignerVendor, options: unknown): void {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new SignerInputError(
      vendor,
      'options',
      `must be an object of the signer's inputs, received ${shapeOf(options)}.`,
    );
  }
}
