// Type-checks every ```ts and ```tsx block of README.md and docs/*.md against the package's own
// sources, imported as a reader would: `widget-token`, `widget-token/react`, `widget-token/server`.
// Part of `npm run lint`. A block that is deliberately a fragment (it uses names the prose defines)
// opts out with the line `<!-- not type-checked: <why> -->` right above its fence; keep those few.
//
// Each block is its own module, so blocks do not see each other's names. Output: file:line of the
// block's line for each error.
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';

const root = new URL('..', import.meta.url).pathname;
// Under test/: the blocks import vendor SDKs, which are test-only packages (test/node_modules).
const folder = join(root, 'test/.cache/doc-blocks');
const OPT_OUT = /^<!-- not type-checked: .+ -->$/;

const documents = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`),
];

/** The ts/tsx blocks of one Markdown text: language, first line number, code. */
export function codeBlocks(markdown) {
  const blocks = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    const fence = lines[index].match(/^```(ts|tsx|typescript)\s*$/);
    if (!fence) continue;
    const end = lines.findIndex((line, after) => after > index && line.startsWith('```'));
    const optedOut = OPT_OUT.test(lines[index - 1] ?? '') || OPT_OUT.test(lines[index - 2] ?? '');
    if (!optedOut) {
      blocks.push({
        language: fence[1] === 'tsx' ? 'tsx' : 'ts',
        line: index + 2,
        code: lines.slice(index + 1, end).join('\n'),
      });
    }
    index = end;
  }
  return blocks;
}

rmSync(folder, { recursive: true, force: true });
mkdirSync(folder, { recursive: true });
const origin = new Map(); // written file → { document, line }
for (const document of documents) {
  codeBlocks(readFileSync(join(root, document), 'utf8')).forEach((block, index) => {
    const file = join(folder, `${document.replace(/[/.]/g, '_')}_${index + 1}.${block.language}`);
    // `export {}`: a module of its own, even for a block without import or export.
    writeFileSync(file, `${block.code}\nexport {};\n`);
    origin.set(file, { document, line: block.line });
  });
}

// src/server/ may not exist yet (another change adds it): mapped only when it does.
const paths = {
  'widget-token': [join(root, 'src/index.ts')],
  'widget-token/react': [join(root, 'src/react/index.ts')],
  ...(existsSync(join(root, 'src/server/index.ts'))
    ? { 'widget-token/server': [join(root, 'src/server/index.ts')] }
    : {}),
};
const program = ts.createProgram([...origin.keys()], {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
  jsx: ts.JsxEmit.ReactJSX,
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  // Node's types for server-side blocks (process.env, node: imports).
  types: ['node'],
  typeRoots: [join(root, 'node_modules/@types'), join(root, 'test/node_modules/@types')],
  paths,
});
const problems = [];
for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
  const place = diagnostic.file && origin.get(diagnostic.file.fileName);
  if (!place) {
    // An error in the sources themselves is tsc's to report (npm run lint), not this check's.
    if (diagnostic.file && !diagnostic.file.fileName.startsWith(folder)) continue;
    problems.push(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    continue;
  }
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  problems.push(
    `${place.document}:${place.line + line}: ${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`,
  );
}
console.log(
  `Type-checked ${origin.size} TypeScript blocks of ${documents.length} documents` +
    ` (${relative(root, folder)}/).`,
);
if (problems.length) {
  console.log(problems.join('\n'));
  process.exit(1);
}
