import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest } from '../../test-utils/raw-http.js';
import { exampleFlows } from './examples/index.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, unknown>;

/**
 * Clients that send `Content-Type: application/json` on every request (axios instances, fetch
 * wrappers, a browser UI) must still delete and list: FastAPI reads no body for a route that
 * declares none (issue 11 item 2).
 */
describe('requests with Content-Type: application/json and no body', () => {
  let server: TestServer;
  let headers: Record<string, string>;

  before(async () => {
    server = await startTestServer('sqlite');
    const token = ((await server.call('/api/v1/auto_login')).body as Json).access_token as string;
    headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  });
  after(async () => server?.stop());

  const send = (method: string, path: string, body?: string) => rawRequest(server.url, path, { method, headers, body });
  const create = async (path: string, json: Json) => {
    const response = await server.call(path, { method: 'POST', headers: { authorization: headers.authorization }, json });
    assert.ok(response.status === 200 || response.status === 201, response.text);
    return response.body as Json;
  };

  test('API key, project, variable and chat-session deletes succeed', async () => {
    const key = await create('/api/v1/api_key/', { name: 'to delete' });
    const apiKeyDelete = await send('DELETE', `/api/v1/api_key/${key.id as string}`);
    assert.equal(apiKeyDelete.status, 200, apiKeyDelete.text);

    const project = await create('/api/v1/projects/', { name: 'to delete', description: '' });
    const projectDelete = await send('DELETE', `/api/v1/projects/${project.id as string}`);
    assert.equal(projectDelete.status, 204, projectDelete.text);

    const variable = await create('/api/v1/variables/', { name: 'TO_DELETE', value: 'v', type: 'Generic', default_fields: [] });
    const variableDelete = await send('DELETE', `/api/v1/variables/${variable.id as string}`);
    assert.equal(variableDelete.status, 204, variableDelete.text);

    const [promptEcho] = exampleFlows();
    const flow = await create('/api/v1/flows/', { ...promptEcho, id: undefined });
    const apiKey = (await create('/api/v1/api_key/', { name: 'runner' })).api_key as string;
    const run = await server.call(`/api/v1/run/${flow.id as string}`, { method: 'POST', headers: { 'x-api-key': apiKey }, json: { input_value: 'hi', session_id: 'bodyless' } });
    assert.equal(run.status, 200, run.text);
    const sessionDelete = await send('DELETE', '/api/v1/monitor/messages/session/bodyless');
    assert.equal(sessionDelete.status, 204, sessionDelete.text);
    const left = await send('GET', '/api/v1/monitor/messages?session_id=bodyless');
    assert.equal(left.status, 200, left.text);
    assert.deepEqual(left.body, []);
  });

  test('a message delete that takes a list of ids reads it; without one it is FastAPI’s missing body', async () => {
    const withIds = await send('DELETE', '/api/v1/monitor/messages', '[]');
    assert.equal(withIds.status, 204, withIds.text);
    const without = await send('DELETE', '/api/v1/monitor/messages');
    assert.equal(without.status, 422, without.text);
    assert.deepEqual(without.body, { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] });
  });

  test('GETs and body-less DELETEs ignore whatever body comes with them, even malformed', async () => {
    const list = await send('GET', '/api/v1/api_key/');
    assert.equal(list.status, 200, list.text);
    const key = await create('/api/v1/api_key/', { name: 'garbage body' });
    const response = await send('DELETE', `/api/v1/api_key/${key.id as string}`, '{not json');
    assert.equal(response.status, 200, response.text);
  });

  test('a POST that needs a body and gets an empty one is FastAPI’s missing body, not a JSON decode error', async () => {
    const response = await send('POST', '/api/v1/variables/', '');
    assert.equal(response.status, 422, response.text);
    assert.deepEqual(response.body, { detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] });
  });
});
