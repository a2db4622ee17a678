import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest } from '../../test-utils/raw-http.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, unknown>;

const MB = 1024 * 1024;

/** `total` bytes of `fill`, in 1 MB chunks of one reused buffer (the client holds 1 MB, whatever the total). */
async function* chunks(total: number, prefix = ''): AsyncIterable<Buffer> {
  const block = Buffer.alloc(MB, 'x');
  if (prefix) yield Buffer.from(prefix);
  for (let sent = 0; sent < total; sent += MB) yield total - sent >= MB ? block : block.subarray(0, total - sent);
}

/**
 * The attack: anyone who can reach the port sends huge form or JSON bodies (a 300 MB login took the
 * server to 2 GB) and gets the whole input echoed back in the 422. Bodies that are parsed in memory
 * are capped by `WEFT_MAX_BODY_SIZE_MB`; file uploads keep their own, larger limit and are streamed.
 */
describe('attack: unauthenticated memory exhaustion through request bodies', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass' });
  });
  after(async () => server?.stop());

  test('a 100 MB login form sent without a length is cut off at the body limit with 413', async () => {
    const rssBefore = process.memoryUsage().rss;
    const response = await rawRequest(server.url, '/api/v1/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: chunks(100 * MB, 'username=admin&password='),
    });
    assert.equal(response.status, 413, response.text.slice(0, 300));
    assert.match(String((response.body as Json).detail), /larger than the maximum of 32 MB.*WEFT_MAX_BODY_SIZE_MB/);
    // The server read at most its 32 MB limit: nowhere near the 100 MB body (or the several copies parsing makes).
    assert.ok(process.memoryUsage().rss - rssBefore < 250 * MB, `RSS grew by ${Math.round((process.memoryUsage().rss - rssBefore) / MB)} MB`);
  });

  test('a JSON body declared larger than the limit is refused before it is read', async () => {
    const response = await rawRequest(server.url, '/api/v1/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': 300 * MB },
      body: chunks(2 * MB),
    });
    assert.equal(response.status, 413, response.text.slice(0, 300));
    assert.ok(response.elapsedMs < 5000, `took ${response.elapsedMs} ms`);
  });

  test('a 422 quotes only a short prefix of a huge input', async () => {
    const response = await rawRequest(server.url, '/api/v1/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `password=${'x'.repeat(2 * MB)}`,
    });
    assert.equal(response.status, 422, response.text.slice(0, 300));
    assert.ok(response.text.length < 2000, `422 body is ${response.text.length} bytes`);
    const [item] = (response.body as { detail: Json[] }).detail;
    assert.deepEqual(item.loc, ['body', 'username']);
    assert.equal(item.msg, 'Field required');
    assert.match(String((item.input as Json).password), /^x{100,}/);
  });
});

describe('body limits: parsed bodies and uploads are limited separately', () => {
  let server: TestServer;
  let auth: Record<string, string>;

  before(async () => {
    server = await startTestServer('sqlite', { WEFT_MAX_BODY_SIZE_MB: '1' });
    auth = { authorization: `Bearer ${((await server.call('/api/v1/auto_login')).body as Json).access_token as string}` };
  });
  after(async () => server?.stop());

  test('a file upload larger than the body limit is streamed to storage', async () => {
    const form = new FormData();
    form.append('file', new Blob([Buffer.alloc(3 * MB, 'a')]), 'big.txt');
    const response = await server.call('/api/v2/files/', { method: 'POST', headers: auth, body: form });
    assert.equal(response.status, 201, response.text);
    assert.equal((response.body as Json).size, 3 * MB);
  });

  test('a JSON body or a flow file (parsed in memory) over the body limit is refused with 413', async () => {
    const flow = { name: 'big', data: { nodes: [], edges: [], note: 'n'.repeat(2 * MB) } };
    const json = await server.call('/api/v1/flows/', { method: 'POST', headers: auth, json: flow });
    assert.equal(json.status, 413, json.text.slice(0, 300));
    const form = new FormData();
    form.append('file', new Blob([JSON.stringify(flow)], { type: 'application/json' }), 'big.json');
    const upload = await server.call('/api/v1/flows/upload/', { method: 'POST', headers: auth, body: form });
    assert.equal(upload.status, 413, upload.text.slice(0, 300));
  });
});

describe('body limits: the default still takes large flows', () => {
  test('a 20 MB flow is created through JSON and through a flow file upload', async () => {
    const server = await startTestServer('sqlite');
    try {
      const auth = { authorization: `Bearer ${((await server.call('/api/v1/auto_login')).body as Json).access_token as string}` };
      const flow = { name: 'large', data: { nodes: [], edges: [], note: 'n'.repeat(20 * MB) } };
      const created = await server.call('/api/v1/flows/', { method: 'POST', headers: auth, json: flow });
      assert.equal(created.status, 201, created.text.slice(0, 300));
      const form = new FormData();
      form.append('file', new Blob([JSON.stringify({ ...flow, name: 'large upload' })], { type: 'application/json' }), 'large.json');
      const uploaded = await server.call('/api/v1/flows/upload/', { method: 'POST', headers: auth, body: form });
      assert.equal(uploaded.status, 201, uploaded.text.slice(0, 300));
    } finally {
      await server.stop();
    }
  });
});
