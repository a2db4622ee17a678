import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import OpenAI from 'openai';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { TEST_DIALECTS } from '../../../test-utils/database.js';
import { createFlowFileStorage } from '../../services/files/index.js';
import { startTestServer, type TestServer } from '../../../test-utils/api-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function echoData(prefix = 'You said') {
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const prompt = flow.node('Prompt', { template: `${prefix}: {question}`, question: '' });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', prompt, 'question').connect(prompt, 'prompt', output, 'input_value');
  return flow.build().data;
}

function brokenData() {
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const output = flow.node('ChatOutput', {});
  flow.node('TypeConverterComponent', {});
  flow.connect(input, 'message', output, 'input_value');
  return flow.build().data;
}

function memoryData() {
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const memory = flow.node('Memory', { mode: 'Retrieve', template: '{sender_name}: {text}' });
  const prompt = flow.node('Prompt', { template: 'History:\n{history}\nNow: {question}', history: '', question: '' });
  const output = flow.node('ChatOutput', {});
  flow
    .connect(input, 'message', prompt, 'question')
    .connect(memory, 'messages_text', prompt, 'history')
    .connect(prompt, 'prompt', output, 'input_value');
  return flow.build().data;
}

/** ChatInput → Prompt with a `load_from_db` variable → ChatOutput: shows which variable value a run saw. */
function secretData() {
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const prompt = flow.node('Prompt', { template: 'Key: {secret} / {question}', secret: 'MY_SECRET', question: '' }, { fieldMeta: { secret: { load_from_db: true } } });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', prompt, 'question').connect(prompt, 'prompt', output, 'input_value');
  return flow.build().data;
}

/**
 * MCP servers (global and per project, SSE and Streamable HTTP) and `POST /responses` on the real
 * server: AUTO_LOGIN on (the default), the superuser's auto-login token and real API keys, flows and
 * projects in the database, runs recorded like `/run`'s.
 */
