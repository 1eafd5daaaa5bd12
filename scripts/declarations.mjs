// The declarations (.d.ts) of every source file, each written from that file alone
// (TypeScript's transpileDeclaration, as with --isolatedDeclarations) for rollup-plugin-dts to
// bundle. A type program over the sources, as the plugin builds by default, cost 5 s of CPU per
// build; this costs under one. It needs explicit types on exports (return types, annotated
// constants); where one is missing, the build says where and falls back to the type program.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
export const declarationsFolder = join(root, '.cache/declarations');

function sourceFiles(folder) {
  return readdirSync(folder, { withFileTypes: true, recursive: true })
    .filter(
      (entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'),
    )
    .map((entry) => join(entry.parentPath ?? entry.path, entry.name));
}

/**
 * Each source file's declarations, written from that file alone, and the exports that need an
 * explicit type for that (test/node/declarations.test.mjs holds them to none).
 */
export async function isolatedDeclarations() {
  // Loaded here, not at the top: a build with nothing stale need not load TypeScript. Required,
  // not imported: `import` of this 9 MB CommonJS file first scans it for its export names and for
  // ESM syntax, about 1 s of CPU where `require` takes 0.3 s (and rollup-plugin-dts requires it anyway).
  const ts = createRequire(import.meta.url)('typescript');
  const files = sourceFiles(join(root, 'src'));
  const problems = [];
  const outputs = new Map();
  const compilerOptions = {
    ...ts.parseJsonConfigFileContent(
      ts.readConfigFile(join(root, 'tsconfig.json'), ts.sys.readFile).config,
      ts.sys,
      root,
    ).options,
    declaration: true,
    isolatedDeclarations: true,
    noEmit: false,
  };
  for (const file of files) {
    const { outputText, diagnostics = [] } = ts.transpileDeclaration(readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions,
      reportDiagnostics: true,
    });
    for (const diagnostic of diagnostics) {
      const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
      problems.push(
        `${relative(root, file)}:${line + 1}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
      );
    }
    outputs.set(file, outputText);
  }
  return { ts, files, compilerOptions, outputs, problems };
}

/** Writes src/**\/*.ts's declarations under declarationsFolder; returns the problems found. */
export async function writeAllDeclarations() {
  const { ts, files, compilerOptions, outputs, problems } = await isolatedDeclarations();
  for (const [file, outputText] of outputs) {
    const target = join(declarationsFolder, relative(root, file).replace(/\.ts$/, '.d.ts'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
  if (problems.length) {
    // Slow but right: one program for all sources, as tsc --emitDeclarationOnly would.
    const program = ts.createProgram(files, {
      ...compilerOptions,
      isolatedDeclarations: false,
      emitDeclarationOnly: true,
      rootDir: root,
      outDir: declarationsFolder,
    });
    program.emit();
  }
  return problems;
}

// Written once per build process, for all the declaration passes.
let written;

/** Rollup plugin: writes the declarations before the bundle reads them. */
export const writeDeclarations = () => ({
  name: 'write-declarations',
  async buildStart() {
    written ??= writeAllDeclarations();
    const problems = await written;
    if (problems.length) {
      this.warn(
        `Declarations came from a type program (5 s more CPU): give these exports an explicit ` +
          `type (functions: a return type; constants: an annotation):\n${problems.join('\n')}`,
      );
    }
  },
});
