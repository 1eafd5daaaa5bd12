'use client';
// widget-token/react: React bindings. Client-only hooks (the directive keeps them out of React
// Server Components); importing this module does nothing, so server rendering can import it.
// Everything from the core comes through the main entry, so that an app importing both gets one
// copy of it: one registry of sources, not two.
export { WidgetTokenProvider, useTokenSource } from './provider.js';
export type { WidgetTokenProviderProps } from './provider.js';
export { useToken } from './use-token.js';
export type { TokenState, TokenStatus } from './use-token.js';
export { useWidget } from './use-widget.js';
export type { WidgetState } from './use-widget.js';
