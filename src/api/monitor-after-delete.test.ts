import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exampleFlows } from './examples/index.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const [promptEcho] = exampleFlows();
const EMPTY_PAGE = { items: [], total: 0, page: 1, size: 50, pages: 0 };

/** Monitor reads of a deleted or unknown flow answer as Langflow does: 200 with an empty result. */
describe('monitor after flows and projects are deleted', () => {
  let server: TestServer;
  let auth: Record<string, string>;
  let apiKey: string;

  before(async () => {
    server = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass' });
    const login = await server.call('/api/v1/login', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=admin-pass',
    });
    auth = { authorization: `Bearer ${(login.body as Json).access_token}` };
    apiKey = ((await server.call('/api/v1/api_key/', { method: 'POST', headers: auth, json: { name: 'monitor' } })).body as Json).api_key;
  });
  after(async () => server?.stop());

  async function ranFlow(folderId?: string): Promise<string> {
    const created = await server.call('/api/v1/flows/', { method: 'POST', headers: auth, json: { ...promptEcho, id: undefined, folder_id: folderId } });
    assert.equal(created.status, 201, created.text);
    const id = (created.body as Json).id as string;
    const run = await server.call(`/api/v1/run/${id}`, { method: 'POST', headers: { 'x-api-key': apiKey }, json: { input_value: 'hello' } });
    assert.equal(run.status, 200, run.text);
    return id;
  }

  async function monitorOf(flowId: string) {
    const get = async (path: string) => {
      const response = await server.call(path, { headers: auth });
      assert.equal(response.status, 200, `${path}: ${response.text}`);
      return response.body as Json;
    };
    return {
      messages: await get(`/api/v1/monitor/messages?flow_id=${flowId}`),
      builds: await get(`/api/v1/monitor/builds?flow_id=${flowId}`),
      transactions: await get(`/api/v1/monitor/transactions?flow_id=${flowId}`),
    };
  }

  test('an unknown flow id: empty builds, an empty transactions page, no messages', async () => {
    const unknown = '3fa85f64-5717-4562-b3fc-2c963f66afa6';
    assert.deepEqual(await monitorOf(unknown), { messages: [], builds: { vertex_builds: {} }, transactions: EMPTY_PAGE });
    const cleared = await server.call(`/api/v1/monitor/builds?flow_id=${unknown}`, { method: 'DELETE', headers: auth });
    assert.equal(cleared.status, 204);
  });

  test('deleting a flow removes its messages, builds and transactions; reads stay 200', async () => {
    const flowId = await ranFlow();
    const before = await monitorOf(flowId);
    assert.equal(before.messages.length, 2);
    assert.ok(Object.keys(before.builds.vertex_builds).length > 0);
    assert.ok(before.transactions.total > 0);
    const deleted = await server.call(`/api/v1/flows/${flowId}`, { method: 'DELETE', headers: auth });
    assert.equal(deleted.status, 200);
    assert.deepEqual(await monitorOf(flowId), { messages: [], builds: { vertex_builds: {} }, transactions: EMPTY_PAGE });
  });

  test('deleting a project removes the monitor rows of its flows', async () => {
    const project = await server.call('/api/v1/projects/', { method: 'POST', headers: auth, json: { name: 'Doomed' } });
    assert.equal(project.status, 201, project.text);
    const flowId = await ranFlow((project.body as Json).id);
    assert.ok((await monitorOf(flowId)).transactions.total > 0);
    const deleted = await server.call(`/api/v1/projects/${(project.body as Json).id}`, { method: 'DELETE', headers: auth });
    assert.equal(deleted.status, 204);
    assert.deepEqual(await monitorOf(flowId), { messages: [], builds: { vertex_builds: {} }, transactions: EMPTY_PAGE });
  });
});
