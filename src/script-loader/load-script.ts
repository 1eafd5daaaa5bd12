import { ScriptLoadError } from '../errors.js';
import { TRUSTED_TYPES_POLICY, checkScriptUrl, pageNonce, trustedScriptUrl } from './script-url.js';

/**
 * How to load one vendor script.
 *
 * @example
 * await loadScript({ url: 'https://sdk.example.com/widget.js', isReady: () => 'Widget' in window });
 */
export interface LoadScriptOptions {
  /** https URL (http only for localhost). */
  url: string | URL;
  /**
   * Time allowed for the load and the readiness check together, in ms.
   * @default 15_000
   */
  timeout?: number;
  /** True once the vendor's script is usable (e.g. its global exists); polled after `load`. */
  isReady?: () => boolean;
  /**
   * CSP nonce for the tag.
   * @default the nonce of a `script[nonce]` already on the page
   */
  nonce?: string;
  /** Subresource Integrity hash, passed to the tag. */
  integrity?: string;
  /** `crossorigin` attribute, passed to the tag. */
  crossOrigin?: '' | 'anonymous' | 'use-credentials';
  /** `id` of the tag. */
  id?: string;
  /** Extra attributes the vendor reads from its own tag (e.g. viaSocket's `embedToken`). */
  attributes?: Record<string, string>;
}

/** One promise per script URL, so a script is never loaded twice. */
export interface ScriptLoader {
  /** Loads the script, or returns the promise of the load already under way or done. */
  load(options: LoadScriptOptions): Promise<HTMLScriptElement>;
  /** Removes the tag this loader added for `url` and forgets it, so the next load injects anew. */
  unload(url: string | URL): void;
}

const DEFAULT_TIMEOUT = 15_000;
const READY_POLL_INTERVAL = 50;

/** The query parameter a retry adds to a script URL whose load failed before. */
export const RETRY_PARAMETER = 'wt-retry';

/**
 * How many times each script URL failed to load in this page with an error answer (a timeout does
 * not count: see the catch below). A retry asks for the URL with a parameter the browser has not
 * seen: WebKit remembers a failed `<link rel=preload>` for a URL and fails every later `<script>`
 * for it without a request, even after the link is removed; a proxy or CDN that cached the error
 * would answer the same URL the same way. Page-wide, like the caches it steps around.
 */
const failedLoads = new Map<string, number>();

/** `url` after `failures` failed loads: as given at first, then with `wt-retry=<failures>`. */
export function retryUrl(url: URL, failures: number): URL {
  if (failures === 0) return url;
  const retry = new URL(url);
  retry.searchParams.set(RETRY_PARAMETER, String(failures));
  return retry;
}

interface Entry {
  promise: Promise<HTMLScriptElement>;
  script: HTMLScriptElement;
  /** False when the tag was already on the page: the page owns it and we never remove it. */
  added: boolean;
}

function findExistingTag(url: URL): HTMLScriptElement | undefined {
  return [...document.querySelectorAll<HTMLScriptElement>('script[src]')].find(
    (script) => script.src === url.href,
  );
}

/** Whether a tag already on the page has finished loading, judged by its resource timing entry. */
function hasLoaded(url: URL): boolean {
  return performance.getEntriesByName(url.href, 'resource').length > 0;
}

