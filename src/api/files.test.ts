import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { TEST_DIALECTS } from '../../test-utils/database.js';
import { rawRequest } from '../../test-utils/raw-http.js';
import { FLOW_FILES_DIR, USER_FILES_DIR } from '../services/files/index.js';
import { addFlow, addUser, fileForm, startTestServer, type TestServer, type TestUser } from '../../test-utils/api-server.js';

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request whose path goes out byte for byte (fetch would resolve `..` segments first). */
function raw(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<RawResponse> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function multipartBody(fileName: string, content: string): { body: Buffer; headers: Record<string, string> } {
  const boundary = 'weftboundary1234';
  const body = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/plain\r\n\r\n${content}\r\n--${boundary}--\r\n`,
  );
  return { body, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(body.length) } };
}

const TRAVERSALS = [
  '..%2Fsecret_key',
  '..%2fsecret_key',
  '%2e%2e%2fsecret_key',
  '%2e%2e%2F%2e%2e%2Fsecret_key',
  '..%252Fsecret_key',
  '%252e%252e%252fsecret_key',
  '..%5Csecret_key',
  '%2Fetc%2Fpasswd',
  'secret_key%00.png',
  '..',
  '%2e%2e',
];
/** Paths whose extra segments Fastify sees literally (the route does not match, or the segment is refused). */
const RAW_SEGMENTS = ['../secret_key', '../../secret_key', '/etc/passwd', 'a/../../b', '..\\secret_key'];

for (const dialect of TEST_DIALECTS) {
  describe(`files v1 and v2 over HTTP [${dialect}]`, () => {
    let h: TestServer;
    let alice: TestUser;
    let bob: TestUser;
    let aliceFlow: string;
    let bobFlow: string;

    before(async () => {
      h = await startTestServer(dialect, { LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_MAX_FILE_SIZE_UPLOAD: '1' });
      alice = await addUser(h.database, 'alice');
      bob = await addUser(h.database, 'bob');
      aliceFlow = await addFlow(h.database, alice);
      bobFlow = await addFlow(h.database, bob);
    });
    after(async () => h.stop());

    const noSecret = (response: RawResponse | string) => {
      const text = typeof response === 'string' ? response : response.body.toString('utf8');
      assert.ok(!text.includes(h.secret), 'the secret key leaked');
    };

    test('v1: upload (201 with flowId and file_path), list, download, delete', async () => {
      const upload = await fetch(`${h.url}/api/v1/files/upload/${aliceFlow}`, { method: 'POST', headers: alice.headers, body: fileForm('notes.txt', 'hello v1') });
      assert.equal(upload.status, 201);
      const body = (await upload.json()) as { flowId: string; file_path: string };
      assert.equal(body.flowId, aliceFlow);
      assert.match(body.file_path, new RegExp(`^${aliceFlow}/\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}_notes\\.txt$`));
      const stored = body.file_path.split('/')[1];
      assert.equal(readFileSync(join(h.configDir, FLOW_FILES_DIR, aliceFlow, stored), 'utf8'), 'hello v1');

      const list = await fetch(`${h.url}/api/v1/files/list/${aliceFlow}`, { headers: alice.headers });
      assert.deepEqual(await list.json(), { files: [stored] });

      const download = await fetch(`${h.url}/api/v1/files/download/${aliceFlow}/${encodeURIComponent(stored)}`, { headers: alice.headers });
      assert.equal(download.status, 200);
      assert.equal(download.headers.get('content-type'), 'application/octet-stream');
      assert.match(download.headers.get('content-disposition') ?? '', /^attachment; filename="/);
      assert.equal(await download.text(), 'hello v1');

      const removed = await fetch(`${h.url}/api/v1/files/delete/${aliceFlow}/${encodeURIComponent(stored)}`, { method: 'DELETE', headers: alice.headers });
      assert.deepEqual(await removed.json(), { message: `File ${stored} deleted successfully` });
      assert.deepEqual(await (await fetch(`${h.url}/api/v1/files/list/${aliceFlow}`, { headers: alice.headers })).json(), { files: [] });
      const gone = await fetch(`${h.url}/api/v1/files/download/${aliceFlow}/${encodeURIComponent(stored)}`, { headers: alice.headers });
      assert.equal(gone.status, 404);
    });

    test('v1: the multipart sanity check, auth and an unknown flow', async () => {
      const notMultipart = await fetch(`${h.url}/api/v1/files/upload/${aliceFlow}`, { method: 'POST', headers: { ...alice.headers, 'content-type': 'application/json' }, body: '{}' });
      assert.equal(notMultipart.status, 422);
      assert.deepEqual(await notMultipart.json(), { detail: "Content-Type header must be 'multipart/form-data' with a boundary parameter." });
      const anonymous = await fetch(`${h.url}/api/v1/files/upload/${aliceFlow}`, { method: 'POST', body: fileForm('a.txt', 'x') });
      assert.equal(anonymous.status, 403);
      const unknown = await fetch(`${h.url}/api/v1/files/upload/${crypto.randomUUID()}`, { method: 'POST', headers: alice.headers, body: fileForm('a.txt', 'x') });
      assert.equal(unknown.status, 404);
      assert.deepEqual(await unknown.json(), { detail: 'Flow not found' });
      const badId = await fetch(`${h.url}/api/v1/files/list/not-a-uuid`, { headers: alice.headers });
      assert.equal(badId.status, 422);
    });

    test('v1: images are served to the flow owner, and only image types', async () => {
      const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
      const upload = await fetch(`${h.url}/api/v1/files/upload/${aliceFlow}`, { method: 'POST', headers: alice.headers, body: fileForm('pic.png', png, 'image/png') });
      const { file_path: filePath } = (await upload.json()) as { file_path: string };
      const name = filePath.split('/')[1];
      const image = await fetch(`${h.url}/api/v1/files/images/${aliceFlow}/${encodeURIComponent(name)}`, { headers: alice.headers });
      assert.equal(image.status, 200);
      assert.equal(image.headers.get('content-type'), 'image/png');
      assert.deepEqual(new Uint8Array(await image.arrayBuffer()), png);

      await fetch(`${h.url}/api/v1/files/upload/${aliceFlow}`, { method: 'POST', headers: alice.headers, body: fileForm('page.txt', 'text') });
      const listed = (await (await fetch(`${h.url}/api/v1/files/list/${aliceFlow}`, { headers: alice.headers })).json()) as { files: string[] };
      const text = listed.files.find((f) => f.endsWith('_page.txt'));
      assert.ok(text);
      const notImage = await fetch(`${h.url}/api/v1/files/images/${aliceFlow}/${encodeURIComponent(text)}`, { headers: alice.headers });
      assert.equal(notImage.status, 400);
      assert.deepEqual(await notImage.json(), { detail: 'Content type text/plain is not an image' });
      // Renaming the secret does not help: it is not inside a flow folder.
      const secretAsImage = await raw(h.url, 'GET', `/api/v1/files/images/${aliceFlow}/..%5Csecret_key.png`, alice.headers);
      assert.equal(secretAsImage.status, 400);
      noSecret(secretAsImage);
    });

    test('v1: profile pictures are listed and served from config_dir/profile_pictures only', async () => {
      mkdirSync(join(h.configDir, 'profile_pictures', 'People'), { recursive: true });
      writeFileSync(join(h.configDir, 'profile_pictures', 'People', 'cat.png'), 'meow');
      const list = await fetch(`${h.url}/api/v1/files/profile_pictures/list`);
      assert.deepEqual(await list.json(), { files: ['People/cat.png'] });
      const picture = await fetch(`${h.url}/api/v1/files/profile_pictures/People/cat.png`);
      assert.equal(picture.status, 200);
      assert.equal(await picture.text(), 'meow');
      const wrongFolder = await fetch(`${h.url}/api/v1/files/profile_pictures/Other/cat.png`);
      assert.equal(wrongFolder.status, 400);
      const traversal = await raw(h.url, 'GET', '/api/v1/files/profile_pictures/People/..%2F..%2Fsecret_key');
      assert.equal(traversal.status, 400);
      noSecret(traversal);
      const missing = await fetch(`${h.url}/api/v1/files/profile_pictures/People/dog.png`);
      assert.equal(missing.status, 404);
    });

    test('v1: traversal through every path parameter never leaks the secret key', async () => {
      for (const attempt of [...TRAVERSALS, ...RAW_SEGMENTS]) {
        for (const [method, path] of [
          ['GET', `/api/v1/files/download/${aliceFlow}/${attempt}`],
          ['GET', `/api/v1/files/images/${aliceFlow}/${attempt}`],
          ['DELETE', `/api/v1/files/delete/${aliceFlow}/${attempt}`],
          ['GET', `/api/v1/files/list/${attempt}`],
          ['GET', `/api/v1/files/download/${attempt}/secret_key`],
          ['GET', `/api/v1/files/images/${attempt}/secret_key.png`],
        ] as const) {
          const response = await raw(h.url, method, path, alice.headers);
          assert.ok([400, 404, 422].includes(response.status), `${method} ${path} → ${response.status}`);
          noSecret(response);
        }
      }
      // A malicious upload name is cut to its last segment by the multipart parser (as browsers send it)
      // or refused; either way nothing lands outside the flow folder.
      for (const [name, expected] of [['../evil.txt', 201], ['/tmp/evil.txt', 201], ['..%2Fevil.txt', 400], ['%2e%2e%2fevil.txt', 400]] as const) {
        const { body, headers } = multipartBody(name, 'pwned');
        const response = await raw(h.url, 'POST', `/api/v1/files/upload/${aliceFlow}`, { ...alice.headers, ...headers }, body);
        assert.equal(response.status, expected, name);
        if (expected === 201) {
          const { file_path: filePath } = JSON.parse(response.body.toString('utf8')) as { file_path: string };
          assert.match(filePath, new RegExp(`^${aliceFlow}/[0-9_-]+_evil\\.txt$`));
        }
      }
      assert.equal(readFileSync(join(h.configDir, 'secret_key'), 'utf8'), h.secret);
      assert.ok(!readdirSync(h.configDir).some((entry) => entry.includes('evil')));
    });

    test('v1: another user sees 404 for the flow and its files', async () => {
      const upload = await fetch(`${h.url}/api/v1/files/upload/${bobFlow}`, { method: 'POST', headers: bob.headers, body: fileForm('bob.txt', 'bob only') });
      const { file_path: filePath } = (await upload.json()) as { file_path: string };
      const name = encodeURIComponent(filePath.split('/')[1]);
      for (const [method, path] of [
        ['GET', `/api/v1/files/list/${bobFlow}`],
        ['GET', `/api/v1/files/download/${bobFlow}/${name}`],
        ['DELETE', `/api/v1/files/delete/${bobFlow}/${name}`],
      ] as const) {
        const response = await fetch(`${h.url}${path}`, { method, headers: alice.headers });
        assert.equal(response.status, 404, `${method} ${path}`);
        assert.deepEqual(await response.json(), { detail: 'Flow not found' });
      }
      const intrusion = await fetch(`${h.url}/api/v1/files/upload/${bobFlow}`, { method: 'POST', headers: alice.headers, body: fileForm('x.txt', 'x') });
      assert.equal(intrusion.status, 404);
      const own = await fetch(`${h.url}/api/v1/files/download/${bobFlow}/${name}`, { headers: bob.headers });
      assert.equal(await own.text(), 'bob only');
    });

    test('v1 and v2: a body over LANGFLOW_MAX_FILE_SIZE_UPLOAD is refused with 413 (Langflow\'s middleware words) and not stored', async () => {
      const big = new Uint8Array(1024 * 1024 * 1.5).fill(65);
      const v1 = await fetch(`${h.url}/api/v1/files/upload/${aliceFlow}`, { method: 'POST', headers: alice.headers, body: fileForm('big.bin', big) });
      assert.equal(v1.status, 413);
      // The body's size, rounded as Python's round(x, 3): the file plus its multipart framing.
      assert.deepEqual(await v1.json(), { detail: 'Content size limit exceeded. Maximum allowed is 1MB and got 1.5MB.' });
      const listed = (await (await fetch(`${h.url}/api/v1/files/list/${aliceFlow}`, { headers: alice.headers })).json()) as { files: string[] };
      assert.ok(!listed.files.some((f) => f.endsWith('big.bin')));

      const v2 = await fetch(`${h.url}/api/v2/files`, { method: 'POST', headers: alice.headers, body: fileForm('big.bin', big) });
      assert.equal(v2.status, 413);
      assert.deepEqual(await v2.json(), { detail: 'Content size limit exceeded. Maximum allowed is 1MB and got 1.5MB.' });
      const files = (await (await fetch(`${h.url}/api/v2/files`, { headers: alice.headers })).json()) as unknown[];
      assert.equal(files.length, 0);
      assert.equal(existsSync(join(h.configDir, USER_FILES_DIR, alice.user.id, 'big.bin')), false);

      // A chunked body (no Content-Length) is cut off when the file passes the limit.
      const boundary = 'weft-chunked-boundary';
      async function* chunked(): AsyncIterable<Buffer> {
        yield Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="stream.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`);
        for (let i = 0; i < 24; i++) yield Buffer.alloc(64 * 1024, 66);
        yield Buffer.from(`\r\n--${boundary}--\r\n`);
      }
      const streamed = await rawRequest(h.url, `/api/v1/files/upload/${aliceFlow}`, {
        method: 'POST', headers: { ...alice.headers, 'content-type': `multipart/form-data; boundary=${boundary}` }, body: chunked(),
      });
      assert.equal(streamed.status, 413, streamed.text);
      assert.match(String((streamed.body as { detail: string }).detail), /^Content size limit exceeded\. Maximum allowed is 1MB and got 1\.0MB\.$/);
      const afterStream = (await (await fetch(`${h.url}/api/v1/files/list/${aliceFlow}`, { headers: alice.headers })).json()) as { files: string[] };
      assert.ok(!afterStream.files.some((f) => f.endsWith('stream.bin')));

      // As in Langflow the limit is on the whole body: a file of exactly 1 MB does not fit, one with room for the framing does.
      const exact = await fetch(`${h.url}/api/v2/files`, { method: 'POST', headers: alice.headers, body: fileForm('exact.bin', new Uint8Array(1024 * 1024)) });
      assert.equal(exact.status, 413);
      assert.match(((await exact.json()) as { detail: string }).detail, /^Content size limit exceeded\. Maximum allowed is 1MB and got 1\.0MB\.$/);
      const fits = await fetch(`${h.url}/api/v2/files`, { method: 'POST', headers: alice.headers, body: fileForm('fits.bin', new Uint8Array(1024 * 1023)) });
      assert.equal(fits.status, 201);
      const created = (await fits.json()) as { id: string; size: number };
      assert.equal(created.size, 1024 * 1023);
      await fetch(`${h.url}/api/v2/files/${created.id}`, { method: 'DELETE', headers: alice.headers });
    });

    test('v2: upload, de-duplication, list, download, rename, delete', async () => {
      const upload = async (name: string, content: string) => {
        const response = await fetch(`${h.url}/api/v2/files/`, { method: 'POST', headers: alice.headers, body: fileForm(name, content) });
        assert.equal(response.status, 201);
        return (await response.json()) as { id: string; name: string; path: string; size: number; provider: string | null };
      };
      const first = await upload('report.txt', 'first');
      assert.deepEqual(Object.keys(first).sort(), ['id', 'name', 'path', 'provider', 'size']);
      assert.equal(first.name, 'report');
      assert.equal(first.path, `${alice.user.id}/report.txt`);
      assert.equal(first.size, 5);
      const second = await upload('report.txt', 'second!');
      assert.equal(second.name, 'report (1)');
      assert.equal(second.path, `${alice.user.id}/report (1).txt`);
      const third = await upload('report.txt', 'third');
      assert.equal(third.name, 'report (2)');
      assert.equal(readFileSync(join(h.configDir, USER_FILES_DIR, alice.user.id, 'report (1).txt'), 'utf8'), 'second!');

      const list = (await (await fetch(`${h.url}/api/v2/files`, { headers: alice.headers })).json()) as Record<string, unknown>[];
      assert.deepEqual(list.map((f) => f.name).sort(), ['report', 'report (1)', 'report (2)']);
      for (const file of list) {
        assert.equal(file.user_id, alice.user.id);
        for (const key of ['id', 'path', 'size', 'provider', 'created_at', 'updated_at']) assert.ok(key in file, key);
      }

      const download = await fetch(`${h.url}/api/v2/files/${second.id}`, { headers: alice.headers });
      assert.equal(download.status, 200);
      assert.equal(download.headers.get('content-type'), 'application/octet-stream');
      assert.match(download.headers.get('content-disposition') ?? '', /filename="report \(1\)\.txt"/);
      assert.equal(await download.text(), 'second!');
      const content = await fetch(`${h.url}/api/v2/files/${second.id}?return_content=true`, { headers: alice.headers });
      assert.equal(await content.json(), 'second!');

      const renamed = await fetch(`${h.url}/api/v2/files/${first.id}?name=${encodeURIComponent('final report')}`, { method: 'PUT', headers: alice.headers });
      assert.equal(renamed.status, 200);
      assert.deepEqual(await renamed.json(), { id: first.id, name: 'final report', path: first.path, size: 5, provider: null });
      // The old name is free again, but the bytes of the renamed file are not overwritten.
      const reused = await upload('report.txt', 'fourth');
      assert.equal(reused.name, 'report (3)');
      assert.equal(await (await fetch(`${h.url}/api/v2/files/${first.id}`, { headers: alice.headers })).text(), 'first');

      const removed = await fetch(`${h.url}/api/v2/files/${third.id}`, { method: 'DELETE', headers: alice.headers });
      assert.deepEqual(await removed.json(), { detail: 'File report (2) deleted successfully' });
      assert.equal(existsSync(join(h.configDir, USER_FILES_DIR, alice.user.id, 'report (2).txt')), false);
      assert.equal((await fetch(`${h.url}/api/v2/files/${third.id}`, { headers: alice.headers })).status, 404);

      const noFile = await fetch(`${h.url}/api/v2/files`, { method: 'POST', headers: alice.headers, body: new FormData() });
      assert.equal(noFile.status, 422);
    });

    test('v2: append adds to the existing file of that name', async () => {
      const first = (await (await fetch(`${h.url}/api/v2/files`, { method: 'POST', headers: alice.headers, body: fileForm('journal.log', 'day 1;') })).json()) as { id: string };
      const appended = await fetch(`${h.url}/api/v2/files?append=true`, { method: 'POST', headers: alice.headers, body: fileForm('journal.log', 'day 2;') });
      assert.equal(appended.status, 201);
      const body = (await appended.json()) as { id: string; size: number; name: string };
      assert.equal(body.id, first.id);
      assert.equal(body.size, 12);
      assert.equal(await (await fetch(`${h.url}/api/v2/files/${first.id}`, { headers: alice.headers })).text(), 'day 1;day 2;');
    });

    test('v2: batch zip download matches the stored files; batch delete and delete all', async () => {
      const make = async (name: string, content: string) =>
        ((await (await fetch(`${h.url}/api/v2/files`, { method: 'POST', headers: bob.headers, body: fileForm(name, content) })).json()) as { id: string; name: string });
      const a = await make('alpha.txt', 'AAA');
      const b = await make('beta.csv', 'x,y\n1,2\n');
      const c = await make('gamma.md', '# gamma');

      const zip = await fetch(`${h.url}/api/v2/files/batch/`, { method: 'POST', headers: { ...bob.headers, 'content-type': 'application/json' }, body: JSON.stringify([a.id, b.id]) });
      assert.equal(zip.status, 200);
      assert.equal(zip.headers.get('content-type'), 'application/x-zip-compressed');
      assert.match(zip.headers.get('content-disposition') ?? '', /^attachment; filename="\d{8}_\d{6}_langflow_files\.zip"; filename\*=UTF-8''\d{8}_\d{6}_langflow_files\.zip$/);
      const entries = unzipSync(new Uint8Array(await zip.arrayBuffer()));
      assert.deepEqual(Object.keys(entries).sort(), ['alpha.txt', 'beta.csv']);
      assert.equal(strFromU8(entries['alpha.txt']), 'AAA');
      assert.equal(strFromU8(entries['beta.csv']), 'x,y\n1,2\n');

      // Alice cannot zip Bob's files, nor delete them.
      const foreignZip = await fetch(`${h.url}/api/v2/files/batch/`, { method: 'POST', headers: { ...alice.headers, 'content-type': 'application/json' }, body: JSON.stringify([a.id]) });
      assert.equal(foreignZip.status, 404);
      assert.deepEqual(await foreignZip.json(), { detail: 'No files found' });
      for (const [method, path] of [['GET', `/api/v2/files/${a.id}`], ['PUT', `/api/v2/files/${a.id}?name=mine`], ['DELETE', `/api/v2/files/${a.id}`]] as const) {
        const response = await fetch(`${h.url}${path}`, { method, headers: alice.headers });
        assert.equal(response.status, 404, `${method} ${path}`);
        assert.deepEqual(await response.json(), { detail: 'File not found' });
      }
      const aliceList = (await (await fetch(`${h.url}/api/v2/files`, { headers: alice.headers })).json()) as { id: string }[];
      assert.ok(!aliceList.some((f) => [a.id, b.id, c.id].includes(f.id)));

      const batchDelete = await fetch(`${h.url}/api/v2/files/batch/`, { method: 'DELETE', headers: { ...bob.headers, 'content-type': 'application/json' }, body: JSON.stringify([a.id, b.id]) });
      assert.deepEqual(await batchDelete.json(), { message: '2 files deleted successfully' });
      const remaining = (await (await fetch(`${h.url}/api/v2/files`, { headers: bob.headers })).json()) as { id: string }[];
      assert.deepEqual(remaining.map((f) => f.id), [c.id]);

      const all = await fetch(`${h.url}/api/v2/files`, { method: 'DELETE', headers: bob.headers });
      assert.deepEqual(await all.json(), { message: 'All 1 files deleted successfully' });
      assert.deepEqual(await (await fetch(`${h.url}/api/v2/files`, { headers: bob.headers })).json(), []);
      assert.deepEqual(readdirSync(join(h.configDir, USER_FILES_DIR, bob.user.id)).filter((f) => !f.endsWith('.txt') || !f.includes('_')), []);
    });

    test('v2: traversal in ids and upload names is refused without leaking', async () => {
      for (const attempt of [...TRAVERSALS, ...RAW_SEGMENTS]) {
        for (const method of ['GET', 'PUT', 'DELETE']) {
          const response = await raw(h.url, method, `/api/v2/files/${attempt}`, alice.headers);
          assert.ok([400, 404, 422].includes(response.status), `${method} ${attempt} → ${response.status}`);
          noSecret(response);
        }
      }
      for (const [name, expected] of [['../secret_key', 201], ['/etc/passwd', 201], ['..%2Fsecret_key', 400], ['a\\..\\..\\b', 201]] as const) {
        const { body, headers } = multipartBody(name, 'overwrite');
        const response = await raw(h.url, 'POST', '/api/v2/files', { ...alice.headers, ...headers }, body);
        assert.equal(response.status, expected, name);
        if (expected === 201) {
          const created = JSON.parse(response.body.toString('utf8')) as { path: string };
          assert.ok(created.path.startsWith(`${alice.user.id}/`) && created.path.split('/').length === 2, created.path);
        }
      }
      assert.equal(readFileSync(join(h.configDir, 'secret_key'), 'utf8'), h.secret);
    });
  });
}
