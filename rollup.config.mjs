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

/** Script-tag entries (src/script-tag/entries/) and the files they become. */
export const SCRIPT_TAG_BUILDS = {
  'all-widgets': 'widget-token.iife.js',
  'dg-chat': 'widget-token.dg-chat.iife.js',
  viasocket: 'widget-token.viasocket.iife.js',
  iadvize: 'widget-token.iadvize.iife.js',
  videosdk: 'widget-token.videosdk.iife.js',
  engagespot: 'widget-token.engagespot.iife.js',
};

export default [
  // npm: ESM, dependencies left to the app's bundler so they are shared and tree-shaken.
  {
    input: 'src/index.ts',
    external: ['ky', 'jwt-decode'],
    plugins: [typescriptPlugin()],
    output: { file: 'dist/widget-token.js', format: 'es', sourcemap: true },
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
  // One bundled declaration file for the ESM build.
  {
    input: 'src/index.ts',
    external: ['ky', 'jwt-decode'],
    plugins: [dts({ tsconfig: './tsconfig.json', compilerOptions: { types: [] } })],
    output: { file: 'dist/widget-token.d.ts', format: 'es' },
  },
];
