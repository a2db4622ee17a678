import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { startTestServer, type TestServer } from '../../../test-utils/api-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Behaviours of Langflow's own tests (src/backend/tests/unit: test_endpoints.py, test_chat_endpoint.py,
 * api/v1/test_endpoints.py, test_validate.py, test_mcp.py, test_mcp_projects.py) over real HTTP,
 * where Weft had answered differently. docs/compatibility.md lists what was compared.
 */
describe("Langflow's endpoint tests", () => {
  let server: TestServer;
  const users: Record<'owner' | 'other', { token: string; key: string }> = {} as never;
  const bearer = (who: 'owner' | 'other') => ({ authorization: `Bearer ${users[who].token}` });
  let flowId: string;

  async function login(username: string, password: string): Promise<string> {
    const response = await server.call('/api/v1/login', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username, password }).toString(),
    });
    assert.equal(response.status, 200, response.text);
    return (response.body as Json).access_token;
  }

  before(async () => {
    server = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass', LANGFLOW_NEW_USER_IS_ACTIVE: 'true' });
    const admin = await login('admin', 'admin-pass');
    for (const name of ['owner', 'other'] as const) {
      const created = await server.call('/api/v1/users/', { method: 'POST', headers: { authorization: `Bearer ${admin}` }, json: { username: name, password: `${name}-password` } });
      assert.equal(created.status, 201, created.text);
      const token = await login(name, `${name}-password`);
      const key = await server.call('/api/v1/api_key/', { method: 'POST', headers: { authorization: `Bearer ${token}` }, json: { name: 'k' } });
      users[name] = { token, key: (key.body as Json).api_key };
    }
    const flow = new FlowBuilder('Simple API Test');
    const input = flow.node('ChatInput', {});
    const output = flow.node('ChatOutput', {});
    flow.connect(input, 'message', output, 'input_value');
    const created = await server.call('/api/v1/flows/', { method: 'POST', headers: bearer('owner'), json: { name: 'Simple API Test', data: flow.build().data } });
    flowId = (created.body as Json).id;
  });
  after(async () => server?.stop());

  test("another user's flow is not found on /run, streamed or not, and on /run/advanced (no 403 oracle)", async () => {
    const headers = { 'x-api-key': users.other.key };
    const payload = { input_type: 'chat', output_type: 'debug', input_value: 'test' };
    for (const path of [`/api/v1/run/${flowId}`, `/api/v1/run/${flowId}?stream=true`]) {
      const response = await server.call(path, { method: 'POST', headers, json: payload });
      assert.deepEqual([response.status, response.body], [404, { detail: `Flow identifier ${flowId} not found` }], path);
    }
    const advanced = await server.call(`/api/v1/run/advanced/${flowId}`, { method: 'POST', headers, json: { inputs: [{ components: [], input_value: 'test' }], outputs: [], tweaks: {}, stream: false } });
    assert.equal(advanced.status, 404);
    assert.doesNotMatch(advanced.text.toLowerCase(), /permission/);
    const own = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: { 'x-api-key': users.owner.key }, json: payload });
    assert.equal(own.status, 200, own.text);
  });

  test('/config: the public part without credentials (or with bad ones), everything for a signed-in user', async () => {
    for (const headers of [{}, { authorization: 'Bearer not-a-token' }] as Record<string, string>[]) {
      const response = await server.call('/api/v1/config', { headers });
      assert.equal(response.status, 200, response.text);
      const config = response.body as Json;
      assert.deepEqual(Object.keys(config).sort(), ['event_delivery', 'frontend_timeout', 'max_file_size_upload', 'voice_mode_available']);
      assert.equal(typeof config.max_file_size_upload, 'number');
      assert.equal(typeof config.voice_mode_available, 'boolean');
      assert.ok(['polling', 'streaming', 'direct'].includes(config.event_delivery));
    }
    const full = (await server.call('/api/v1/config', { headers: bearer('owner') })).body as Json;
    for (const key of ['auto_saving', 'auto_saving_interval', 'health_check_max_retries', 'feature_flags', 'webhook_auth_enable', 'max_file_size_upload']) assert.ok(key in full, key);
  });

  test('unknown build jobs: events and cancel answer 404 "Job not found: ..."', async () => {
    const jobId = '3f1c1f3e-8d2a-4c55-9d9e-0c2b7f0a1b2c';
    for (const [method, path] of [['GET', `/api/v1/build/${jobId}/events`], ['POST', `/api/v1/build/${jobId}/cancel`]]) {
      const response = await server.call(path, { method, headers: bearer('owner') });
      assert.deepEqual([response.status, response.body], [404, { detail: `Job not found: Job queue not found for job_id: ${jobId}` }], path);
    }
  });

  test('validate/code: the cases of test_post_validate_code', async () => {
    const check = async (code: unknown) => server.call('/api/v1/validate/code', { method: 'POST', headers: bearer('owner'), json: code });
    const valid = '\nimport math\n\ndef square(x):\n    return x ** 2\n';
    assert.deepEqual((await check({ code: valid })).body, { imports: { errors: [] }, function: { errors: [] } });
    assert.deepEqual((await check({ code: valid.replace('math', 'non_existent_module') })).body, {
      imports: { errors: ["No module named 'non_existent_module'"] }, function: { errors: [] },
    });
    assert.deepEqual((await check({ code: valid.replace('(x):', '(x)') })).body, { imports: { errors: [] }, function: { errors: ["expected ':' (<unknown>, line 4)"] } });
    assert.deepEqual((await check({ code: '' })).body, { imports: { errors: [] }, function: { errors: [] } });
    assert.equal((await check({ invalid_key: valid })).status, 422);
    const fake = await server.call('/api/v1/validate/code', { method: 'POST', headers: { authorization: 'Bearer fake' }, json: { code: 'print(1)' } });
    assert.equal(fake.status, 401);
  });

  test('validate/prompt: the cases of test_endpoints and test_validate, and the 500 of a refused template', async () => {
    const request = (template: string, extra: Json = {}) => server.call('/api/v1/validate/prompt', {
      method: 'POST', headers: bearer('owner'),
      json: { name: 'string', template, frontend_node: { template: {}, description: 'string', base_classes: ['string'], custom_fields: {}, output_types: [] }, ...extra },
    });
    const valid = await request('What is a good name for a company that makes {product}?');
    assert.equal(valid.status, 200, valid.text);
    assert.deepEqual((valid.body as Json).input_variables, ['product']);
    assert.deepEqual((valid.body as Json).frontend_node.custom_fields, { string: ['product'] });
    assert.equal((valid.body as Json).frontend_node.template.product.type, 'str');
    for (const [template, variables] of [['{a}, {b}, and {c} are variables.', ['a', 'b', 'c']], ['This prompt has no variables.', []], ['{var-name}', ['var-name']]] as const) {
      assert.deepEqual(((await request(template)).body as Json).input_variables, variables, template);
    }
    const withoutNode = await server.call('/api/v1/validate/prompt', { method: 'POST', headers: bearer('owner'), json: { name: 'template', template: 'Hi {name}' } });
    assert.deepEqual([withoutNode.status, withoutNode.body], [200, { input_variables: [], frontend_node: null }]);
    const refused = await request('{a b}');
    assert.deepEqual([refused.status, refused.body], [500, { detail: 'Input variables contain invalid characters or formats. \nInvalid variables:  , a b.\nEmpty variables: a b. \nFixed variables: ab.' }]);
    assert.equal((await server.call('/api/v1/validate/prompt', { method: 'POST', headers: bearer('owner'), json: { name: 'string', frontend_node: { template: {}, is_input: true } } })).status, 422);
    assert.equal((await server.call('/api/v1/validate/prompt', { method: 'POST', headers: bearer('owner'), json: { template: '{x}' } })).status, 422, 'name is required');
  });

  describe('MCP message endpoint (test_mcp.py)', () => {
    test('HEAD /sse needs no credentials; GET /sse with a bad token is 401', async () => {
      assert.equal((await server.call('/api/v1/mcp/sse', { method: 'HEAD' })).status, 200);
      assert.equal((await server.call('/api/v1/mcp/sse', { headers: { authorization: 'Bearer invalid_token' } })).status, 401);
    });

    test('a message without a session id is 400 first, whatever its body or credentials', async () => {
      const attempts: RequestInit[] = [
        { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
        { method: 'POST', headers: { ...bearer('owner'), 'content-type': 'application/json' }, body: 'invalid json' },
        { method: 'POST', headers: bearer('owner'), body: 'invalid json' },
      ];
      for (const init of attempts) {
        const response = await server.call('/api/v1/mcp/', init);
        assert.deepEqual([response.status, response.body], [400, { detail: 'session_id is required' }]);
      }
      const malformed = await server.call('/api/v1/mcp/?session_id=not-a-session', { method: 'POST', headers: bearer('owner'), json: {} });
      assert.deepEqual([malformed.status, malformed.body], [400, { detail: 'Invalid session ID' }]);
      const unknown = await server.call('/api/v1/mcp/?session_id=3f1c1f3e8d2a4c559d9e0c2b7f0a1b2c', { method: 'POST', headers: bearer('owner'), json: {} });
      assert.deepEqual([unknown.status, unknown.body], [404, { detail: 'Could not find session' }]);
    });

    test('an open session: a body that is not JSON is 400 "Could not parse message"; a JSON-RPC message is accepted', async () => {
      const abort = new AbortController();
      const stream = await fetch(`${server.url}/api/v1/mcp/sse`, { headers: bearer('owner'), signal: abort.signal });
      try {
        assert.equal(stream.status, 200);
        const reader = stream.body!.getReader();
        let text = '';
        while (!/data: (\S+)/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
        const endpoint = /data: (\S+)/.exec(text)![1];
        const garbage = await server.call(endpoint, { method: 'POST', headers: { ...bearer('owner'), 'content-type': 'application/json' }, body: 'invalid json' });
        assert.deepEqual([garbage.status, garbage.body], [400, { detail: 'Could not parse message' }]);
        const ping = await server.call(endpoint, { method: 'POST', headers: bearer('owner'), json: { jsonrpc: '2.0', id: 1, method: 'ping' } });
        assert.equal(ping.status, 202, ping.text);
      } finally {
        abort.abort();
      }
    });
  });

  test('project MCP settings: the bare list of flow settings of earlier Langflow is accepted (test_mcp_projects.py)', async () => {
    const project = (await server.call('/api/v1/projects/', { method: 'POST', headers: bearer('owner'), json: { name: 'User Test Project', description: '' } })).body as Json;
    const flow = new FlowBuilder('Test Flow For Update');
    flow.node('ChatInput', {});
    const created = (await server.call('/api/v1/flows/', {
      method: 'POST', headers: bearer('owner'), json: { name: 'Test Flow For Update', data: flow.build().data, folder_id: project.id, mcp_enabled: true, action_name: 'original_action' },
    })).body as Json;
    const settings = [{ id: created.id, action_name: 'updated_user_action', action_description: 'Updated user action description', mcp_enabled: false, name: 'Test Flow For Update', description: '' }];
    const response = await server.call(`/api/v1/mcp/project/${project.id}`, { method: 'PATCH', headers: bearer('owner'), json: settings });
    assert.deepEqual([response.status, response.body], [200, { message: 'Updated MCP settings for 1 flows' }]);
    const stored = (await server.call(`/api/v1/flows/${created.id}`, { headers: bearer('owner') })).body as Json;
    assert.deepEqual([stored.action_name, stored.action_description, stored.mcp_enabled], ['updated_user_action', 'Updated user action description', false]);
    const withAuth = await server.call(`/api/v1/mcp/project/${project.id}`, { method: 'PATCH', headers: bearer('owner'), json: { settings: [], auth_settings: { auth_type: 'none' } } });
    assert.deepEqual([withAuth.status, withAuth.body], [200, { message: 'Updated MCP settings for 0 flows and project auth settings' }]);
    const invalid = await server.call(`/api/v1/mcp/project/${project.id}`, { method: 'PATCH', headers: bearer('owner'), json: 'invalid' });
    assert.equal(invalid.status, 422);
  });
});
