// Minifies a script-tag file in two steps: esbuild (syntax and whitespace), then terser's
// compressor and name mangling, writing ES2020 (the files target ES2022 anyway: shorthand
// properties and arrows stay). Measured on the dg-chat file: ES2020 output saves ~280 B gzip and
// the compressor ~200 B more, for ~0.8 s more CPU per file. Both run in rollup's own thread (not a
// worker pool per file, as @rollup/plugin-terser does), so each is loaded once per build.
import { transform } from 'esbuild';

export const minifyScript = () => ({
  name: 'minify-script',
  async renderChunk(code) {
    const syntax = await transform(code, {
      minifySyntax: true,
      minifyWhitespace: true,
      target: 'es2022',
      sourcemap: true,
    });
    const { minify } = await import('terser');
    const mangled = await minify(syntax.code, {
      ecma: 2020,
      format: { comments: false },
      sourceMap: { content: syntax.map },
    });
    return { code: mangled.code, map: mangled.map };
  },
});
