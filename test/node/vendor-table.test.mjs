// Everything that lists the vendors one by one agrees with the vendor table (src/vendors.mjs), and
// every count the docs state is the count in the code. A vendor added, renamed or dropped in one
// place only fails here, with the place to fix.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { SCRIPT_TAG_FILES, TAG_VENDORS, VENDORS } from '../../src/vendors.mjs';

const root = new URL('../../', import.meta.url);
const read = (path) => readFileSync(new URL(path, root), 'utf8');
const exists = (path) => existsSync(new URL(path, root));
const ids = (vendors) => vendors.map(({ id }) => id).sort();
const DEMO_VENDORS = VENDORS.filter((vendor) => vendor.demo);

describe('the vendor table', () => {
  test('ids are unique, in the file names of src/widgets/', () => {
    assert.equal(new Set(ids(VENDORS)).size, VENDORS.length);
    for (const { id } of VENDORS) assert.ok(exists(`src/widgets/${id}.ts`), `src/widgets/${id}.ts`);
  });

  test('src/index.ts exports every adapter and bridge', () => {
    const index = read('src/index.ts');
    for (const { id, adapter, bridges = [] } of VENDORS) {
      for (const name of [adapter, ...bridges]) {
        assert.match(
          index,
          new RegExp(`export \\{[^}]*\\b${name}\\b[^}]*\\} from './widgets/${id}.js'`),
          `src/index.ts exports ${name} from ./widgets/${id}.js`,
        );
      }
    }
  });

  test('src/script-tag/widgets/ has a reader for each tag vendor, and for no other', () => {
    const readers = readdirSync(new URL('src/script-tag/widgets/', root)).map((file) =>
      file.replace(/\.ts$/, ''),
    );
    assert.deepEqual(readers.sort(), ids(TAG_VENDORS));
    for (const { id, adapter } of TAG_VENDORS) {
      assert.match(
        read(`src/script-tag/widgets/${id}.ts`),
        new RegExp(`export const ${adapter}Tag\\b`),
      );
    }
  });

  test('the script-tag files: the all-widgets one holds the tag vendors only, one file each', () => {
    assert.deepEqual(ids(SCRIPT_TAG_FILES[0].vendors), ids(TAG_VENDORS));
    assert.deepEqual(
      SCRIPT_TAG_FILES.slice(1).map(({ file }) => file),
      TAG_VENDORS.map(({ id }) => `widget-token.${id}.iife.js`),
    );
  });

  test('package.json sizeLimits has one limit per size row, and none for a vendor that is gone', () => {
    const { sizeLimits } = JSON.parse(read('package.json'));
    const expected = [
      'iife',
      ...TAG_VENDORS.map(({ id }) => `iife-${id}`),
      ...VENDORS.flatMap(({ adapter }) => [`app-${adapter}`, `own-${adapter}`]),
      'react-bindings',
    ];
    assert.deepEqual(Object.keys(sizeLimits).sort(), expected.sort());
  });
});

describe('the demo and its stand-ins', () => {
  test('a stand-in script per demo vendor, and no other', () => {
    const standIns = readdirSync(new URL('demo/stand-ins/', root))
      .filter((file) => file.endsWith('.js') && file !== 'record.js')
      .map((file) => file.replace(/\.js$/, ''));
    assert.deepEqual(standIns.sort(), ids(DEMO_VENDORS));
  });

  test('the demo backend signs for each demo vendor, under its id', async () => {
    const { VENDORS: signers } = await import('../../demo/backend/vendors.mjs');
    assert.deepEqual(Object.keys(signers).sort(), ids(DEMO_VENDORS));
  });

  test('the demo page has a panel per demo vendor, under its id', () => {
    const panels = [...read('demo/pages/demo.js').matchAll(/^ {4}id: '([^']+)',$/gm)].map(
      ([, id]) => id,
    );
    assert.deepEqual(panels.sort(), ids(DEMO_VENDORS));
  });

  test('the script-tag test pages serve each tag vendor', () => {
    const pages = read('demo/stand-ins/script-tag-pages.mjs');
    const block = pages.slice(
      pages.indexOf('const WIDGETS = {'),
      pages.indexOf('\n};', pages.indexOf('const WIDGETS = {')),
    );
    const served = [...block.matchAll(/^ {2}'?([a-z-]+)'?: \{/gm)].map(([, id]) => id);
    assert.deepEqual(served.sort(), ids(TAG_VENDORS));
  });
});

