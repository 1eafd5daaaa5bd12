// Reading a <script> tag's data- attributes into adapter options, with errors that name the
// attribute to fix (the tag has no other way to say what it wants).
import { ConfigurationError, MESSAGE_PREFIX } from '../errors.js';
import type { ScriptOptions } from '../widgets/create-widget.js';

export type Data = DOMStringMap;

const attribute = (name: string): string =>
  `data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/** What every tag reads, whatever its widget (dataset names). */
export const COMMON_ATTRIBUTES: readonly string[] =
  'widget tokenUrl tokenMethod ttl allowCrossOrigin scriptUrl scriptIntegrity scriptTimeout hints'.split(
    ' ',
  );

/** Edits (insert, delete or replace one character) that turn `a` into `b` (Levenshtein). */
function editDistance(a: string, b: string): number {
  const row = [...Array(b.length + 1).keys()];
  for (let i = 0; i < a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i + 1;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(above + 1, row[j - 1]! + 1, diagonal + (a[i] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The known name closest to `name`, if it is close enough to be a slip of the keyboard. */
export function closest(name: string, known: readonly string[]): string | undefined {
  // Compared without case and dashes: data-scripturl and data-scriptUrl both mean data-script-url.
  const plain = (value: string) => value.toLowerCase().replace(/-/g, '');
  const [best] = known
    .map((candidate) => [editDistance(plain(name), plain(candidate)), candidate] as const)
    .sort(([a], [b]) => a - b);
  // Up to a third of the name may differ: "tokn-method" is token-method, "colour" is nothing.
  return best && best[0] <= Math.max(1, name.length / 3) ? best[1] : undefined;
}

/**
 * One warning per data- attribute the tag has but nothing reads: a misspelled optional attribute
 * would otherwise be ignored without a word (data-scripturl: the default CDN URL is loaded).
 */
export function unknownAttributeWarnings(data: Data, known: readonly string[]): string[] {
  // Compared without the data- prefix, which every name shares.
  const bare = (name: string) => attribute(name).slice(5);
  const knownNames = known.map(bare);
  return Object.keys(data)
    .filter((name) => !known.includes(name))
    .map((name) => {
      const suggestion = closest(bare(name), knownNames);
      return `${MESSAGE_PREFIX} ${attribute(name)}: ${
        suggestion
          ? `did you mean data-${suggestion}?`
          : `unknown; data-widget="${data.widget}" reads data-${knownNames.join(', data-')}.`
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
