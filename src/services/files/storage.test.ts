import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { FileTooLargeError, InvalidFileNameError, StoredFileNotFoundError } from './errors.js';
import { assertSafeName, splitExtension, suffixOf, uploadTimestamp } from './names.js';
import { LocalFileStorage } from './storage.js';

const SECRET = 'top-secret-key-material';
const TRAVERSALS = [
  '../secret_key',
  '..%2Fsecret_key',
  '..%2fsecret_key',
  '%2e%2e/secret_key',
  '%2e%2e%2fsecret_key',
  '%252e%252e%252fsecret_key',
  '/etc/passwd',
  'a/../../b',
  '..',
  '.',
  '%2e%2e',
  '..\\secret_key',
  'secret_key\0.png',
  '',
  'C:\\Windows\\win.ini',
];

let root: string;
let outside: string;
let storage: LocalFileStorage;

before(() => {
  outside = mkdtempSync(join(tmpdir(), 'weft-files-outside-'));
  root = mkdtempSync(join(tmpdir(), 'weft-files-'));
  writeFileSync(join(root, 'secret_key'), SECRET);
  writeFileSync(join(outside, 'loot.txt'), 'outside the root');
  storage = new LocalFileStorage(root, { maxFileSizeBytes: 1024 });
});

after(() => {
  rmSync(root, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

async function* chunks(...parts: string[]): AsyncIterable<Uint8Array> {
  for (const part of parts) yield Buffer.from(part);
}

describe('names', () => {
  test('plain names pass, including dots, spaces, unicode and a literal percent', () => {
    for (const name of ['report.pdf', 'my..notes.txt', 'a b (1).txt', 'résumé.docx', '100%.txt', '.hidden']) {
      assert.equal(assertSafeName(name), name);
    }
  });

  test('every traversal form is refused with a 400 InvalidFileNameError', () => {
    for (const name of TRAVERSALS) {
      assert.throws(() => assertSafeName(name), (error: unknown) => {
        assert.ok(error instanceof InvalidFileNameError, `${name} should be refused`);
        assert.equal(error.code, 'invalid_request');
        return true;
      });
    }
  });

  test('splitExtension and suffixOf follow Python rsplit and Path.suffix', () => {
    assert.deepEqual(splitExtension('a.tar.gz'), ['a.tar', 'gz']);
    assert.deepEqual(splitExtension('README'), ['README', '']);
    assert.equal(suffixOf('a.tar.gz'), '.gz');
    assert.equal(suffixOf('README'), '');
    assert.equal(suffixOf('.bashrc'), '');
  });

  test('uploadTimestamp is YYYY-MM-DD_HH-MM-SS', () => {
    assert.equal(uploadTimestamp(new Date(2024, 0, 2, 3, 4, 5)), '2024-01-02_03-04-05');
  });
});

describe('LocalFileStorage', () => {
  test('save, read, stream, size, exists, list and delete round-trip', async () => {
    const size = await storage.save('flow-1', 'notes.txt', Buffer.from('hello'));
    assert.equal(size, 5);
    assert.equal(readFileSync(join(root, 'flow-1', 'notes.txt'), 'utf8'), 'hello');
    assert.equal((await storage.read('flow-1', 'notes.txt')).toString(), 'hello');
    assert.equal(await storage.size('flow-1', 'notes.txt'), 5);
    assert.equal(await storage.exists('flow-1', 'notes.txt'), true);
    let streamed = '';
    for await (const chunk of await storage.stream('flow-1', 'notes.txt')) streamed += String(chunk);
    assert.equal(streamed, 'hello');

    await storage.save('flow-1', 'b.txt', chunks('a', 'b', 'c'));
    assert.deepEqual(await storage.list('flow-1'), ['b.txt', 'notes.txt']);
    assert.deepEqual(await storage.list('no-such-folder'), []);

    assert.equal(await storage.delete('flow-1', 'notes.txt'), true);
    assert.equal(await storage.delete('flow-1', 'notes.txt'), false);
    assert.equal(await storage.exists('flow-1', 'notes.txt'), false);
    await assert.rejects(storage.read('flow-1', 'notes.txt'), StoredFileNotFoundError);
  });

  test('concurrent deletes of one file never fail (found by the fuzz run: two "delete all" requests, one answered 500)', async () => {
    // The deletes start a few event-loop turns apart, so some find the file and lose it before removing it.
    for (let round = 0; round < 20; round++) {
      await storage.save('flow-race', 'twice.txt', Buffer.from('x'));
      const deletes = Array.from({ length: 6 }, (_, i) => new Promise<boolean>((resolve, reject) => {
        setTimeout(() => storage.delete('flow-race', 'twice.txt').then(resolve, reject), i % 3);
      }));
      const results = await Promise.all(deletes);
      assert.ok(results.includes(true), 'one of them removed it');
      assert.equal(await storage.exists('flow-race', 'twice.txt'), false);
    }
  });

  test('save replaces atomically and append adds to the end', async () => {
    await storage.save('flow-2', 'log.txt', Buffer.from('one'));
    await storage.save('flow-2', 'log.txt', Buffer.from('two'));
    assert.equal((await storage.read('flow-2', 'log.txt')).toString(), 'two');
    const size = await storage.save('flow-2', 'log.txt', chunks('+three'), { append: true });
    assert.equal(size, 9);
    assert.equal((await storage.read('flow-2', 'log.txt')).toString(), 'two+three');
    assert.deepEqual(await storage.list('flow-2'), ['log.txt']);
  });

  test('an oversized file is refused with a 413 error and leaves nothing behind', async () => {
    await assert.rejects(storage.save('flow-3', 'big.bin', chunks('x'.repeat(600), 'y'.repeat(600))), (error: unknown) => {
      assert.ok(error instanceof FileTooLargeError);
      assert.equal(error.code, 'too_large');
      assert.match(error.detail, /maximum file size/);
      return true;
    });
    assert.deepEqual(await storage.list('flow-3'), []);
    // Exactly at the limit is fine.
    assert.equal(await storage.save('flow-3', 'fits.bin', Buffer.alloc(1024)), 1024);
  });

  test('traversal through the file name never reads, writes or deletes outside the folder', async () => {
    await storage.save('flow-4', 'ok.txt', Buffer.from('ok'));
    for (const name of TRAVERSALS) {
      await assert.rejects(storage.read('flow-4', name), InvalidFileNameError, `read ${name}`);
      await assert.rejects(storage.save('flow-4', name, Buffer.from('pwned')), InvalidFileNameError, `save ${name}`);
      await assert.rejects(storage.delete('flow-4', name), InvalidFileNameError, `delete ${name}`);
      await assert.rejects(storage.stream('flow-4', name), InvalidFileNameError, `stream ${name}`);
    }
    assert.equal(readFileSync(join(root, 'secret_key'), 'utf8'), SECRET);
    assert.equal(existsSync(join(root, 'b')), false);
  });

  test('traversal through the folder is refused too', async () => {
    for (const folder of TRAVERSALS) {
      await assert.rejects(storage.read(folder, 'secret_key'), InvalidFileNameError, `read folder ${folder}`);
      await assert.rejects(storage.list(folder), InvalidFileNameError, `list folder ${folder}`);
      await assert.rejects(storage.save(folder, 'x.txt', Buffer.from('x')), InvalidFileNameError, `save folder ${folder}`);
    }
  });

  test('symlinks cannot lead out of the root: neither a linked folder nor a linked file', async () => {
    symlinkSync(outside, join(root, 'linked-folder'));
    await assert.rejects(storage.read('linked-folder', 'loot.txt'), InvalidFileNameError);
    await assert.rejects(storage.list('linked-folder'), InvalidFileNameError);
    await assert.rejects(storage.save('linked-folder', 'dropped.txt', Buffer.from('x')), InvalidFileNameError);
    assert.equal(existsSync(join(outside, 'dropped.txt')), false);

    mkdirSync(join(root, 'flow-5'));
    symlinkSync(join(root, 'secret_key'), join(root, 'flow-5', 'key.txt'));
    symlinkSync(join(outside, 'loot.txt'), join(root, 'flow-5', 'loot.txt'));
    await assert.rejects(storage.read('flow-5', 'key.txt'), InvalidFileNameError);
    await assert.rejects(storage.read('flow-5', 'loot.txt'), InvalidFileNameError);
    await assert.rejects(storage.size('flow-5', 'loot.txt'), InvalidFileNameError);
    await assert.rejects(storage.save('flow-5', 'loot.txt', Buffer.from('x'), { append: true }), InvalidFileNameError);
    // A replace swaps the link itself for a regular file; the target is untouched.
    await storage.save('flow-5', 'key.txt', Buffer.from('replaced'));
    assert.equal(readFileSync(join(root, 'secret_key'), 'utf8'), SECRET);
    assert.equal((await storage.read('flow-5', 'key.txt')).toString(), 'replaced');
    assert.equal(readFileSync(join(outside, 'loot.txt'), 'utf8'), 'outside the root');
  });
});