describe('the docs', () => {
  /** The rows of the Markdown table whose header row starts with `header`, as cells. */
  const tableRows = (file, header) => {
    const lines = read(file).split('\n');
    const start = lines.findIndex((line) => line.startsWith(header));
    assert.notEqual(start, -1, `${file} has a table headed "${header}"`);
    const rows = [];
    for (const line of lines.slice(start + 2)) {
      if (!line.startsWith('|')) break;
      rows.push(
        line
          .split('|')
          .slice(1, -1)
          .map((cell) => cell.trim()),
      );
    }
    return rows;
  };

  test("the README's widget table: a row per vendor, in the table's order, with its file and adapter", async () => {
    const rows = tableRows('README.md', '| widget ');
    assert.deepEqual(
      rows.map(([, file, adapter]) => [file, adapter]),
      VENDORS.map(({ id, adapter, tag }) => [
        tag ? `\`${id}\` → \`widget-token.${id}.iife.js\`` : 'npm only',
        `\`${adapter}\``,
      ]),
    );
    // The signer named in the last column is exported by widget-token/server.
    const server = read('src/server/index.ts');
    for (const row of rows) {
      const signer = row.at(-1).replace(/`/g, '');
      assert.match(server, new RegExp(`\\b${signer}\\b`), `src/server/index.ts exports ${signer}`);
    }
  });

  test("docs/script-tag.md's data-widget table has one row per tag vendor, in the table's order", () => {
    const rows = tableRows('docs/script-tag.md', '| `data-widget`');
    assert.deepEqual(
      rows.map(([id]) => id),
      TAG_VENDORS.map(({ id }) => `\`${id}\``),
    );
  });

  test('each per-widget file named in README.md and docs/ exists in the table', () => {
    const docs = [read('README.md'), ...docFiles().map(read)].join('\n');
    for (const [, name] of docs.matchAll(/widget-token\.([a-z-]+)\.iife\.js/g)) {
      assert.ok(
        TAG_VENDORS.some(({ id }) => id === name),
        `widget-token.${name}.iife.js is named in the docs but is not a script-tag file`,
      );
    }
  });

  test('the reliability matrix is numbered 1..N and every stated count of its cases is N', () => {
    const matrix = read('docs/reliability.md');
    const numbers = [...matrix.matchAll(/^\| *(\d+) +\|/gm)].map(([, n]) => Number(n));
    assert.deepEqual(
      numbers,
      numbers.map((_, index) => index + 1),
      'rows numbered 1, 2, 3… in order',
    );
    const count = numbers.length;
    assert.match(matrix, new RegExp(`\\*\\*${count} cases, ${count} passing\\.\\*\\*`));
    // Elsewhere, "(N cases)" beside a link to the matrix.
    for (const file of ['README.md', ...docFiles()]) {
      for (const line of read(file)
        .split('\n')
        .filter((text) => text.includes('reliability.md'))) {
        for (const [, stated] of line.matchAll(/\((\d+) cases\)/g)) {
          assert.equal(
            Number(stated),
            count,
            `${file}: "(${stated} cases)"; the matrix has ${count}`,
          );
        }
      }
    }
  });
});

function docFiles() {
  return readdirSync(new URL('docs/', root))
    .filter((file) => file.endsWith('.md'))
    .map((file) => `docs/${file}`);
}
