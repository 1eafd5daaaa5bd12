import { nodeResolve } from '@rollup/plugin-node-resolve';
import { dts } from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';
import { SCRIPT_TAG_FILES } from './src/vendors.mjs';
import { declarationsFolder, writeDeclarations } from './scripts/declarations.mjs';
import { minifyScript } from './scripts/minify-script.mjs';

// TypeScript is only stripped here (esbuild, per file, no type program): `npm run lint` runs tsc
// for the types. One type-checking program per rollup pass made the build take a minute of CPU.
const typescriptPlugin = () => esbuild({ target: 'es2022', tsconfig: './tsconfig.json' });
const source = (path) => new URL(`./src/${path}`, import.meta.url).pathname;
/** Where scripts/declarations.mjs writes the declarations of a source file. */
const declarationOf = (path) => `${declarationsFolder}/${path.replace(/\.ts$/, '.d.ts')}`;

/**
 * The script-tag entry of one file, written from the vendor table (src/vendors.mjs) rather than
 * kept as a file per widget: the core's API, the file's adapters, and the start from the tag's
 * data- attributes. `tokens` and `widget` are what the tag started, if it has `data-widget`.
 */
function scriptTagEntry(vendors) {
  const lines = [
    `import { startFromTag } from ${JSON.stringify(source('script-tag/start-from-tag.ts'))};`,
    `export * from ${JSON.stringify(source('core.ts'))};`,
  ];
  for (const { id, adapter, bridges = [] } of vendors) {
    lines.push(
      `import { ${adapter}Tag } from ${JSON.stringify(source(`script-tag/widgets/${id}.ts`))};`,
      `export { ${[adapter, ...bridges].join(', ')} } from ${JSON.stringify(source(`widgets/${id}.ts`))};`,
    );
  }
  const widgets = vendors.map(({ id, adapter }) => `${JSON.stringify(id)}: ${adapter}Tag`);
  lines.push(
    `const started = startFromTag(document.currentScript, { ${widgets.join(', ')} });`,
    'export const tokens = started.tokens;',
    'export const widget = started.widget;',
  );
  return lines.join('\n');
}

const ENTRY_PREFIX = '\0script-tag-entry:';
/** Serves `\0script-tag-entry:<name>` from scriptTagEntry(). */
const scriptTagEntries = () => ({
  name: 'script-tag-entries',
  resolveId: (id) => (id.startsWith(ENTRY_PREFIX) ? id : null),
  load(id) {
    if (!id.startsWith(ENTRY_PREFIX)) return null;
    const file = SCRIPT_TAG_FILES.find(({ name }) => name === id.slice(ENTRY_PREFIX.length));
    return scriptTagEntry(file.vendors);
  },
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
  // widget with a tag build; one per widget has only its own (a plain site embeds one widget).
  ...SCRIPT_TAG_FILES.map(({ name, file }) => ({
    input: `${ENTRY_PREFIX}${name}`,
    plugins: [
      scriptTagEntries(),
      nodeResolve({ browser: true }),
      typescriptPlugin(),
      minifyScript(),
    ],
    output: { file: `dist/${file}`, format: 'iife', name: 'WidgetToken', sourcemap: true },
  })),
  // One bundled declaration file per entry; react.d.ts takes the core's types from widget-token.d.ts.
  // The declarations of each source file are written first without a type program
  // (scripts/declarations.mjs): a program here cost 5 s of CPU, more than the whole rest.
  {
    input: Object.fromEntries(
      Object.entries(ENTRIES).map(([name, path]) => [name, declarationOf(path)]),
    ),
    external: EXTERNAL,
    plugins: [writeDeclarations(), dts({ compilerOptions: { types: [] } })],
    output: {
      dir: 'dist',
      format: 'es',
      entryFileNames: '[name].d.ts',
      manualChunks: coreInEntry,
      hoistTransitiveImports: false,
    },
  },
  {
    input: { server: declarationOf('src/server/index.ts') },
    external: SERVER.external,
    plugins: [writeDeclarations(), dts({ compilerOptions: { types: [] } })],
    output: { dir: 'dist', format: 'es', entryFileNames: '[name].d.ts' },
  },
];
