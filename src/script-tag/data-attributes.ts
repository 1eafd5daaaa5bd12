// Reading a <script> tag's data- attributes into adapter options, with errors that name the
// attribute to fix (the tag has no other way to say what it wants).
import { ConfigurationError } from '../errors.js';
import type { ScriptOptions } from '../widgets/create-widget.js';

export type Data = DOMStringMap;

const attribute = (name: string) => `data-${name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

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