for (const dialect of TEST_DIALECTS) {
  describe(`flows as tools and models [${dialect}]`, () => {
    let server: TestServer;
    let admin: { id: string; token: string; key: string };
    let bob: { id: string; token: string; key: string };
    let project: Json;
    let keyProject: Json;
    let bobProject: Json;
    let echo: Json;
    let hidden: Json;
    let memoryFlow: Json;
    let secret: Json;
    let bobFlow: Json;
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    async function createFlow(token: string, body: Json): Promise<Json> {
      const response = await server.call('/api/v1/flows/', { method: 'POST', headers: bearer(token), json: body });
      assert.equal(response.status, 201, response.text);
      return response.body as Json;
    }

    async function createProject(token: string, body: Json): Promise<Json> {
      const response = await server.call('/api/v1/projects/', { method: 'POST', headers: bearer(token), json: body });
      assert.equal(response.status, 201, response.text);
      return response.body as Json;
    }

    async function apiKey(token: string): Promise<string> {
      const response = await server.call('/api/v1/api_key/', { method: 'POST', headers: bearer(token), json: { name: 'tools' } });
      assert.equal(response.status, 200, response.text);
      return (response.body as Json).api_key;
    }

    async function connect(transport: 'sse' | 'streamable', path: string, headers: Record<string, string>): Promise<Client> {
      const client = new Client({ name: 'weft-test', version: '1.0.0' });
      const url = new URL(`${server.url}${path}`);
      await client.connect(transport === 'sse' ? new SSEClientTransport(url, { requestInit: { headers } }) : new StreamableHTTPClientTransport(url, { requestInit: { headers } }));
      return client;
    }

    const database = () => server.app.weft.database;

    // The server's HOME (its settings): where the install route writes the clients' config files.
    const home = mkdtempSync(join(tmpdir(), 'weft-home-'));

    before(async () => {
      server = await startTestServer(dialect, { LANGFLOW_NEW_USER_IS_ACTIVE: 'true', LANGFLOW_CORS_ORIGINS: 'http://inspector.example', HOME: home });
      const auto = await server.call('/api/v1/auto_login');
      assert.equal(auto.status, 200, auto.text);
      const adminToken = (auto.body as Json).access_token as string;
      const whoami = (await server.call('/api/v1/users/whoami', { headers: bearer(adminToken) })).body as Json;
      admin = { id: whoami.id, token: adminToken, key: await apiKey(adminToken) };

      const created = await server.call('/api/v1/users/', { method: 'POST', headers: bearer(adminToken), json: { username: 'bob', password: 'bob-pass' } });
      assert.equal(created.status, 201, created.text);
      const login = await server.call('/api/v1/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'bob', password: 'bob-pass' }).toString(),
      });
      const bobToken = (login.body as Json).access_token as string;
      bob = { id: (created.body as Json).id, token: bobToken, key: await apiKey(bobToken) };

      project = await createProject(admin.token, { name: 'Tools' });
      keyProject = await createProject(admin.token, { name: 'Locked', auth_settings: { auth_type: 'apikey' } });
      bobProject = await createProject(bob.token, { name: 'Bob Project' });
      echo = await createFlow(admin.token, { name: '🚀 Echo Flow', description: 'Echoes the input', data: echoData(), folder_id: project.id, mcp_enabled: true });
      await createFlow(admin.token, { name: 'Broken Flow', description: '', data: brokenData(), folder_id: project.id, mcp_enabled: true });
      hidden = await createFlow(admin.token, { name: 'Hidden', description: '', data: echoData(), folder_id: project.id, mcp_enabled: false });
      await createFlow(admin.token, { name: 'Locked Echo', description: '', data: echoData('Locked'), folder_id: keyProject.id, mcp_enabled: true });
      memoryFlow = await createFlow(admin.token, { name: 'Memory Chat', description: '', data: memoryData(), endpoint_name: 'memory-chat' });
      secret = await createFlow(admin.token, { name: 'Secret', description: '', data: secretData() });
      bobFlow = await createFlow(bob.token, { name: 'Bob Secret', description: '', data: echoData('Bob'), folder_id: bobProject.id, mcp_enabled: true });
      // A v1 flow file, stored where `POST /api/v1/files/upload/{flow_id}` puts it.
      await createFlowFileStorage(server.app.weft.settings).save(echo.id, '2024-01-01_00-00-00_notes.txt', new TextEncoder().encode('hello file'));
    });
    after(async () => {
      await server?.stop();
      rmSync(home, { recursive: true, force: true });
    });

    for (const transport of ['sse', 'streamable'] as const) {
      test(`project MCP over ${transport} with a real API key: MCP-enabled flows are tools, a call runs and is recorded like /run, failures are error results`, async () => {
        const client = await connect(transport, `/api/v1/mcp/project/${project.id}/${transport}`, { 'x-api-key': admin.key });
        try {
          const { tools } = await client.listTools();
          assert.deepEqual(tools.map((t) => t.name).sort(), ['broken_flow', 'echo_flow']);
          const tool = tools.find((t) => t.name === 'echo_flow')!;
          assert.equal(tool.description, 'Echoes the input');
          assert.deepEqual(tool.inputSchema, {
            type: 'object',
            properties: { input_value: { type: 'string', description: 'Message to be passed as input.' } },
            required: [],
          });

          const result = await client.callTool({ name: 'echo_flow', arguments: { input_value: `hi over ${transport}` } });
          assert.ok(!result.isError);
          assert.deepEqual(result.content, [{ type: 'text', text: `You said: hi over ${transport}` }]);
          // Recorded as /run records: both chat messages in one session, a build and a transaction per vertex.
          const messages = (await database().messages.listForUser(admin.id, { flowId: echo.id })).filter((m) => m.text.endsWith(`hi over ${transport}`));
          assert.deepEqual(messages.map((m) => [m.sender, m.text]), [['User', `hi over ${transport}`], ['Machine', `You said: hi over ${transport}`]]);
          assert.equal(new Set(messages.map((m) => m.session_id)).size, 1);
          const builds = await database().vertexBuilds.listByFlow(echo.id, admin.id);
          assert.equal(Object.keys(builds).length, 3);
          const outputBuild = Object.entries(builds).find(([id]) => id.startsWith('ChatOutput'))![1].at(-1)!;
          assert.ok(outputBuild.valid && JSON.stringify(outputBuild.data).includes(`You said: hi over ${transport}`));
          const transactions = await database().transactions.listByFlow(echo.id, admin.id, { page: 1, size: 100 });
          assert.ok(transactions.items.some((t) => t.status === 'success' && JSON.stringify(t.outputs).includes(`You said: hi over ${transport}`)));

          const failed = await client.callTool({ name: 'broken_flow', arguments: { input_value: 'x' } });
          assert.equal(failed.isError, true);
          assert.match((failed.content as { text: string }[])[0].text, /^Error Executing the Broken Flow tool\. Error: Error building Component Type Convert/);
          // The connection survives the failure.
          assert.equal((await client.callTool({ name: 'echo_flow', arguments: { input_value: 'again' } })).isError, undefined);

          const { resources } = await client.listResources();
          assert.deepEqual(resources, [
            {
              uri: `${server.url}/api/v1/files/download/${echo.id}/2024-01-01_00-00-00_notes.txt`,
              name: '2024-01-01_00-00-00_notes.txt',
              description: 'File in flow: 🚀 Echo Flow',
              mimeType: 'text/plain',
            },
          ]);
          const read = await client.readResource({ uri: resources[0].uri });
          assert.equal(Buffer.from((read.contents[0] as { blob: string }).blob, 'base64').toString(), 'hello file');
          await assert.rejects(client.readResource({ uri: `${server.url}/api/v1/files/download/${echo.id}/..%2Fsecret_key` }), /not found/);
          assert.deepEqual((await client.listPrompts()).prompts, []);
        } finally {
          await client.close();
        }
      });
    }

    test('global MCP: Bearer JWT, no credentials under AUTO_LOGIN (superuser, at /api/mcp too), an API key of another user; headers become request variables', async () => {
      const client = await connect('streamable', '/api/v1/mcp/streamable', { ...bearer(admin.token), 'X-LANGFLOW-GLOBAL-VAR-MY_SECRET': 'from-header' });
      try {
        const { tools } = await client.listTools();
        assert.deepEqual(tools.map((t) => t.name).sort(), ['broken_flow', 'echo_flow', 'hidden', 'locked_echo', 'memory_chat', 'secret']);
        assert.equal(tools.find((t) => t.name === 'echo_flow')!.description, `${echo.id}: Echoes the input`);
        const result = await client.callTool({ name: 'secret', arguments: { input_value: 'q' } });
        assert.deepEqual(result.content, [{ type: 'text', text: 'Key: from-header / q' }]);
      } finally {
        await client.close();
      }
      // MCP auth behaves as if SKIP_AUTH_AUTO_LOGIN were on: no key is the superuser (also on the /api/mcp mount).
      const anonymous = await connect('sse', '/api/mcp/sse', {});
      try {
        assert.equal((await anonymous.listTools()).tools.length, 6);
      } finally {
        await anonymous.close();
      }
      const sse = await connect('sse', '/api/v1/mcp/sse', { 'x-api-key': bob.key });
      try {
        assert.deepEqual((await sse.listTools()).tools.map((t) => t.name), ['bob_secret']);
      } finally {
        await sse.close();
      }
      // A key, when sent, must be valid.
      const bad = await server.call('/api/v1/mcp/sse', { headers: { 'x-api-key': 'sk-nope' } });
      assert.deepEqual([bad.status, bad.body], [403, { detail: 'Invalid or missing API key' }]);
      const badToken = await server.call('/api/v1/mcp/sse', { headers: bearer('not-a-jwt') });
      assert.equal(badToken.status, 401);
    });

    test('MCP replies written by the transport carry the CORS headers (here for an opted-in origin), as every other reply does', async () => {
      const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'browser', version: '1' } } };
      const response = await fetch(`${server.url}/api/v1/mcp/streamable`, {
        method: 'POST',
        headers: { ...bearer(admin.token), origin: 'http://inspector.example', 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify(initialize),
      });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('access-control-allow-origin'), 'http://inspector.example');
      assert.equal(response.headers.get('access-control-allow-credentials'), 'true');
      assert.match(await response.text(), /"serverInfo"/);
    });

    test('project auth: an apikey project rejects no key, a JWT and a wrong key; another user’s project is 404', async () => {
      const none = await server.call(`/api/v1/mcp/project/${keyProject.id}/sse`);
      assert.deepEqual([none.status, none.body], [401, { detail: 'API key required for this project. Provide x-api-key header or query parameter.' }]);
      const jwt = await server.call(`/api/v1/mcp/project/${keyProject.id}/sse`, { headers: bearer(admin.token) });
      assert.equal(jwt.status, 401);
      const wrong = await server.call(`/api/v1/mcp/project/${keyProject.id}/streamable`, { method: 'POST', headers: { 'x-api-key': 'sk-nope' }, json: {} });
      assert.deepEqual([wrong.status, wrong.body], [401, { detail: 'Invalid API key' }]);
      await assert.rejects(connect('sse', `/api/v1/mcp/project/${keyProject.id}/sse`, {}), /401|API key/);

      // The key in the SSE URL opens the stream; messages carry it too (as Langflow, the message endpoint authenticates).
      const ok = await connect('sse', `/api/v1/mcp/project/${keyProject.id}/sse?x-api-key=${admin.key}`, { 'x-api-key': admin.key });
      try {
        assert.deepEqual((await ok.callTool({ name: 'locked_echo', arguments: { input_value: 'k' } })).content, [{ type: 'text', text: 'Locked: k' }]);
      } finally {
        await ok.close();
      }
      // Bob's valid key does not open the superuser's project.
      await assert.rejects(connect('sse', `/api/v1/mcp/project/${keyProject.id}/sse`, { 'x-api-key': bob.key }), /404/);

      for (const path of [`/api/v1/mcp/project/${bobProject.id}/sse`, `/api/v1/mcp/project/${bobProject.id}`, `/api/v1/mcp/project/${crypto.randomUUID()}/sse`]) {
        const response = await server.call(path, { headers: { 'x-api-key': admin.key } });
        assert.deepEqual([response.status, response.body], [404, { detail: 'Project not found' }], path);
      }
      await assert.rejects(connect('streamable', `/api/v1/mcp/project/${bobProject.id}/streamable`, { 'x-api-key': admin.key }), /Project not found/);
      // A project id that is not a UUID is a validation error, as FastAPI gives it.
      for (const path of ['/api/v1/mcp/project/not-a-uuid/sse', '/api/v1/mcp/project/not-a-uuid', '/api/v1/mcp/project/not-a-uuid/installed']) {
        const response = await server.call(path, { headers: { 'x-api-key': admin.key } });
        assert.equal(response.status, 422, path);
        assert.deepEqual((response.body as { detail: { type: string; loc: string[] }[] }).detail.map((d) => [d.type, d.loc]), [['uuid_parsing', ['path', 'project_id']]], path);
      }

      // An open SSE session cannot be driven with someone else's credentials.
      const abort = new AbortController();
      const stream = await fetch(`${server.url}/api/v1/mcp/sse`, { headers: { 'x-api-key': admin.key }, signal: abort.signal });
      const reader = stream.body!.getReader();
      let text = '';
      while (!/sessionId=[\w-]+/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
      const endpoint = /data: (\S+)/.exec(text)![1];
      assert.match(endpoint, /^\/api\/v1\/mcp\/\?sessionId=/);
      const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
      assert.equal((await server.call(endpoint, { method: 'POST', headers: { 'x-api-key': bob.key }, json: ping })).status, 404);
      assert.equal((await server.call(endpoint, { method: 'POST', headers: { 'x-api-key': admin.key }, json: ping })).status, 202);
      abort.abort();
    });

    test('project MCP settings: GET lists tools with masked auth, PATCH updates the stored flows and project, composer-url answers no composer', async () => {
      const headers = { 'x-api-key': admin.key };
      const listed = (await server.call(`/api/v1/mcp/project/${project.id}`, { headers })).body as Json;
      assert.deepEqual(listed.tools.map((t: Json) => t.action_name).sort(), ['broken_flow', 'echo_flow']);
      assert.deepEqual(listed.tools.find((t: Json) => t.id === echo.id), {
        id: echo.id,
        action_name: 'echo_flow',
        action_description: 'Echoes the input',
        mcp_enabled: true,
        name: '🚀 Echo Flow',
        description: 'Echoes the input',
      });
      assert.equal(listed.auth_settings, null);
      assert.equal(((await server.call(`/api/v1/mcp/project/${project.id}?mcp_enabled=false`, { headers })).body as Json).tools.length, 3);

      const patch = await server.call(`/api/v1/mcp/project/${project.id}`, {
        method: 'PATCH',
        headers,
        json: {
          settings: [{ id: hidden.id, mcp_enabled: true, action_name: 'Secret Tool!', action_description: 'Now visible', name: 'Hidden', description: '' }],
          auth_settings: { auth_type: 'none', api_key: 'sk-abc' },
        },
      });
      assert.deepEqual(patch.body, { message: 'Updated MCP settings for 1 flows and project auth settings' });
      const stored = (await server.call(`/api/v1/flows/${hidden.id}`, { headers: bearer(admin.token) })).body as Json;
      assert.deepEqual([stored.mcp_enabled, stored.action_name, stored.action_description], [true, 'Secret Tool!', 'Now visible']);
      const storedProject = (await server.call(`/api/v1/projects/${project.id}`, { headers: bearer(admin.token) })).body as Json;
      assert.deepEqual(storedProject.auth_settings, { auth_type: 'none', api_key: 'sk-abc' });
      const after = (await server.call(`/api/v1/mcp/project/${project.id}`, { headers })).body as Json;
      assert.deepEqual(after.auth_settings, { auth_type: 'none', api_key: '**********' }, "masked as pydantic's SecretStr");
      assert.equal(after.server_name, 'lf-tools', 'the name an install registers the project under');
      const client = await connect('streamable', `/api/v1/mcp/project/${project.id}/streamable`, headers);
      try {
        assert.equal((await client.listTools()).tools.find((t) => t.name === 'secret_tool')?.description, 'Now visible');
      } finally {
        await client.close();
      }

      const composer = (await server.call(`/api/v1/mcp/project/${project.id}/composer-url`, { headers })).body;
      assert.deepEqual(composer, {
        project_id: project.id,
        uses_composer: false,
        streamable_http_url: `${server.url}/api/v1/mcp/project/${project.id}/streamable`,
        legacy_sse_url: `${server.url}/api/v1/mcp/project/${project.id}/sse`,
      });
      assert.equal((await server.call(`/api/v1/mcp/project/${bobProject.id}`, { method: 'PATCH', headers, json: { settings: [] } })).status, 404);
    });

    test('install writes the client config with a freshly minted API key that opens the project; /installed reports it', async () => {
      try {
        const headers = { 'x-api-key': admin.key };
        const missing = await server.call(`/api/v1/mcp/project/${keyProject.id}/install`, { method: 'POST', headers, json: { client: 'cursor' } });
        assert.deepEqual([missing.status, missing.body], [400, { detail: 'Cursor is not installed on this system. Please install Cursor first.' }]);
        mkdirSync(join(home, '.cursor'));
        const keysBefore = await database().apiKeys.listForUser(admin.id);
        const response = await server.call(`/api/v1/mcp/project/${keyProject.id}/install`, { method: 'POST', headers, json: { client: 'cursor', transport: 'sse' } });
        assert.deepEqual(response.body, { message: 'Successfully installed MCP configuration for cursor' });
        const keysAfter = await database().apiKeys.listForUser(admin.id);
        assert.deepEqual(keysAfter.filter((k) => !keysBefore.some((b) => b.id === k.id)).map((k) => k.name), ['MCP Server Locked']);
        const entry = JSON.parse(readFileSync(join(home, '.cursor', 'mcp.json'), 'utf8')).mcpServers['lf-locked'];
        assert.deepEqual(entry.args.slice(0, 2), ['mcp-proxy', '--headers']);
        assert.equal(entry.args.at(-1), `${server.url}/api/v1/mcp/project/${keyProject.id}/sse`);
        const client = await connect('sse', `/api/v1/mcp/project/${keyProject.id}/sse`, { 'x-api-key': entry.args[3] });
        try {
          assert.deepEqual((await client.listTools()).tools.map((t) => t.name), ['locked_echo']);
        } finally {
          await client.close();
        }
        const installed = (await server.call(`/api/v1/mcp/project/${keyProject.id}/installed`, { headers })).body;
        assert.deepEqual(installed, [
          { name: 'cursor', installed: true, available: true },
          { name: 'windsurf', installed: false, available: false },
          { name: 'claude', installed: false, available: false },
        ]);
      } finally {
        rmSync(join(home, '.cursor'), { recursive: true, force: true });
      }
    });

    test('openai client: responses.create runs the stored flow; previous_response_id continues the session in the database', async () => {
      const client = new OpenAI({ apiKey: 'unused', baseURL: `${server.url}/api/v1`, defaultHeaders: { 'x-api-key': admin.key } });
      const first = await client.responses.create({ model: memoryFlow.id, input: 'My name is Ada' });
      assert.equal(first.object, 'response');
      assert.equal(first.status, 'completed');
      assert.match(first.output_text, /Now: My name is Ada$/);
      const second = await client.responses.create({ model: 'memory-chat', input: 'What is my name?', previous_response_id: first.id });
      assert.equal(second.id, first.id, 'the response id is the session id');
      assert.equal(second.previous_response_id, first.id);
      assert.match(second.output_text, /User: My name is Ada/);
      assert.match(second.output_text, /Now: What is my name\?$/);

      const stored = await database().messages.listForUser(admin.id, { sessionId: first.id });
      assert.deepEqual(stored.map((m) => [m.flow_id, m.sender]), [
        [memoryFlow.id, 'User'],
        [memoryFlow.id, 'Machine'],
        [memoryFlow.id, 'User'],
        [memoryFlow.id, 'Machine'],
      ]);
      assert.deepEqual([stored[0].text, stored[2].text], ['My name is Ada', 'What is my name?']);
      assert.equal(stored[3].text, second.output_text);

      const fresh = await client.responses.create({ model: memoryFlow.id, input: 'Hello' });
      assert.notEqual(fresh.id, first.id);
      assert.doesNotMatch(fresh.output_text, /Ada/);

      const notFound = (await client.responses.create({ model: 'nope', input: 'x' })) as unknown as { error: { code: string } };
      assert.equal(notFound.error.code, 'flow_not_found');
      const foreign = (await client.responses.create({ model: bobFlow.id, input: 'x' })) as unknown as { error: { code: string } };
      assert.equal(foreign.error.code, 'flow_not_found', 'another user’s flow is not found');
    });

    test('openai client streaming: Langflow chunks ending in [DONE]; request-variable headers apply; AUTO_LOGIN still needs a key', async () => {
      const response = await fetch(`${server.url}/api/v1/responses`, {
        method: 'POST',
        headers: { 'x-api-key': admin.key, 'content-type': 'application/json', 'X-LANGFLOW-GLOBAL-VAR-MY_SECRET': 'sk-header' },
        body: JSON.stringify({ model: secret.id, input: 'stream me', stream: true }),
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type')!, /^text\/event-stream/);
      const events = (await response.text()).split('\n\n').filter(Boolean);
      assert.equal(events.at(-1), 'data: [DONE]');
      const chunks = events.slice(0, -1).map((e) => JSON.parse(e.replace(/^data: /, '')));
      assert.deepEqual(chunks.map((c) => [c.object, c.delta, c.status]), [
        ['response.chunk', { content: '' }, null],
        ['response.chunk', { content: 'Key: sk-header / stream me' }, null],
        ['response.chunk', {}, 'completed'],
      ]);
      assert.equal(new Set(chunks.map((c) => c.id)).size, 1);
      const stored = await database().messages.listForUser(admin.id, { sessionId: chunks[0].id });
      assert.deepEqual(stored.map((m) => m.text), ['stream me', 'Key: sk-header / stream me']);

      const client = new OpenAI({ apiKey: 'unused', baseURL: `${server.url}/api/v1`, defaultHeaders: { 'x-api-key': admin.key } });
      const stream = await client.responses.create({ model: echo.id, input: 'sdk', stream: true });
      const seen: unknown[] = [];
      for await (const event of stream) seen.push(event);
      assert.deepEqual((seen as { delta: unknown }[]).map((e) => e.delta), [{ content: '' }, { content: 'You said: sdk' }, {}]);

      // Unlike MCP, /responses is api_key_security: AUTO_LOGIN without SKIP_AUTH_AUTO_LOGIN needs a key.
      const noKey = await server.call('/api/v1/responses', { method: 'POST', json: { model: echo.id, input: 'x' } });
      assert.equal(noKey.status, 403);
      assert.match(String((noKey.body as Json).detail), /^Since v1\.5, LANGFLOW_AUTO_LOGIN requires a valid API key/);
      const bearerOnly = await server.call('/api/v1/responses', { method: 'POST', headers: bearer(admin.token), json: { model: echo.id, input: 'x' } });
      assert.equal(bearerOnly.status, 403, 'a JWT is not an API key');
      const tools = await server.call('/api/v1/responses', { method: 'POST', headers: { 'x-api-key': admin.key }, json: { model: echo.id, input: 'x', tools: [] } });
      assert.deepEqual([tools.status, tools.body], [200, { error: { message: 'Tools are not supported yet', type: 'invalid_request_error', code: 'tools_not_supported' } }]);
    });
  });
}
