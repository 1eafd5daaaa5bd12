// Mounting React trees in the test page: real React 19, StrictMode on, every update inside act().
import { act, createElement, StrictMode, type ReactNode } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { WidgetTokenProvider } from '../../src/react/index.js';

// Tells React that updates are awaited through act(), so it flushes them and warns about others.
(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

export interface Mounted {
  container: HTMLElement;
  render(node: ReactNode): Promise<void>;
  unmount(): Promise<void>;
}

/** Renders `node` under StrictMode and a WidgetTokenProvider (unless `provider: false`). */
export async function mount(
  node: ReactNode,
  { provider = true, strict = true }: { provider?: boolean; strict?: boolean } = {},
): Promise<Mounted> {
  const container = document.createElement('div');
  document.body.append(container);
  const root: Root = createRoot(container);
  const wrap = (child: ReactNode) => {
    const provided = provider ? createElement(WidgetTokenProvider, null, child) : child;
    return strict ? createElement(StrictMode, null, provided) : provided;
  };
  let mounted = true;
  const mountedTree: Mounted = {
    container,
    async render(next) {
      await act(async () => root.render(wrap(next)));
    },
    async unmount() {
      if (!mounted) return;
      mounted = false;
      await act(async () => root.unmount());
      container.remove();
    },
  };
  await mountedTree.render(node);
  return mountedTree;
}

/**
 * Waits until `condition()` holds. Each wait is its own act() so that React renders what happened
 * meanwhile: updates inside one act() are only flushed when it ends.
 */
export async function waitFor(
  condition: () => boolean,
  what = 'the condition',
  timeout = 3000,
): Promise<void> {
  const deadline = Date.now() + timeout;
  await act(async () => {});
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await act(async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
    });
  }
}

/** Lets timers and promises run (inside act) for `ms`. */
export async function settle(ms = 50): Promise<void> {
  await act(async () => {
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
}

/** Counts the script tags ever added for URLs starting with `prefix` (removed ones included). */
export function watchScripts(prefix: string): { readonly added: number; stop(): void } {
  let added = 0;
  const count = (nodes: Iterable<Node>) => {
    for (const node of nodes) {
      if (node instanceof HTMLScriptElement && node.src.startsWith(prefix)) added++;
    }
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) count(record.addedNodes);
  });
  observer.observe(document.documentElement, { childList: true, subtree: true });
  return {
    get added() {
      count(observer.takeRecords().flatMap((record) => [...record.addedNodes]));
      return added;
    },
    stop: () => observer.disconnect(),
  };
}
