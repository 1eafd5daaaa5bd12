// Minifies a script-tag file in two cheap steps: esbuild (syntax and whitespace), then terser's
// name mangling only. Terser's compressor would save ~170 B gzip more per file but costs ~0.6 s of
// CPU per file, eight files a build: most of the build's CPU. Both run in rollup's own thread (not
// a worker pool per file, as @rollup/plugin-terser does), so each is loaded once per build.
import { transform } from 'esbuild';

/** https://v8.dev/blog/explicit-compile-hints */
export const COMPILE_HINT = '//# allFunctionsCalledOnLoad';

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
      compress: false,
      format: { comments: false },
      sourceMap: { content: syntax.map },
    });
    // Nearly every function of a script-tag file runs while the page loads: Chromium's explicit
    // compile hint (a first-line comment) has V8 compile them all while the file streams in, off
    // the main thread, rather than one by one on first call, between the lock and the token
    // request, and between the token and the vendor script (about 5 ms each under load, measured
    // by `npm run bench`). Other engines read a comment.
    const map = typeof mangled.map === 'string' ? JSON.parse(mangled.map) : mangled.map;
    return {
      code: `${COMPILE_HINT}\n${mangled.code}`,
      map: { ...map, mappings: `;${map.mappings}` },
    };
  },
});
