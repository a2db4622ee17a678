import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { rawRequest } from '../../test-utils/raw-http.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, unknown>;

/**
 * The attack: malformed requests (broken JSON, JSON nested 100,000 deep, multipart without a
 * boundary, an undecodable cookie) answered 500, or overflowed the stack. Each must be a 4xx in
 * FastAPI's shape, and the server must keep serving.
 */
describe('attack: malformed input answered with 500s', () => {
  let server: TestServer;
  let auth: Record<string, string>;

  before(async () => {
    server = await startTestServer('sqlite');
    auth = { authorization: `Bearer ${((await server.call('/api/v1/auto_login')).body as Json).access_token as string}` };
  });
  after(async () => server?.stop());

  const postJson = (path: string, body: string) => rawRequest(server.url, path, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body });

  test('malformed JSON is FastAPI’s 422 json_invalid with the error position and Python’s message', async () => {
    const cases: [body: string, position: number, message: string][] = [
      ['{"name":}', 8, 'Expecting value'],
      ['abc', 0, 'Expecting value'],
      ['{name: "x"}', 1, 'Expecting property name enclosed in double quotes'],
      ['{"name" "x"}', 8, "Expecting ':' delimiter"],
      ['{"name": "x"', 12, "Expecting ',' delimiter"],
      ['{"name": "x"} trailing', 14, 'Extra data'],
      ['{"name": "unterminated', 9, 'Unterminated string starting at'],
      ['{"name": "bad \\q escape"}', 14, 'Invalid \\escape'],
    ];
    for (const [body, position, message] of cases) {
      const response = await postJson('/api/v1/variables/', body);
      assert.equal(response.status, 422, `${body}: ${response.text}`);
      assert.deepEqual(response.body, { detail: [{ type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error', input: {}, ctx: { error: message } }] }, body);
    }
  });

  test('JSON nested 100,000 deep is refused with a 422, not a stack overflow', async () => {
    for (const [path, body] of [
      ['/api/v1/variables/', `${'['.repeat(100_000)}${']'.repeat(100_000)}`],
      ['/api/v1/flows/', `{"name":"deep","data":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`],
      ['/api/v1/validate/prompt', `{"name":"x","template":"a","frontend_node":${'['.repeat(100_000)}${']'.repeat(100_000)}}`],
    ] as const) {
      const response = await postJson(path, body);
      assert.equal(response.status, 422, `${path}: ${response.text.slice(0, 300)}`);
      const [item] = (response.body as { detail: Json[] }).detail;
      assert.equal(item.type, 'json_invalid');
      assert.match(String((item.ctx as Json).error), /nest/i);
    }
    assert.equal((await server.call('/health')).status, 200);
  });

  test('multipart without a boundary (or with a wrong one) is FastAPI’s 400, on every upload route', async () => {
    for (const path of ['/api/v2/files/', '/api/v1/flows/upload/', `/api/v1/projects/upload/`]) {
      for (const contentType of ['multipart/form-data', 'multipart/form-data; boundary=abc']) {
        const response = await rawRequest(server.url, path, { method: 'POST', headers: { ...auth, 'content-type': contentType }, body: 'not multipart at all' });
        assert.equal(response.status, 400, `${path} ${contentType}: ${response.text}`);
        assert.deepEqual(response.body, { detail: 'There was an error parsing the body' });
      }
    }
  });

  test('an undecodable cookie is read as the raw value, not a 500', async () => {
    const response = await rawRequest(server.url, `/api/v1/build_public_tmp/${randomUUID()}/flow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'client_id=%E0%A4%A' },
      body: '{}',
    });
    assert.equal(response.status, 404, response.text);
    assert.deepEqual(response.body, { detail: 'Flow not found' });
  });
});
