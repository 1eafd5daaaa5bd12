import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import { dts } from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';

// TypeScript is only stripped here (esbuild, per file, no type program): `npm run lint` runs tsc
// for the types. One type-checking program per rollup pass made the build take a minute of CPU.
const typescriptPlugin = () => esbuild({ target: 'es2022', tsconfig: './tsconfig.json' });

/** Script-tag entries (src/script-tag/entries/) and the files they become. */
export const SCRIPT_TAG_BUILDS = {
  'all-widgets': 'widget-token.iife.js',
  'dg-chat': 'widget-token.dg-chat.iife.js',
  viasocket: 'widget-token.viasocket.iife.js',
  iadvize: 'widget-token.iadvize.iife.js',
  videosdk: 'widget-token.videosdk.iife.js',
  engagespot: 'widget-token.engagespot.iife.js',
  intercom: 'widget-token.intercom.iife.js',
  zendesk: 'widget-token.zendesk.iife.js',
};

// The npm entries: the core, and the React bindings (widget-token/react). Built together so that
// the bindings import the core from ./widget-token.js rather than carry a second copy of it: an
// app importing both must have one token-source registry and one script loader, not two.
const ENTRIES = { 'widget-token': 'src/index.ts', react: 'src/react/index.ts' };
const EXTERNAL = ['ky', 'jwt-decode', 'react'];
// Every core module goes into the core's own entry file, so react.js imports ./widget-token.js and
// dist/ has no extra chunk to keep track of.
const coreInEntry = (id) =>
  id.includes('/src/') && !id.includes('/src/react/') ? 'widget-token' : undefined;

// widget-token/server: its own build, never sharing a chunk with the browser entries (nothing of it
// may reach them, and jose stays the host's server dependency, not bundled).
const SERVER = { input: { server: 'src/server/index.ts' }, external: ['jose'] };

export default [
  // npm: ESM, dependencies left to the app's bundler so they are shared and tree-shaken.
  {
    input: ENTRIES,
    external: EXTERNAL,
    // ky, jwt-decode and react do nothing when imported: no bare `import 'ky'` in react.js, which
    // only reaches ky through widget-token.js.
    treeshake: { moduleSideEffects: 'no-external' },
    plugins: [typescriptPlugin()],
    output: {
      dir: 'dist',
      format: 'es',
      sourcemap: true,
      entryFileNames: '[name].js',
      manualChunks: coreInEntry,
      hoistTransitiveImports: false,
      // Rollup drops module-level directives; the bindings must keep theirs for React Server
      // Components frameworks (Next.js app router) to treat them as client code.
      banner: (chunk) => (chunk.name === 'react' ? "'use client';" : ''),
    },
    onwarn(warning, warn) {
      if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.id?.endsWith('react/index.ts'))
        return;
      warn(warning);
    },
  },
  {
    ...SERVER,
    plugins: [typescriptPlugin()],
    output: { dir: 'dist', format: 'es', sourcemap: true, entryFileNames: '[name].js' },
  },
  // Script tag: minified files with ky and jwt-decode inside, exposed as `window.WidgetToken`;
  // each entry also starts the widget that the tag's data- attributes describe. One file has every
  // adapter; one per widget has only its own (a plain site embeds one widget).
  ...Object.entries(SCRIPT_TAG_BUILDS).map(([entry, file]) => ({
    input: `src/script-tag/entries/${entry}.ts`,
    plugins: [
      nodeResolve({ browser: true }),
      typescriptPlugin(),
      terser({ format: { comments: false } }),
    ],
    output: { file: `dist/${file}`, format: 'iife', name: 'WidgetToken', sourcemap: true },
  })),
  // One bundled declaration file per entry; react.d.ts takes the core's types from widget-token.d.ts.
  {
    input: ENTRIES,
    external: EXTERNAL,
    plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { types: [] } })],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].d.ts',
      manualChunks: coreInEntry,
      hoistTransitiveImports: false,
    },
  },
  {
    ...SERVER,
    plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { types: [] } })],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts' },
  },
];
