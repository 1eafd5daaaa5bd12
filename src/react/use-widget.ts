import { useEffect, useRef, useState, type DependencyList } from 'react';
import {
  WidgetError,
  isWidgetTokenError,
  type WidgetEvents,
  type WidgetHandle,
  type WidgetTokenError,
} from '../index.js';

/** What {@link useWidget} returns. */
export interface WidgetState<Widget> {
  /** The widget's handle once created (to call its own methods); undefined before and after. */
  widget: Widget | undefined;
  /** True once the widget is on the page with its first token. */
  ready: boolean;
  /** Why the widget could not be created or started, or its last failure since. */
  error: WidgetTokenError | undefined;
}

/** One widget created by one useWidget call, with the deps it was created for. */
interface Instance<Widget> {
  deps: DependencyList;
  widget: Widget | undefined;
  /** Set once this instance's destroy was decided; results from it are then ignored. */
  disposed: boolean;
  /** The destroy waiting to happen after a cleanup (cancelled by a StrictMode remount). */
  pendingDestroy: { now(): void; cancel(): void } | undefined;
}

const INITIAL: WidgetState<never> = Object.freeze({
  widget: undefined,
  ready: false,
  error: undefined,
});

// Destroys under way anywhere in the app. Widgets share page globals and script tags (two dgChat
// widgets write the same config object and load the same script), so a new widget is only created
// once the old one has removed its own: a user switch done by remounting with a new `key` must not
// have the old widget's clean-up undo the new widget's set-up.
const teardowns = new Set<Promise<void>>();

function sameDeps(a: DependencyList, b: DependencyList): boolean {
  return a.length === b.length && a.every((value, index) => Object.is(value, b[index]));
}

function asWidgetError(error: unknown): WidgetTokenError {
  if (isWidgetTokenError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new WidgetError(`The widget could not be created: ${message}`, undefined, {
    cause: error,
  });
}

/**
 * Creates a widget when the component mounts and destroys it when the component unmounts or when
 * `deps` change (then creates the next one, once the previous one is gone). `factory` is any
 * adapter call (`dgChat(…)`, `iAdvize(…)`, a `createWidget(…)` of your own); return `undefined`
 * while there is nothing to create yet, e.g. while `useTokenSource` has no source (server
 * rendering, hydration). Put the token source in `deps`: a new source (another user) means a new
 * widget.
 *
 * Under StrictMode's mount–unmount–mount the first widget is kept, not destroyed and created
 * again: one script tag, one activation, one token request. A factory that throws, and a widget
 * that fails to start or later reports an error, end up in `error`.
 *
 * @example
 * function Chat({ userId }: { userId: string }) {
 *   const tokens = useTokenSource({ url: '/api/dg-token', crossTab: { key: userId } });
 *   const { ready, error } = useWidget(
 *     () => tokens && dgChat({ tokens, widgetId: 'your-widget-id', env: 'eu' }),
 *     [tokens],
 *   );
 *   if (error) return <p>Chat unavailable ({error.code})</p>;
 *   return ready ? null : <p>Loading chat…</p>;
 * }
 */
export function useWidget<Widget extends WidgetHandle<WidgetEvents>>(
  factory: () => Widget | null | undefined,
  deps: DependencyList,
): WidgetState<Widget> {
  const [state, setState] = useState<WidgetState<Widget>>(INITIAL);
  const current = useRef<Instance<Widget> | undefined>(undefined);
  // The factory of the latest render, for the effect: the deps say when to call it.
  const latestFactory = useRef(factory);
  latestFactory.current = factory;

  useEffect(() => {
    const previous = current.current;
    if (previous?.pendingDestroy) {
      if (!previous.disposed && sameDeps(previous.deps, deps)) {
        // StrictMode (or a re-shown Activity) mounting again at once: keep the widget.
        previous.pendingDestroy.cancel();
        return () => scheduleDestroy(previous);
      }
      // New deps: the old widget goes now, not a moment later.
      previous.pendingDestroy.now();
    }

    const instance: Instance<Widget> = {
      deps,
      widget: undefined,
      disposed: false,
      pendingDestroy: undefined,
    };
    current.current = instance;
    const isCurrent = () => !instance.disposed && current.current === instance;
    const update = (change: Partial<WidgetState<Widget>>) => {
      if (isCurrent()) setState((state) => ({ ...state, ...change }));
    };

    const create = () => {
      if (!isCurrent()) return;
      let widget: Widget | null | undefined;
      try {
        widget = latestFactory.current();
      } catch (error) {
        setState({ widget: undefined, ready: false, error: asWidgetError(error) });
        return;
      }
      if (!widget) {
        setState(INITIAL);
        return;
      }
      instance.widget = widget;
      setState({ widget, ready: false, error: undefined });
      widget.on('error', ({ error }) => update({ error }));
      // A logout (here or in another tab) destroys the widget by itself.
      widget.on('destroyed', () => update({ widget: undefined, ready: false }));
      widget.ready.then(
        () => update({ ready: true }),
        () => {}, // Also emitted as `error`.
      );
    };

    if (teardowns.size === 0) create();
    else {
      setState(INITIAL);
      void Promise.all(teardowns).then(create);
    }
    return () => scheduleDestroy(instance);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- the caller's deps decide
  }, deps);

  return state;
}

/**
 * Destroys the instance's widget a moment later, unless the same component mounts again with the
 * same deps first (StrictMode's simulated unmount, an Activity shown again at once).
 */
function scheduleDestroy<Widget extends WidgetHandle<WidgetEvents>>(
  instance: Instance<Widget>,
): void {
  let settle!: () => void;
  const teardown = new Promise<void>((resolve) => (settle = resolve));
  teardowns.add(teardown);
  const finish = () => {
    teardowns.delete(teardown);
    settle();
  };
  const timer = setTimeout(() => now(), 0);
  const now = () => {
    clearTimeout(timer);
    instance.pendingDestroy = undefined;
    instance.disposed = true;
    const destroyed = instance.widget?.destroy();
    void Promise.resolve(destroyed).then(finish, finish);
  };
  instance.pendingDestroy = {
    now,
    cancel() {
      clearTimeout(timer);
      instance.pendingDestroy = undefined;
      finish();
    },
  };
}
