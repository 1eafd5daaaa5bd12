import { ConfigurationError } from '../errors.js';

/**
 * A vendor SDK object the host hands to an adapter: the object itself, or a function that loads it
 * (`() => import('stream-chat').then(…)`), so that the SDK can stay out of the host's main bundle.
 * The adapters never bundle a vendor SDK.
 */
export type HostSdk<T> = T | (() => T | Promise<T>);

/** Throws a ConfigurationError naming `option` unless `value` is an object or a loader function. */
export function checkHostSdk(
  value: unknown,
  adapter: string,
  option: string,
  expected: string,
): void {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) {
    throw new ConfigurationError(
      `${adapter}() needs \`${option}\`: ${expected}, or a function that resolves to it; received ${value === null ? 'null' : typeof value}.`,
    );
  }
}

/** The SDK object, loading it first when the host gave a loader function. */
export async function resolveHostSdk<T extends object>(sdk: HostSdk<T>): Promise<T> {
  return typeof sdk === 'function' ? await (sdk as () => T | Promise<T>)() : sdk;
}
