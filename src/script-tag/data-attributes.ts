// Reading a <script> tag's data- attributes into adapter options, with errors that name the
// attribute to fix (the tag has no other way to say what it wants).
import { ConfigurationError, MESSAGE_PREFIX } from '../errors.js';
import type { ScriptOptions } from '../widgets/create-widget.js';

export type Data = DOMStringMap;

const attribute = (name: string): string =>
  `data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** What every tag reads, whatever its widget (dataset names). */
export const COMMON_ATTRIBUTES: readonly string[] = [
  'widget',
  'tokenUrl',
  'tokenMethod',
  'ttl',
  'allowCrossOrigin',
  'scriptUrl',
  'scriptIntegrity',
  'scriptTimeout',
  'hints',
];

/** Edits (insert, delete, replace one character) that turn `a` into `b`. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known name closest to `name`, if it is close enough to be a slip of the keyboard. */
export function closest(name: string, known: readonly string[]): string | undefined {
  // Compared without case and dashes: data-scripturl and data-scriptUrl both mean data-script-url.
  const plain = (value: string) => value.toLowerCase().replace(/-/g, '');
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = editDistance(plain(name), plain(candidate));
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  // Up to a third of the name may differ: "tokn-method" is token-method, "color" is nothing.
  return best && best.distance <= Math.max(1, Math.floor(name.length / 3)) ? best.name : undefined;
}

/**
 * One warning per data- attribute the tag has but nothing reads: a misspelled optional attribute
 * would otherwise be ignored without a word (data-scripturl: the default CDN URL is loaded).
 */
export function unknownAttributeWarnings(data: Data, known: readonly string[]): string[] {
  // Compared without the data- prefix, which every name shares.
  const bare = (name: string) => attribute(name).slice('data-'.length);
  const knownNames = known.map(bare);
  return Object.keys(data)
    .filter((name) => !known.includes(name))
    .map((name) => {
      const suggestion = closest(bare(name), knownNames);
      return `${MESSAGE_PREFIX} ${attribute(name)}: ${
        suggestion
          ? `did you mean data-${suggestion}?`
          : `not an attribute of data-widget="${data.widget}", which reads ${known.map(attribute).join(', ')}.`
      }`;
    });
}

export function required(data: Data, name: string): string {
  const value = data[name];
  if (!value) {
    throw new ConfigurationError(
      `<script data-widget="${data.widget}"> needs a ${attribute(name)} attribute.`,
    );
  }
  return value;
}

export function number(data: Data, name: string): number | undefined {
  const value = data[name];
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isFinite(parsed)) {
    throw new ConfigurationError(`${attribute(name)} must be a number, received "${value}".`);
  }
  return parsed;
}

export function flag(data: Data, name: string): boolean | undefined {
  const value = data[name];
  if (value === undefined) return undefined;
  // A bare attribute (data-allow-cross-origin) reads as "".
  if (value === '' || value === 'true') return true;
  if (value === 'false') return false;
  throw new ConfigurationError(`${attribute(name)} must be true or false, received "${value}".`);
}

export function json(data: Data, name: string): Record<string, unknown> | undefined {
  const value = data[name];
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value) as Record<string, unknown>;
  } catch {
    throw new ConfigurationError(
      `${attribute(name)} must be JSON, received "${value.slice(0, 60)}".`,
    );
  }
}

/** data-hints, data-script-integrity, data-script-timeout, and the tag's own nonce. */
export function scriptOptions(data: Data, nonce: string): ScriptOptions {
  return {
    hints: flag(data, 'hints') !== false,
    script: {
      ...(nonce ? { nonce } : {}),
      ...(data.scriptIntegrity
        ? { integrity: data.scriptIntegrity, crossOrigin: 'anonymous' as const }
        : {}),
      ...(data.scriptTimeout ? { timeout: number(data, 'scriptTimeout') } : {}),
    },
  };
}
