import {
  createContext,
  createElement,
  useContext,
  useMemo,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import { ConfigurationError, type TokenSource, type TokenSourceOptions } from '../index.js';
import { createTokenSourceRegistry, type TokenSourceRegistry } from './token-source-registry.js';

const RegistryContext = createContext<TokenSourceRegistry | undefined>(undefined);

/** Props of {@link WidgetTokenProvider}. */
export interface WidgetTokenProviderProps {
  children?: ReactNode;
}

/**
 * The scope in which {@link useTokenSource} shares sources: put it once near the root of the app.
 * Components under it that ask for the same URL and cross-tab key get the same source.
 *
 * @example
 * createRoot(element).render(
 *   <WidgetTokenProvider>
 *     <App />
 *   </WidgetTokenProvider>,
 * );
 */
export function WidgetTokenProvider({ children }: WidgetTokenProviderProps): ReactNode {
  // One registry per provider (not per module): two apps on a page, or two test cases, never share.
  const [registry] = useState(createTokenSourceRegistry);
  return createElement(RegistryContext.Provider, { value: registry }, children);
}

const noSourceOnTheServer = (): undefined => undefined;

/**
 * The token source for `options.url` and `options.crossTab.key`, shared with every other component
 * under the same {@link WidgetTokenProvider} that asks for them: one source, one request. The
 * source is stopped when the last component using it unmounts. Other options are those of the
 * first component that asked; give functions (`headers: () => …`) for values that change.
 *
 * A new key (e.g. another user's id) gives a new source, and the old one stops once nobody holds
 * it. Returns `undefined` during server rendering and hydration (the source only exists in the
 * browser), then the source.
 *
 * @example
 * function Chat({ userId }: { userId: string }) {
 *   const tokens = useTokenSource({ url: '/api/widget-token', crossTab: { key: userId } });
 *   const { status } = useToken(tokens);
 *   return <p>Chat: {status}</p>;
 * }
 */
export function useTokenSource(options: TokenSourceOptions): TokenSource | undefined {
  const registry = useContext(RegistryContext);
  if (!registry) {
    throw new ConfigurationError('useTokenSource() must be called under a <WidgetTokenProvider>.');
  }
  const key = registry.keyOf(options);
  // Rebuilt only when the key changes, so React does not resubscribe on every render; the options
  // of that render are the ones a new source is created with.
  const store = useMemo(
    () => ({
      subscribe: () => registry.hold(key, options),
      getSnapshot: () => registry.sourceFor(key, options),
    }),
    // eslint-disable-next-line react-hooks/exhaustive-deps -- options are read when the key is new
    [registry, key],
  );
  return useSyncExternalStore(store.subscribe, store.getSnapshot, noSourceOnTheServer);
}
