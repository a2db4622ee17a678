import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest } from '../../../test-utils/raw-http.js';
import { addFlow, addUser, fileForm, startTestServer, type TestServer, type TestUser } from '../../../test-utils/api-server.js';

/**
 * File names in the v1 file routes, as Langflow treats them (api/utils/core.py `ValidatedFileName`
 * on download/images/delete; Starlette decodes the path before routing; the local storage service
 * does not complain about deleting a file that is not there — test_files.py::test_delete_file).
 */
const INVALID_FILE_NAME = "Invalid file name. Use a simple file name without directory paths or '..'.";


describe('v1 file names follow Langflow', () => {
  let h: TestServer;
  let alice: TestUser;
  let flow: string;

  before(async () => {
    h = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false' });
    alice = await addUser(h.database, 'alice');
    flow = await addFlow(h.database, alice);
  });
  after(async () => h.stop());

  const routes = (name: string) =>
    [
      ['GET', `/api/v1/files/download/${flow}/${name}`],
      ['GET', `/api/v1/files/images/${flow}/${name}`],
      ['DELETE', `/api/v1/files/delete/${flow}/${name}`],
    ] as const;

  test("a name containing '..' anywhere, or a backslash, is a 400 with Langflow's detail", async () => {
    for (const name of ['..txt', 'test..secret', 'a..b.png', '..', '%2e%2e', 'a%5Cb.txt', '..%5Csecret_key', 'dir%5C..%5Ckey.png']) {
      for (const [method, path] of routes(name)) {
        const response = await rawRequest(h.url, path, { method, headers: alice.headers });
        assert.equal(response.status, 400, `${method} ${path}`);
        assert.deepEqual(response.body, { detail: INVALID_FILE_NAME }, `${method} ${path}`);
      }
    }
  });

  test('an encoded slash never reaches a handler (Starlette routes on the decoded path): 404 Not Found', async () => {
    for (const name of ['a%2Fb.txt', '..%2Fsecret_key', '%2Fetc%2Fpasswd']) {
      for (const [method, path] of routes(name)) {
        const response = await rawRequest(h.url, path, { method, headers: alice.headers });
        assert.equal(response.status, 404, `${method} ${path}`);
        assert.deepEqual(response.body, { detail: 'Not Found' }, `${method} ${path}`);
      }
    }
  });

  test('a plain name with single dots is fine on every route', async () => {
    const upload = await fetch(`${h.url}/api/v1/files/upload/${flow}`, { method: 'POST', headers: alice.headers, body: fileForm('my.report.v2.png', 'png bytes', 'image/png') });
    assert.equal(upload.status, 201);
    const stored = ((await upload.json()) as { file_path: string }).file_path.split('/')[1];
    assert.equal((await fetch(`${h.url}/api/v1/files/download/${flow}/${stored}`, { headers: alice.headers })).status, 200);
    assert.equal((await fetch(`${h.url}/api/v1/files/images/${flow}/${stored}`, { headers: alice.headers })).status, 200);
    const removed = await fetch(`${h.url}/api/v1/files/delete/${flow}/${stored}`, { method: 'DELETE', headers: alice.headers });
    assert.deepEqual(await removed.json(), { message: `File ${stored} deleted successfully` });
  });

  test("deleting a file that is not there answers 200, as Langflow's test_delete_file expects", async () => {
    const response = await fetch(`${h.url}/api/v1/files/delete/${flow}/test.txt`, { method: 'DELETE', headers: alice.headers });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { message: 'File test.txt deleted successfully' });
  });

  test('a missing file is a 404 naming the file and the flow (Langflow words it so, with a 500)', async () => {
    const download = await fetch(`${h.url}/api/v1/files/download/${flow}/nothing.txt`, { headers: alice.headers });
    assert.equal(download.status, 404);
    assert.deepEqual(await download.json(), { detail: `File nothing.txt not found in flow ${flow}` });
    const image = await fetch(`${h.url}/api/v1/files/images/${flow}/nothing.png`, { headers: alice.headers });
    assert.equal(image.status, 404);
    assert.deepEqual(await image.json(), { detail: `File nothing.png not found in flow ${flow}` });
  });

  test('an image of an unknown flow is a 404 "Flow not found", never a 5xx', async () => {
    const unknown = crypto.randomUUID();
    for (const name of ['photo.png', 'photo.jpg', 'notes.txt', 'no-extension']) {
      const response = await fetch(`${h.url}/api/v1/files/images/${unknown}/${name}`, { headers: alice.headers });
      assert.equal(response.status, 404, name);
      assert.deepEqual(await response.json(), { detail: 'Flow not found' }, name);
    }
  });
});
