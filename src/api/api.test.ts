import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { TEST_DIALECTS } from '../../test-utils/database.js';
import { exampleFlows } from './examples/index.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const [promptEcho, webhookParser] = exampleFlows();

function brokenFlow(): Json {
  const flow = new FlowBuilder('Broken');
  const input = flow.node('ChatInput', {});
  const output = flow.node('ChatOutput', {});
  flow.node('TypeConverterComponent', {}, { displayName: 'Broken Converter' });
  flow.connect(input, 'message', output, 'input_value');
  return { name: 'Broken', data: flow.build().data };
}

function secretFlow(): Json {
  const flow = new FlowBuilder('Secret');
  const prompt = flow.node('Prompt', { template: 'Key: {secret}', secret: 'MY_SECRET' }, { fieldMeta: { secret: { load_from_db: true } } });
  const output = flow.node('ChatOutput', {});
  flow.connect(prompt, 'prompt', output, 'input_value');
  return { name: 'Secret', data: flow.build().data };
}

for (const dialect of TEST_DIALECTS) {
  describe(`HTTP API [${dialect}]`, () => {
    let server: TestServer;
    let admin: string;
    const users: Record<'alice' | 'bob', { token: string; key: string; id: string }> = {} as never;
    const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

    async function login(username: string, password: string): Promise<string> {
      const response = await server.call('/api/v1/login', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username, password }).toString(),
      });
      assert.equal(response.status, 200, response.text);
      return (response.body as Json).access_token;
    }

    async function createFlow(who: 'alice' | 'bob', flow: Json): Promise<Json> {
      const response = await server.call('/api/v1/flows/', { method: 'POST', headers: bearer(users[who].token), json: { ...flow, id: undefined } });
      assert.equal(response.status, 201, response.text);
      return response.body as Json;
    }

    before(async () => {
      server = await startTestServer(dialect, { LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass', LANGFLOW_NEW_USER_IS_ACTIVE: 'true' });
      admin = await login('admin', 'admin-pass');
      for (const name of ['alice', 'bob'] as const) {
        const created = await server.call('/api/v1/users/', { method: 'POST', headers: bearer(admin), json: { username: name, password: `${name}-pass` } });
        assert.equal(created.status, 201, created.text);
        const token = await login(name, `${name}-pass`);
        const key = await server.call('/api/v1/api_key/', { method: 'POST', headers: bearer(token), json: { name: `${name} key` } });
        assert.match((key.body as Json).api_key, /^sk-/);
        users[name] = { token, key: (key.body as Json).api_key, id: (created.body as Json).id };
      }
    });
    after(async () => server?.stop());

    test('health, version, OpenAPI and Swagger UI are served; unknown API paths are JSON 404s', async () => {
      assert.deepEqual((await server.call('/health')).body, { status: 'ok' });
      assert.deepEqual((await server.call('/health_check')).body, { status: 'ok', chat: 'ok', db: 'ok' });
      const version = (await server.call('/api/v1/version')).body as Json;
      assert.equal(typeof version.version, 'string');
      const openapi = (await server.call('/openapi.json')).body as Json;
      assert.match(openapi.openapi, /^3\./);
      assert.ok(openapi.paths['/api/v1/run/{flow_id_or_name}'], 'the run route is documented');
      assert.ok(openapi.paths['/api/v1/flows/'].post.requestBody);
      assert.equal((await server.call('/docs/')).status, 200);
      const missing = await server.call('/api/v1/does-not-exist');
      assert.equal(missing.status, 404);
      assert.deepEqual(missing.body, { detail: 'Not Found' });
    });

    test('auth: run needs a key, a bad Bearer is 401, logout revokes the token, superuser-only routes are 403', async () => {
      const flow = await createFlow('alice', promptEcho);
      const noKey = await server.call(`/api/v1/run/${flow.id}`, { method: 'POST', json: { input_value: 'x' } });
      assert.equal(noKey.status, 403);
      assert.deepEqual(noKey.body, { detail: 'An API key must be passed as query or header' });
      const badKey = await server.call(`/api/v1/run/${flow.id}`, { method: 'POST', headers: { 'x-api-key': 'sk-nope' }, json: {} });
      assert.deepEqual([badKey.status, badKey.body], [403, { detail: 'Invalid or missing API key' }]);
      const bad = await server.call('/api/v1/users/whoami', { headers: bearer('not-a-jwt') });
      assert.equal(bad.status, 401);
      assert.equal(bad.headers.get('www-authenticate'), 'Bearer');
      assert.equal((await server.call('/api/v1/users/', { headers: bearer(users.bob.token) })).status, 403);
      const listed = (await server.call('/api/v1/users/', { headers: bearer(admin) })).body as Json;
      assert.equal(listed.total_count, 3);

      const token = await login('bob', 'bob-pass');
      assert.equal((await server.call('/api/v1/users/whoami', { headers: bearer(token) })).status, 200);
      const out = await server.call('/api/v1/logout', { method: 'POST', headers: bearer(token) });
      assert.deepEqual(out.body, { message: 'Logout successful' });
      assert.equal((await server.call('/api/v1/users/whoami', { headers: bearer(token) })).status, 401);
      // Other sessions of the same user are untouched.
      assert.equal((await server.call('/api/v1/users/whoami', { headers: bearer(users.bob.token) })).status, 200);
    });

    test('422 bodies have pydantic shapes for body, query and path', async () => {
      const body = await server.call('/api/v1/flows/', { method: 'POST', headers: bearer(users.alice.token), json: { name: 5 } });
      assert.equal(body.status, 422);
      assert.deepEqual(body.body, { detail: [{ type: 'string_type', loc: ['body', 'name'], msg: 'Input should be a valid string', input: 5 }] });
      const missing = await server.call('/api/v1/flows/', { method: 'POST', headers: bearer(users.alice.token), json: {} });
      assert.deepEqual((missing.body as Json).detail[0].loc, ['body', 'name']);
      assert.equal((missing.body as Json).detail[0].type, 'missing');
      const query = await server.call('/api/v1/flows/?get_all=false&page=x', { headers: bearer(users.alice.token) });
      assert.deepEqual((query.body as Json).detail[0].loc, ['query', 'page']);
      const path = await server.call('/api/v1/flows/not-a-uuid', { headers: bearer(users.alice.token) });
      assert.deepEqual([path.status, (path.body as Json).detail[0].loc, (path.body as Json).detail[0].type], [422, ['path', 'flow_id'], 'uuid_parsing']);
    });

    test('flows: create with de-duplication, list shapes, patch, ownership, bulk delete', async () => {
      const a = await createFlow('alice', { name: 'Dup', endpoint_name: 'dup-flow', data: promptEcho.data });
      const b = await createFlow('alice', { name: 'Dup', endpoint_name: 'dup-flow' });
      assert.equal(b.name, 'Dup (1)');
      assert.equal(b.endpoint_name, 'dup-flow-1');
      // Bob's namespace is his own.
      assert.equal((await createFlow('bob', { name: 'Dup' })).name, 'Dup');

      const all = (await server.call('/api/v1/flows/', { headers: bearer(users.alice.token) })).body as Json[];
      assert.ok(Array.isArray(all) && all.some((f) => f.id === a.id) && all.every((f) => f.user_id === users.alice.id));
      const headers = (await server.call('/api/v1/flows/?header_flows=true', { headers: bearer(users.alice.token) })).body as Json[];
      assert.equal(headers.find((f) => f.id === a.id)?.data, null);
      const page = (await server.call('/api/v1/flows/?get_all=false&page=1&size=1', { headers: bearer(users.alice.token) })).body as Json;
      assert.deepEqual([page.items.length, page.page, page.size], [1, 1, 1]);
      assert.ok(page.total >= 2);

      const patched = await server.call(`/api/v1/flows/${b.id}`, { method: 'PATCH', headers: bearer(users.alice.token), json: { data: webhookParser.data } });
      assert.equal((patched.body as Json).webhook, true, 'the webhook flag follows the data');
      const clash = await server.call(`/api/v1/flows/${b.id}`, { method: 'PATCH', headers: bearer(users.alice.token), json: { name: 'Dup' } });
      assert.equal(clash.status, 400);

      for (const [method, json] of [['GET', undefined], ['PATCH', { name: 'stolen' }], ['DELETE', undefined]] as const) {
        const foreign = await server.call(`/api/v1/flows/${a.id}`, { method, headers: bearer(users.bob.token), json });
        assert.deepEqual([foreign.status, foreign.body], [404, { detail: 'Flow not found' }], method);
      }
      const bulk = await server.call('/api/v1/flows/', { method: 'DELETE', headers: bearer(users.bob.token), json: [a.id, b.id] });
      assert.deepEqual(bulk.body, { deleted: 0 });
      const own = await server.call('/api/v1/flows/', { method: 'DELETE', headers: bearer(users.alice.token), json: [a.id, b.id] });
      assert.deepEqual(own.body, { deleted: 2 });
    });

    test('flows: upload one or many, download one as JSON and several as a zip', async () => {
      const form = new FormData();
      form.append('file', new Blob([JSON.stringify({ flows: [{ name: 'Up 1', data: promptEcho.data }, { name: 'Up 2', data: promptEcho.data }] })]), 'flows.json');
      const uploaded = await server.call('/api/v1/flows/upload/', { method: 'POST', headers: bearer(users.alice.token), body: form });
      assert.equal(uploaded.status, 201, uploaded.text);
      const ids = (uploaded.body as Json[]).map((f) => f.id);
      assert.equal(ids.length, 2);

      const one = await server.call('/api/v1/flows/download/', { method: 'POST', headers: bearer(users.alice.token), json: [ids[0]] });
      assert.equal((one.body as Json).name, 'Up 1');
      const zipResponse = await fetch(`${server.url}/api/v1/flows/download/`, {
        method: 'POST', headers: { ...bearer(users.alice.token), 'content-type': 'application/json' }, body: JSON.stringify(ids),
      });
      assert.equal(zipResponse.headers.get('content-type'), 'application/x-zip-compressed');
      const entries = unzipSync(new Uint8Array(await zipResponse.arrayBuffer()));
      assert.deepEqual(Object.keys(entries).sort(), ['Up 1.json', 'Up 2.json']);
      assert.equal(JSON.parse(strFromU8(entries['Up 2.json'])).name, 'Up 2');
      const foreign = await server.call('/api/v1/flows/download/', { method: 'POST', headers: bearer(users.bob.token), json: ids });
      assert.deepEqual([foreign.status, foreign.body], [404, { detail: 'No flows found.' }]);
      const examples = (await server.call('/api/v1/flows/basic_examples/')).body as Json[];
      assert.deepEqual(examples.map((f) => f.name), ['Prompt Echo', 'Webhook Parser']);
    });

    test('projects and the legacy folders alias: CRUD, download zip, ownership', async () => {
      const created = await server.call('/api/v1/projects/', { method: 'POST', headers: bearer(users.alice.token), json: { name: 'Proj', description: 'd' } });
      assert.equal(created.status, 201);
      const project = created.body as Json;
      await server.call('/api/v1/flows/', { method: 'POST', headers: bearer(users.alice.token), json: { name: 'In project', folder_id: project.id, data: promptEcho.data } });
      const read = (await server.call(`/api/v1/folders/${project.id}`, { headers: bearer(users.alice.token) })).body as Json;
      assert.deepEqual(read.flows.map((f: Json) => f.name), ['In project']);
      const zip = await fetch(`${server.url}/api/v1/projects/download/${project.id}`, { headers: bearer(users.alice.token) });
      assert.deepEqual(Object.keys(unzipSync(new Uint8Array(await zip.arrayBuffer()))), ['In project.json']);
      assert.equal((await server.call(`/api/v1/projects/${project.id}`, { headers: bearer(users.bob.token) })).status, 404);
      const renamed = await server.call(`/api/v1/projects/${project.id}`, { method: 'PATCH', headers: bearer(users.alice.token), json: { name: 'Renamed' } });
      assert.equal((renamed.body as Json).name, 'Renamed');
      assert.equal((await server.call(`/api/v1/projects/${project.id}`, { method: 'DELETE', headers: bearer(users.alice.token) })).status, 204);
    });

    test('variables: credential values are never returned and are encrypted at rest; other users cannot see them', async () => {
      const created = await server.call('/api/v1/variables/', { method: 'POST', headers: bearer(users.alice.token), json: { name: 'MY_SECRET', value: 'from-db-42', type: 'Credential' } });
      assert.equal(created.status, 201, created.text);
      assert.equal((created.body as Json).value, null);
      const listed = (await server.call('/api/v1/variables/', { headers: bearer(users.alice.token) })).body as Json[];
      assert.equal(listed.find((v) => v.name === 'MY_SECRET')?.value, null);
      const row = await server.app.weft.database.variables.getByName(users.alice.id, 'MY_SECRET');
      assert.ok(row && !row.value.includes('from-db-42'), 'stored encrypted');
      assert.deepEqual((await server.call('/api/v1/variables/', { headers: bearer(users.bob.token) })).body, []);
      const foreign = await server.call(`/api/v1/variables/${(created.body as Json).id}`, { method: 'DELETE', headers: bearer(users.bob.token) });
      assert.equal(foreign.status, 404);
    });

    test('run: non-stream result, tweaks, clash 400, not-owner 403, unknown flow 404 before auth', async () => {
      const flow = await createFlow('alice', promptEcho);
      const key = { 'x-api-key': users.alice.key };
      const run = await server.call(`/api/v1/run/${flow.id}`, { method: 'POST', headers: key, json: { input_value: 'hi', session_id: 's-1' } });
      assert.equal(run.status, 200, run.text);
      const body = run.body as Json;
      assert.equal(body.session_id, 's-1');
      assert.deepEqual(body.outputs[0].inputs, { input_value: 'hi' });
      assert.equal(body.outputs[0].outputs[0].results.message.text, 'You said: hi');
      assert.equal(body.outputs[0].outputs[0].component_id, 'ChatOutput-Ech03');

      const tweaked = await server.call(`/api/v1/run/${flow.id}?x-api-key=${users.alice.key}`, { method: 'POST', json: { input_value: 'hi', tweaks: { 'Prompt-Ech02': { template: 'Echo <{question}>' } } } });
      assert.equal((tweaked.body as Json).outputs[0].outputs[0].results.message.text, 'Echo <hi>');
      const embedded = await server.call(`/api/v1/run/${flow.id}`, { method: 'POST', headers: key, json: { input_request: { input_value: 'nested' } } });
      assert.equal((embedded.body as Json).outputs[0].outputs[0].results.message.text, 'You said: nested');
      const lenient = await server.call(`/api/v1/run/${flow.id}`, { method: 'POST', headers: key, json: { input_value: 12 } });
      assert.equal(lenient.status, 200, 'an invalid body becomes the default request, as in Langflow');

      const clash = await server.call(`/api/v1/run/${flow.id}`, { method: 'POST', headers: key, json: { input_value: 'hi', tweaks: { 'ChatInput-Ech01': { input_value: 'x' } } } });
      assert.deepEqual([clash.status, clash.body], [400, { detail: 'If you pass an input_value to the chat input, you cannot pass a tweak with the same name.' }]);
      const notOwner = await server.call(`/api/v1/run/${flow.id}`, { method: 'POST', headers: { 'x-api-key': users.bob.key }, json: { input_value: 'hi' } });
      assert.deepEqual([notOwner.status, notOwner.body], [404, { detail: `Flow identifier ${flow.id} not found` }], 'another user\'s flow is not found (no 403 existence oracle)');
      const unknown = await server.call('/api/v1/run/no-such-endpoint', { method: 'POST', json: {} });
      assert.deepEqual([unknown.status, unknown.body], [404, { detail: 'Flow identifier no-such-endpoint not found' }]);

      const stored = await server.app.weft.database.messages.listForUser(users.alice.id, { flowId: flow.id, sessionId: 's-1' });
      assert.deepEqual(stored.map((m) => m.text), ['hi', 'You said: hi'], 'messages land in the message table');
      const builds = await server.app.weft.database.vertexBuilds.listByFlow(flow.id, users.alice.id);
      assert.ok(builds['ChatOutput-Ech03']?.length >= 1, 'vertex builds are recorded');
    });

    test('run: stream framing is Langflow\'s (add_message… end), media type text/event-stream', async () => {
      const flow = await createFlow('alice', promptEcho);
      const response = await fetch(`${server.url}/api/v1/run/${flow.id}?stream=true`, {
        method: 'POST', headers: { 'x-api-key': users.alice.key, 'content-type': 'application/json' }, body: JSON.stringify({ input_value: 'streamed', session_id: 'chat-123' }),
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
      const text = await response.text();
      assert.ok(text.endsWith('\n\n'));
      const chunks = text.slice(0, -2).split('\n\n');
      for (const chunk of chunks) assert.match(chunk, /^\{"event": "(add_message|token|end)", "data": \{/, 'Python json.dumps spacing, no SSE prefix');
      const events = chunks.map((c) => JSON.parse(c) as Json);
      assert.deepEqual(events.map((e) => e.event), ['add_message', 'add_message', 'end']);
      assert.equal(events[0].data.text, 'streamed');
      assert.equal(events[0].data.sender, 'User');
      assert.equal(events[1].data.text, 'You said: streamed');
      assert.equal(events[2].data.result.session_id, 'chat-123');
      assert.equal(events[2].data.result.outputs[0].outputs[0].results.message.text, 'You said: streamed');
    });

    test('run: X-LANGFLOW-GLOBAL-VAR-* headers beat stored variables; a component failure is a 500 naming it', async () => {
      const flow = await createFlow('alice', secretFlow());
      const fromDb = await server.call(`/api/v1/run/${flow.id}`, { method: 'POST', headers: { 'x-api-key': users.alice.key }, json: {} });
      assert.equal((fromDb.body as Json).outputs[0].outputs[0].results.message.text, 'Key: from-db-42');
      const fromHeader = await server.call(`/api/v1/run/${flow.id}`, { method: 'POST', headers: { 'x-api-key': users.alice.key, 'X-LANGFLOW-GLOBAL-VAR-MY_SECRET': 'from-header' }, json: {} });
      assert.equal((fromHeader.body as Json).outputs[0].outputs[0].results.message.text, 'Key: from-header');

      const broken = await createFlow('alice', brokenFlow());
      const failed = await server.call(`/api/v1/run/${broken.id}`, { method: 'POST', headers: { 'x-api-key': users.alice.key }, json: { input_value: 'x' } });
      assert.equal(failed.status, 500);
      assert.match(String((failed.body as Json).detail), /Broken Converter/);
      // The server keeps serving.
      assert.equal((await server.call('/health')).status, 200);
    });

    test('webhook: 202 at once, the run stores its message in the background', async () => {
      const flow = await createFlow('alice', webhookParser);
      const empty = await server.call(`/api/v1/webhook/${flow.id}`, { method: 'POST' });
      assert.equal(empty.status, 400);
      const response = await server.call(`/api/v1/webhook/${flow.id}`, { method: 'POST', json: { data: 'example-data' } });
      assert.deepEqual([response.status, response.body], [202, { message: 'Task started in the background', status: 'in progress' }]);
      await server.app.weft.background.idle();
      const stored = await server.app.weft.database.messages.listForUser(users.alice.id, { flowId: flow.id });
      assert.deepEqual(stored.map((m) => m.text), ['Webhook received: example-data']);
    });

    test('validate: prompt variables; code is read as text and never executed; custom components refused', async () => {
      const prompt = await server.call('/api/v1/validate/prompt', { method: 'POST', headers: bearer(users.alice.token), json: { name: 'template', template: 'Hi {name}, {{literal}} {topic}', frontend_node: { template: {} } } });
      assert.deepEqual((prompt.body as Json).input_variables, ['name', 'topic']);
      const marker = `/tmp/weft-validate-${process.pid}-${Date.now()}`;
      const code = `import os\nfrom pathlib import Path\nPath("${marker}").touch()\nos.system("touch ${marker}")\ndef ok(x):\n    return x\ndef broken(:\n`;
      const checked = await server.call('/api/v1/validate/code', { method: 'POST', headers: bearer(users.alice.token), json: { code } });
      assert.deepEqual((checked.body as Json).imports, { errors: [] });
      assert.equal((checked.body as Json).function.errors.length, 1);
      assert.equal(existsSync(marker), false, 'the code was not run');
      assert.equal((await server.call('/api/v1/validate/code', { method: 'POST', json: { code } })).status, 403);
      const custom = await server.call('/api/v1/custom_component', { method: 'POST', headers: bearer(users.alice.token), json: { code } });
      assert.equal(custom.status, 400);
      assert.equal(existsSync(marker), false);
    });

    test('palette, config, starter projects and API key listing', async () => {
      const all = (await server.call('/api/v1/all', { headers: bearer(users.alice.token) })).body as Json;
      assert.equal(all.input_output.ChatInput.display_name, 'Chat Input');
      assert.ok(all.input_output.ChatInput.template.input_value);
      assert.ok(all.input_output.ChatInput.outputs.length > 0);
      const config = (await server.call('/api/v1/config', { headers: bearer(users.alice.token) })).body as Json;
      assert.equal(config.event_delivery, 'streaming');
      const starters = (await server.call('/api/v1/starter-projects/', { headers: bearer(users.alice.token) })).body as Json[];
      assert.equal(starters.length, 2);
      const keys = (await server.call('/api/v1/api_key/', { headers: bearer(users.alice.token) })).body as Json;
      assert.equal(keys.total_count, 1);
      assert.match(keys.api_keys[0].api_key, /^sk-.{5}\*+$/);
      const foreign = await server.call(`/api/v1/api_key/${keys.api_keys[0].id}`, { method: 'DELETE', headers: bearer(users.bob.token) });
      assert.equal(foreign.status, 400);
    });
  });
}

describe('auto-login rules for /run', () => {
  test('AUTO_LOGIN without a key is 403 with Langflow\'s text; SKIP_AUTH_AUTO_LOGIN runs as the superuser', async () => {
    for (const skip of ['false', 'true']) {
      const server = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'true', LANGFLOW_SKIP_AUTH_AUTO_LOGIN: skip });
      try {
        const token = ((await server.call('/api/v1/auto_login')).body as Json).access_token;
        const flow = (await server.call('/api/v1/flows/', { method: 'POST', headers: { authorization: `Bearer ${token}` }, json: { name: 'E', data: promptEcho.data } })).body as Json;
        const run = await server.call(`/api/v1/run/${flow.id}`, { method: 'POST', json: { input_value: 'auto' } });
        if (skip === 'false') {
          assert.equal(run.status, 403);
          assert.match(String((run.body as Json).detail), /^Since v1\.5, LANGFLOW_AUTO_LOGIN requires a valid API key/);
        } else {
          assert.equal(run.status, 200, run.text);
          assert.equal((run.body as Json).outputs[0].outputs[0].results.message.text, 'You said: auto');
        }
      } finally {
        await server.stop();
      }
    }
  });
});

describe('what a run records follows Langflow\'s storage settings', () => {
  test('TRANSACTIONS_STORAGE_ENABLED / VERTEX_BUILDS_STORAGE_ENABLED false: the run and its chat messages are kept, its logs are not', async () => {
    const server = await startTestServer('sqlite', {
      LANGFLOW_SKIP_AUTH_AUTO_LOGIN: 'true',
      LANGFLOW_TRANSACTIONS_STORAGE_ENABLED: 'false',
      LANGFLOW_VERTEX_BUILDS_STORAGE_ENABLED: 'false',
    });
    try {
      const auth = { authorization: `Bearer ${((await server.call('/api/v1/auto_login')).body as Json).access_token}` };
      const flow = (await server.call('/api/v1/flows/', { method: 'POST', headers: auth, json: { name: 'Quiet', data: promptEcho.data } })).body as Json;
      const run = await server.call(`/api/v1/run/${flow.id}`, { method: 'POST', json: { input_value: 'unlogged' } });
      assert.equal(run.status, 200, run.text);
      assert.equal((run.body as Json).outputs[0].outputs[0].results.message.text, 'You said: unlogged');
      const messages = (await server.call(`/api/v1/monitor/messages?flow_id=${flow.id}`, { headers: auth })).body as Json[];
      assert.deepEqual(messages.map((m) => m.text), ['unlogged', 'You said: unlogged']);
      assert.deepEqual((await server.call(`/api/v1/monitor/builds?flow_id=${flow.id}`, { headers: auth })).body, { vertex_builds: {} });
      assert.equal(((await server.call(`/api/v1/monitor/transactions?flow_id=${flow.id}`, { headers: auth })).body as Json).total, 0);
    } finally {
      await server.stop();
    }
  });
});
