// React 19 ships CommonJS only, with its exports chosen at run time (development or production
// build), so neither the browser nor a per-file CommonJS transform can give it named ES exports.
// This dev-server plugin bundles React once with esbuild, as an app's bundler would, into ES
// modules that share one copy of React, and serves them in place of the bare imports.
import { build } from 'esbuild';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const PREFIX = '/__react-as-esm__/';
// Bare import → the name of the served module.
const MODULES = {
  react: 'react',
  'react/jsx-runtime': 'react-jsx-runtime',
  'react-dom': 'react-dom',
  'react-dom/client': 'react-dom-client',
};

/** An ES module re-exporting every export of a CommonJS module, by name. */
function wrapper(specifier) {
  const names = Object.keys(require(specifier)).filter((name) => /^[A-Za-z_$][\w$]*$/.test(name));
  return [
    `import cjs from '${specifier}';`,
    'export default cjs;',
    `export const { ${names.join(', ')} } = cjs;`,
  ].join('\n');
}

async function bundle() {
  const result = await build({
    entryPoints: Object.fromEntries(
      Object.entries(MODULES).map(([specifier, name]) => [name, `wrapper:${specifier}`]),
    ),
    bundle: true,
    splitting: true,
    format: 'esm',
    outdir: 'react-as-esm',
    write: false,
    define: { 'process.env.NODE_ENV': '"development"' },
    plugins: [
      {
        name: 'wrappers',
        setup(esbuild) {
          esbuild.onResolve({ filter: /^wrapper:/ }, ({ path }) => ({
            path: path.slice('wrapper:'.length),
            namespace: 'wrapper',
          }));
          esbuild.onLoad({ filter: /.*/, namespace: 'wrapper' }, ({ path }) => ({
            contents: wrapper(path),
            resolveDir: process.cwd(),
          }));
        },
      },
    ],
  });
  return new Map(result.outputFiles.map((file) => [file.path.split('/').pop(), file.text]));
}

export function reactAsEsm() {
  let files;
  return {
    name: 'react-as-esm',
    async serverStart() {
      files = await bundle();
    },
    resolveImport({ source }) {
      const name = MODULES[source];
      return name ? `${PREFIX}${name}.js` : undefined;
    },
    serve(context) {
      if (!context.path.startsWith(PREFIX)) return undefined;
      const body = files.get(context.path.slice(PREFIX.length));
      return body === undefined ? undefined : { body, type: 'js' };
    },
  };
}
