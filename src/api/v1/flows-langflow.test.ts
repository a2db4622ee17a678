import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test-utils/api-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The body of Langflow's test_flows.py `basic_case`: every FlowCreate field, with a made-up folder id. */
const basicCase = {
  name: 'string', description: 'string', icon: 'string', icon_bg_color: '#ff00ff', gradient: 'string', data: {},
  is_component: false, webhook: false, endpoint_name: 'string', tags: ['string'],
  user_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6', folder_id: '3fa85f64-5717-4562-b3fc-2c963f66afa6',
};
/** What `FlowUpdate(name=..., description=..., data=...).model_dump()` sends: every other field null. */
const fullUpdate = (fields: Json) => ({
  name: null, description: null, data: null, folder_id: null, endpoint_name: null, mcp_enabled: null, locked: null,
  action_name: null, action_description: null, access_type: null, fs_path: null, ...fields,
});

/**
 * /api/v1/flows and /api/v1/projects as Langflow's tests/unit/api/v1/test_flows.py, test_projects.py and
 * tests/unit/test_database.py send them: whole pydantic dumps (nulls included) and made-up folder ids.
 */
describe("flows and projects with Langflow's test bodies", () => {
  let server: TestServer;
  const auth: Record<string, Record<string, string>> = {};

  before(async () => {
    server = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass' });
    const login = async (username: string, password: string) => {
      const response = await server.call('/api/v1/login', {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `username=${username}&password=${password}`,
      });
      return { authorization: `Bearer ${(response.body as Json).access_token}` };
    };
    auth.admin = await login('admin', 'admin-pass');
    const bob = (await server.call('/api/v1/users/', { method: 'POST', headers: auth.admin, json: { username: 'bob', password: 'bob-password' } })).body as Json;
    await server.call(`/api/v1/users/${bob.id}`, { method: 'PATCH', headers: auth.admin, json: { is_active: true } });
    auth.bob = await login('bob', 'bob-password');
  });
  after(async () => server?.stop());

  const defaultProject = async (who: string) =>
    ((await server.call('/api/v1/projects/', { headers: auth[who] })).body as Json[]).find((p) => p.name === 'Starter Project')!.id;

  test('a flow created in a folder that does not exist is created (201) in the default project, as are batches', async () => {
    const created = await server.call('/api/v1/flows/', { method: 'POST', headers: auth.admin, json: basicCase });
    assert.equal(created.status, 201, created.text);
    const flow = created.body as Json;
    for (const key of ['data', 'description', 'endpoint_name', 'folder_id', 'gradient', 'icon', 'icon_bg_color', 'id', 'is_component', 'name', 'tags', 'updated_at', 'user_id', 'webhook']) {
      assert.ok(key in flow, key);
    }
    assert.equal(flow.folder_id, await defaultProject('admin'));
    assert.notEqual(flow.user_id, basicCase.user_id, 'the owner is the caller, never the body');
    const cases = Array.from({ length: 3 }, (_, i) => ({ ...basicCase, name: `string_${i}`, endpoint_name: `string_${i}` }));
    const batch = await server.call('/api/v1/flows/batch/', { method: 'POST', headers: auth.admin, json: { flows: cases } });
    assert.equal(batch.status, 201, batch.text);
    assert.equal((batch.body as Json[]).length, 3);
  });

  test("another user's project never receives the caller's flow: create goes to the default project, PATCH leaves it", async () => {
    const bobsProject = (await server.call('/api/v1/projects/', { method: 'POST', headers: auth.bob, json: { name: 'Bob only' } })).body as Json;
    const created = await server.call('/api/v1/flows/', { method: 'POST', headers: auth.admin, json: { name: 'intruder', folder_id: bobsProject.id } });
    assert.equal(created.status, 201, created.text);
    const flow = created.body as Json;
    assert.equal(flow.folder_id, await defaultProject('admin'));
    const moved = await server.call(`/api/v1/flows/${flow.id}`, { method: 'PATCH', headers: auth.admin, json: { folder_id: bobsProject.id } });
    assert.equal(moved.status, 200, moved.text);
    assert.equal((moved.body as Json).folder_id, flow.folder_id);
    const bobsFlows = (await server.call(`/api/v1/projects/${bobsProject.id}`, { headers: auth.bob })).body as Json;
    assert.deepEqual(bobsFlows.flows, []);
  });

  test('PATCH with a whole FlowUpdate dump applies the set fields and ignores the nulls (it was a 500)', async () => {
    const flow = (await server.call('/api/v1/flows/', {
      method: 'POST', headers: auth.admin, json: { name: 'Test Flow', description: 'description', endpoint_name: 'keep-me', access_type: 'PUBLIC', locked: true, data: { nodes: [], edges: [] } },
    })).body as Json;
    const data = { nodes: [], edges: [], viewport: { x: 1, y: 0, zoom: 0.5 } };
    const response = await server.call(`/api/v1/flows/${flow.id}`, {
      method: 'PATCH', headers: auth.admin, json: fullUpdate({ name: 'Updated Flow', description: 'updated description', data, endpoint_name: 'keep-me' }),
    });
    assert.equal(response.status, 200, response.text);
    const updated = response.body as Json;
    assert.deepEqual([updated.name, updated.description, updated.data], ['Updated Flow', 'updated description', data]);
    assert.deepEqual([updated.access_type, updated.locked, updated.folder_id], ['PUBLIC', true, flow.folder_id], 'nulls leave fields as they were');
    assert.equal(updated.endpoint_name, 'keep-me');
    // endpoint_name is the one field a null (or "") clears; leaving it out keeps it.
    const kept = await server.call(`/api/v1/flows/${flow.id}`, { method: 'PATCH', headers: auth.admin, json: { description: 'again' } });
    assert.equal((kept.body as Json).endpoint_name, 'keep-me');
    for (const cleared of [null, '']) {
      await server.call(`/api/v1/flows/${flow.id}`, { method: 'PATCH', headers: auth.admin, json: { endpoint_name: 'again-1' } });
      const response2 = await server.call(`/api/v1/flows/${flow.id}`, { method: 'PATCH', headers: auth.admin, json: { endpoint_name: cleared } });
      assert.equal(response2.status, 200, response2.text);
      assert.equal((response2.body as Json).endpoint_name, null);
    }
  });

  test('PATCH to a folder that does not exist leaves the flow in its project', async () => {
    const flow = (await server.call('/api/v1/flows/', { method: 'POST', headers: auth.admin, json: { name: 'stays' } })).body as Json;
    const response = await server.call(`/api/v1/flows/${flow.id}`, { method: 'PATCH', headers: auth.admin, json: { ...basicCase, name: 'second_name', endpoint_name: 'second' } });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual([(response.body as Json).name, (response.body as Json).folder_id], ['second_name', flow.folder_id]);
  });

  test('a project from FolderCreate.model_dump() (null lists) is created; FolderUpdate lists stay lists (null is a 422, as in Langflow)', async () => {
    const created = await server.call('/api/v1/projects/', {
      method: 'POST', headers: auth.admin, json: { name: 'Dumped', description: 'd', auth_settings: null, components_list: null, flows_list: null },
    });
    assert.equal(created.status, 201, created.text);
    const project = created.body as Json;
    for (const prefix of ['/api/v1/projects', '/api/v1/folders']) {
      const read = await server.call(`${prefix}/${project.id}`, { headers: auth.admin });
      assert.equal(read.status, 200, read.text);
      assert.deepEqual((read.body as Json).flows, []);
    }
    const patched = await server.call(`/api/v1/projects/${project.id}`, {
      method: 'PATCH', headers: auth.admin, json: { name: 'Renamed', description: null, parent_id: null, components: [], flows: [], auth_settings: null },
    });
    assert.equal(patched.status, 200, patched.text);
    assert.equal((patched.body as Json).name, 'Renamed');
    const nullLists = await server.call(`/api/v1/projects/${project.id}`, { method: 'PATCH', headers: auth.admin, json: { name: 'x', components: null, flows: null } });
    assert.equal(nullLists.status, 422, nullLists.text);
  });
  test('PUT /flows/{id} (upsert, the later Langflow and its SDK): 201 with the chosen id, then 200 updates', async () => {
    const id = '0b6a6b55-6d69-4d1e-9a43-1d4b7c2f9e11';
    const created = await server.call(`/api/v1/flows/${id}`, {
      method: 'PUT', headers: auth.admin, json: { name: 'upsert_new_flow', description: 'Created via upsert', data: {}, user_id: basicCase.user_id },
    });
    assert.equal(created.status, 201, created.text);
    const flow = created.body as Json;
    assert.deepEqual([flow.id, flow.name], [id, 'upsert_new_flow']);
    assert.notEqual(flow.user_id, basicCase.user_id, 'user_id of the body is ignored');
    const updated = await server.call(`/api/v1/flows/${id}`, {
      method: 'PUT', headers: auth.admin, json: { name: 'updated_flow_name', description: 'updated description', data: { nodes: [], edges: [] } },
    });
    assert.equal(updated.status, 200, updated.text);
    const body = updated.body as Json;
    assert.deepEqual([body.id, body.name, body.description, body.folder_id], [id, 'updated_flow_name', 'updated description', flow.folder_id]);
    // Keeping its own name is no conflict.
    assert.equal((await server.call(`/api/v1/flows/${id}`, { method: 'PUT', headers: auth.admin, json: { name: 'updated_flow_name', description: 'x' } })).status, 200);
  });

  test("PUT: another user's flow is 404, an unknown folder 400, a taken endpoint 409, a taken name 409 on update and renamed on create", async () => {
    const bobs = (await server.call('/api/v1/flows/', { method: 'POST', headers: auth.bob, json: { name: 'other_user_flow', data: {} } })).body as Json;
    const stolen = await server.call(`/api/v1/flows/${bobs.id}`, { method: 'PUT', headers: auth.admin, json: { name: 'trying_to_steal', data: {} } });
    assert.equal(stolen.status, 404);
    assert.equal((stolen.body as Json).detail, 'Flow not found');
    assert.equal(((await server.call(`/api/v1/flows/${bobs.id}`, { headers: auth.bob })).body as Json).name, 'other_user_flow');

    const badFolder = await server.call('/api/v1/flows/5f0c7a3e-0d1b-4c55-8f0e-2b9f6c1d7a01', {
      method: 'PUT', headers: auth.admin, json: { name: 'flow_with_bad_folder', data: {}, folder_id: '9d1e7f2a-3b4c-4d5e-8f6a-7b8c9d0e1f2a' },
    });
    assert.deepEqual([badFolder.status, badFolder.body], [400, { detail: 'Folder not found' }]);

    await server.call('/api/v1/flows/', { method: 'POST', headers: auth.admin, json: { name: 'first_flow', endpoint_name: 'unique_endpoint', data: {} } });
    const endpointClash = await server.call('/api/v1/flows/6a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', {
      method: 'PUT', headers: auth.admin, json: { name: 'second_flow', endpoint_name: 'unique_endpoint', data: {} },
    });
    assert.deepEqual([endpointClash.status, endpointClash.body], [409, { detail: 'Endpoint name must be unique' }]);

    await server.call('/api/v1/flows/', { method: 'POST', headers: auth.admin, json: { name: 'duplicate_name', data: {} } });
    const renamed = await server.call('/api/v1/flows/7b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e', { method: 'PUT', headers: auth.admin, json: { name: 'duplicate_name', data: {} } });
    assert.deepEqual([renamed.status, (renamed.body as Json).name], [201, 'duplicate_name (1)']);

    const two = (await server.call('/api/v1/flows/', { method: 'POST', headers: auth.admin, json: { name: 'flow_two', endpoint_name: 'endpoint_two', data: {} } })).body as Json;
    const nameClash = await server.call(`/api/v1/flows/${two.id}`, { method: 'PUT', headers: auth.admin, json: { name: 'duplicate_name', data: {} } });
    assert.deepEqual([nameClash.status, nameClash.body], [409, { detail: 'Name must be unique' }]);
    const endpointClash2 = await server.call(`/api/v1/flows/${two.id}`, { method: 'PUT', headers: auth.admin, json: { name: 'flow_two', endpoint_name: 'unique_endpoint', data: {} } });
    assert.deepEqual([endpointClash2.status, endpointClash2.body], [409, { detail: 'Endpoint name must be unique' }]);
  });
});
