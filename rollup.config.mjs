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

export default [
  // npm: ESM, dependencies left to the app's bundler so they are shared and tree-shaken.
  {
    input: 'src/index.ts',
    external: ['ky', 'jwt-decode'],
    plugins: [typescriptPlugin()],
    output: { file: 'dist/widget-token.js', format: 'es', sourcemap: true },
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
  // One bundled declaration file for the ESM build.
  {
    input: 'src/index.ts',
    external: ['ky', 'jwt-decode'],
    plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { types: [] } })],
    output: { file: 'dist/widget-token.d.ts', format: 'es' },
  },
];