function waitForScript(
  script: HTMLScriptElement,
  url: URL,
  options: LoadScriptOptions,
  alreadyLoaded: boolean,
): Promise<HTMLScriptElement> {
  const timeout = options.timeout ?? DEFAULT_TIMEOUT;
  return new Promise((resolve, reject) => {
    let poll: ReturnType<typeof setTimeout> | undefined;
    const finish = (error?: ScriptLoadError) => {
      clearTimeout(deadline);
      clearTimeout(poll);
      script.removeEventListener('load', onLoad);
      script.removeEventListener('error', onError);
      if (error) reject(error);
      else resolve(script);
    };
    const checkReady = () => {
      if (!options.isReady || options.isReady()) finish();
      else poll = setTimeout(checkReady, READY_POLL_INTERVAL);
    };
    const onLoad = () => checkReady();
    const onError = () =>
      finish(new ScriptLoadError(url.href, 'network', `The script ${url.href} failed to load.`));
    const deadline = setTimeout(() => {
      const loaded = poll !== undefined;
      finish(
        new ScriptLoadError(
          url.href,
          loaded ? 'not_ready' : 'timeout',
          loaded
            ? `The script ${url.href} loaded but was not ready within ${timeout} ms.`
            : `The script ${url.href} did not load within ${timeout} ms.`,
        ),
      );
    }, timeout);
    script.addEventListener('load', onLoad);
    script.addEventListener('error', onError);
    if (alreadyLoaded) checkReady();
  });
}

/**
 * Creates a loader with its own cache. Most code wants the shared {@link loadScript}; tests and
 * hosts that need isolation create their own.
 */
export function createScriptLoader(): ScriptLoader {
  const entries = new Map<string, Entry>();

  const forget = (href: string) => {
    const entry = entries.get(href);
    entries.delete(href);
    if (entry?.added) entry.script.remove();
  };

  return {
    load(options) {
      let url: URL;
      try {
        url = checkScriptUrl(options.url);
      } catch (error) {
        return Promise.reject(error);
      }
      const cached = entries.get(url.href);
      if (cached) return cached.promise;

      const existing = findExistingTag(url);
      const script = existing ?? document.createElement('script');
      const requested = existing ? url : retryUrl(url, failedLoads.get(url.href) ?? 0);
      if (!existing) {
        if (options.id) script.id = options.id;
        for (const [name, value] of Object.entries(options.attributes ?? {})) {
          script.setAttribute(name, value);
        }
        const nonce = options.nonce ?? pageNonce();
        if (nonce) script.nonce = nonce;
        if (options.integrity) script.integrity = options.integrity;
        if (options.crossOrigin !== undefined) script.crossOrigin = options.crossOrigin;
        script.async = true;
        try {
          // A TrustedScriptURL where the page requires Trusted Types; a string elsewhere.
          script.src = trustedScriptUrl(requested) as string;
        } catch (error) {
          return Promise.reject(
            new ScriptLoadError(
              url.href,
              'blocked',
              `Trusted Types blocked ${url.href}: allow the policy "${TRUSTED_TYPES_POLICY}" in the CSP. ${String(error)}`,
            ),
          );
        }
      }
      const alreadyLoaded =
        existing !== undefined && (options.isReady?.() === true || hasLoaded(url));
      const promise = waitForScript(script, requested, options, alreadyLoaded).catch(
        (error: unknown) => {
          // A dead tag would make every later attempt fail the same way: remove it so a retry
          // injects a fresh one, for a URL no cache has a failure for.
          if (entries.get(url.href)?.promise === promise) forget(url.href);
          // Only an answered failure: a timed-out request may still answer, and a removed tag runs
          // its script when it does, so the retry keeps the URL and the browser joins the two.
          if ((error as ScriptLoadError).reason === 'network') {
            failedLoads.set(url.href, (failedLoads.get(url.href) ?? 0) + 1);
          }
          throw error;
        },
      );
      entries.set(url.href, { promise, script, added: !existing });
      if (!existing) document.head.append(script);
      return promise;
    },
    unload(url) {
      try {
        forget(checkScriptUrl(url).href);
      } catch {
        // An URL that could never be loaded has nothing to unload.
      }
    },
  };
}

let sharedLoader: ScriptLoader | undefined;

/** The page-wide loader, created on first use so that importing this module does nothing. */
export function sharedScriptLoader(): ScriptLoader {
  return (sharedLoader ??= createScriptLoader());
}

/** Loads a script once per URL through the page-wide loader. See {@link LoadScriptOptions}. */
export function loadScript(options: LoadScriptOptions): Promise<HTMLScriptElement> {
  return sharedScriptLoader().load(options);
}
