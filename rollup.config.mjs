import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import typescript from '@rollup/plugin-typescript';
import { dts } from 'rollup-plugin-dts';

const typescriptPlugin = () =>
  typescript({
    tsconfig: './tsconfig.json',
    include: ['src/**/*.ts'],
    compilerOptions: { noEmit: false, declaration: false, types: [] },
  });

// The npm entries: the core, and the React bindings (widget-token/react). Built together so that
// the bindings import the core from ./widget-token.js rather than carry a second copy of it: an
// app importing both must have one token-source registry and one script loader, not two.
const ENTRIES = { 'widget-token': 'src/index.ts', react: 'src/react/index.ts' };
const EXTERNAL = ['ky', 'jwt-decode', 'react'];
// Every core module goes into the core's own entry file, so react.js imports ./widget-token.js and
// dist/ has no extra chunk to keep track of.
const coreInEntry = (id) =>
  id.includes('/src/') && !id.includes('/src/react/') ? 'widget-token' : undefined;

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
  // Script tag: one minified file with ky and jwt-decode inside, exposed as `window.WidgetToken`;
  // its entry also starts the widget that the tag's data- attributes describe.
  {
    input: 'src/script-tag.ts',
    plugins: [
      nodeResolve({ browser: true }),
      typescriptPlugin(),
      terser({ format: { comments: false } }),
    ],
    output: {
      file: 'dist/widget-token.iife.js',
      format: 'iife',
      name: 'WidgetToken',
      sourcemap: true,
    },
  },
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
];
