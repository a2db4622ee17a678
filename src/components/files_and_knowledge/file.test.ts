import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeDocx, makePdf } from '../../../test-utils/document-fixtures.js';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { runFlow } from '../../engine/run.js';
import { LocalFileStorage } from '../../services/files/storage.js';
import { createRegistry } from '../registry.js';
import type { UserFileSource } from './file.js';

const USER = '00000000-0000-4000-8000-0000000000f1';
const root = mkdtempSync(join(tmpdir(), 'weft-file-component-'));
const storage = new LocalFileStorage(root);
mkdirSync(join(root, USER), { recursive: true });

/** The user's files in a real local storage folder, addressed `<user>/<name>` as v2 files are. */
const userFiles: UserFileSource = {
  async get(reference) {
    const [folder, name] = reference.split('/');
    if (folder !== USER || !name) throw new Error(`File not found: ${reference}`);
    const size = await storage.size(folder, name);
    return { name, size, read: () => storage.read(folder, name) };
  },
};

async function put(name: string, content: string | Buffer): Promise<string> {
  await storage.save(USER, name, typeof content === 'string' ? Buffer.from(content) : content);
  return `${USER}/${name}`;
}

async function readFiles(fields: Record<string, unknown>, output = 'message'): Promise<unknown> {
  const flow = new FlowBuilder();
  const node = flow.node('File', fields);
  const response = await runFlow({ flow: flow.build(), registry: createRegistry(), userId: USER, outputType: 'debug', services: { userFiles } });
  return response.outputs[0].outputs.find((o) => o.component_id === node)!.results[output];
}

function rows(value: unknown): unknown {
  return Array.isArray(value) ? value : (value as { toJSON(): unknown }).toJSON();
}

async function failure(fields: Record<string, unknown>): Promise<string> {
  const error = await readFiles(fields).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof Error, 'the read failed');
  return error.message;
}

test('File reads text, markdown, JSON, PDF and DOCX files into one Message, joined by the separator', async () => {
  const paths = [
    await put('notes.txt', 'plain notes'),
    await put('readme.md', '# Title\n\nbody'),
    await put('data.json', '{"a": 1}'),
    await put('report.pdf', makePdf(['Quarterly revenue grew 12%.', 'Page two text'])),
    await put('letter.docx', makeDocx(['Dear reader,', 'Weft reads Word files.'])),
  ];
  const message = (await readFiles({ path: paths, separator: '\n---\n', concurrency_multithreading: 3 })) as { text: string };
  assert.equal(
    message.text,
    ['plain notes', '# Title\n\nbody', '{\n    "a": 1\n}', 'Quarterly revenue grew 12%.\n\nPage two text', 'Dear reader,\n\nWeft reads Word files.'].join('\n---\n'),
  );
});

test('File gives a CSV as rows and other files as one row each, and its paths', async () => {
  const csv = await put('people.csv', 'name,city\nAda,"London, UK"\nLin,Paris\n');
  assert.deepEqual(rows(await readFiles({ path: [csv] }, 'dataframe')), [
    { name: 'Ada', city: 'London, UK' },
    { name: 'Lin', city: 'Paris' },
  ]);
  const tsv = await put('t.tsv', 'a\tb\n1\t2\n');
  assert.deepEqual(rows(await readFiles({ path: tsv }, 'dataframe')), [{ a: '1', b: '2' }]);
  const txt = await put('one.txt', 'one');
  assert.deepEqual(rows(await readFiles({ path: [txt, csv] }, 'dataframe')), [
    { file_path: txt, text: 'one' },
    { file_path: csv, text: 'name,city\nAda,"London, UK"\nLin,Paris\n' },
  ]);
  assert.equal(((await readFiles({ path: [txt] }, 'path')) as { text: string }).text, txt);
});

test('corrupt, empty, huge, unsupported and missing files are clear errors naming the file', async () => {
  assert.match(await failure({ path: [await put('broken.pdf', '%PDF-1.4\nthis is not a pdf')] }), /Could not read the PDF broken\.pdf/);
  assert.match(await failure({ path: [await put('broken.docx', 'PK not a zip')] }), /Could not read the Word document broken\.docx/);
  assert.match(await failure({ path: [await put('bad.json', '{"a": ')] }), /Invalid JSON in bad\.json/);
  assert.match(await failure({ path: [await put('lines.jsonl', '{"a":1}\nnope\n')] }), /Invalid JSON in lines\.jsonl: line 2/);
  assert.match(await failure({ path: [await put('empty.txt', '')] }), /empty\.txt is empty/);
  assert.match(await failure({ path: [await put('blank.pdf', makePdf(['']))] }), /blank\.pdf has no text/);
  const huge = await put('huge.txt', 'x');
  truncateSync(join(root, USER, 'huge.txt'), 200 * 1024 * 1024);
  assert.match(await failure({ path: [huge] }), /huge\.txt is too large to parse: 200\.0 MB, the limit is 100 MB/);
  const exe = await put('tool.exe', 'MZ');
  assert.match(await failure({ path: [exe] }), /Unsupported file type \.exe for tool\.exe: supported types are txt, md, .*pdf, docx/);
  assert.match(await failure({ path: [exe], ignore_unsupported_extensions: false }), /Unsupported file type \.exe/);
  assert.match(await failure({ path: [`${USER}/nope.txt`] }), /File not found: nope\.txt/);
  assert.match(await failure({ path: ['someone-else/secret.txt'] }), /File not found: someone-else\/secret\.txt/);
  assert.match(await failure({ path: [] }), /No files selected/);
  assert.match(await failure({ path: [await put('bin.txt', Buffer.from([0x41, 0, 0x42]))] }), /bin\.txt is not a text file/);
});

test('silent_errors skips the files that fail and keeps the rest; an unsupported file among good ones is skipped', async () => {
  const good = await put('good.txt', 'good text');
  const bad = await put('bad2.pdf', 'not a pdf');
  const exe = await put('x.exe', 'MZ');
  assert.equal(((await readFiles({ path: [bad, good], silent_errors: true })) as { text: string }).text, 'good text');
  assert.equal(((await readFiles({ path: [exe, good] })) as { text: string }).text, 'good text');
  assert.match(await failure({ path: [bad, good] }), /Could not read the PDF bad2\.pdf/);
});
