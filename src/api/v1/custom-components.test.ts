import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test-utils/api-server.js';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const SHOUT = `import { component, Message } from 'weft';

export default component({
  type: 'Shout',
  displayName: 'Shout',
  description: 'Upper-cases a text',
  icon: 'megaphone',
  inputs: [
    { name: 'text', kind: 'text', displayName: 'Text', toolMode: true },
    { name: 'marks', kind: 'int', default: 1 },
  ],
  outputs: [{ name: 'shouted', displayName: 'Shouted', types: ['Message'] }],
  compute: {
    async shouted({ text, marks }) {
      return Message(text.toUpperCase() + '!'.repeat(marks));
    },
  },
});
`;

const PYTHON = `from langflow.custom import Component
from langflow.io import MessageTextInput, Output

class Shout(Component):
    inputs = [MessageTextInput(name="text")]
    outputs = [Output(name="shouted", method="shout")]
`;

describe('custom components over HTTP', () => {
  let server: TestServer;
  const tokens: Record<'owner' | 'other', string> = { owner: '', other: '' };
  let ownerKey = '';
  const bearer = (who: 'owner' | 'other') => ({ authorization: `Bearer ${tokens[who]}` });

  async function login(username: string, password: string): Promise<string> {
    const response = await server.call('/api/v1/login', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username, password }).toString(),
    });
    assert.equal(response.status, 200, response.text);
    return (response.body as Json).access_token;
  }

  before(async () => {
    server = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass', LANGFLOW_NEW_USER_IS_ACTIVE: 'true', WEFT_CUSTOM_COMPONENTS_TIMEOUT_MS: '1000' });
    const admin = await login('admin', 'admin-pass');
    for (const name of ['owner', 'other'] as const) {
      const created = await server.call('/api/v1/users/', { method: 'POST', headers: { authorization: `Bearer ${admin}` }, json: { username: name, password: `${name}-password` } });
      assert.equal(created.status, 201, created.text);
      tokens[name] = await login(name, `${name}-password`);
    }
    ownerKey = ((await server.call('/api/v1/api_key/', { method: 'POST', headers: bearer('owner'), json: { name: 'k' } })).body as Json).api_key;
  });
  after(() => server.stop());

  const post = (path: string, json: unknown, who: 'owner' | 'other' | null = 'owner') => server.call(path, { method: 'POST', headers: who ? bearer(who) : {}, json });

  test('POST /custom_component: the frontend node of the declaration; Python gets one clear 400; signed-in users only', async () => {
    const built = await post('/api/v1/custom_component', { code: SHOUT });
    assert.equal(built.status, 200, built.text);
    const node = (built.body as Json).data;
    assert.equal((built.body as Json).type, 'Shout');
    assert.equal(node.display_name, 'Shout');
    assert.equal(node.icon, 'megaphone');
    assert.equal(node.template.code.value, SHOUT);
    assert.equal(node.template.text._input_type, 'MessageTextInput');
    assert.equal(node.template.text.tool_mode, true);
    assert.equal(node.template.marks.value, 1);
    assert.deepEqual(node.outputs.map((o: Json) => [o.name, o.types]), [['shouted', ['Message']]]);
    const python = await post('/api/v1/custom_component', { code: PYTHON });
    assert.equal(python.status, 400);
    assert.match((python.body as Json).detail, /TypeScript.*docs\/custom-components\.md/);
    assert.equal((await post('/api/v1/custom_component/update', { code: PYTHON, field: 'text', template: {} })).status, 400);
    assert.ok([401, 403].includes((await post('/api/v1/custom_component', { code: SHOUT }, null)).status));
  });

  test('bad code and hostile declarations are 400s naming the problem; the server stays healthy', async () => {
    const syntax = await post('/api/v1/custom_component', { code: SHOUT.replace('async shouted(', 'async shouted((') });
    assert.equal(syntax.status, 400);
    assert.match((syntax.body as Json).detail.error, /line 14/);
    const spinning = await post('/api/v1/custom_component', { code: `${SHOUT}\nwhile (true) {}\n` });
    assert.equal(spinning.status, 400);
    assert.match((spinning.body as Json).detail.error, /time limit/);
    const builtin = await post('/api/v1/custom_component', { code: SHOUT.replace("type: 'Shout'", "type: 'ChatInput'") });
    assert.match((builtin.body as Json).detail.error, /built-in/);
    assert.equal((await server.call('/health')).status, 200);
  });

  test('POST /custom_component/update keeps values, sets the field, and switches to tool mode', async () => {
    const node = ((await post('/api/v1/custom_component', { code: SHOUT })).body as Json).data;
    node.template.text.value = 'kept';
    const updated = await post('/api/v1/custom_component/update', { code: SHOUT, frontend_node: node, template: node.template, field: 'marks', field_value: 4, tool_mode: true });
    assert.equal(updated.status, 200, updated.text);
    const body = updated.body as Json;
    assert.equal(body.template.text.value, 'kept');
    assert.equal(body.template.marks.value, 4);
    assert.deepEqual(body.outputs.map((o: Json) => o.name), ['component_as_tool']);
    assert.deepEqual(body.metadata.weft_outputs.map((o: Json) => o.name), ['shouted']);
  });

  test('POST /validate/code: syntax and type errors with their lines, and nothing runs', async () => {
    const started = Date.now();
    const typed = await post('/api/v1/validate/code', { code: `${SHOUT}\nconst n: number = 'text';\nwhile (true) {}\n` });
    assert.equal(typed.status, 200, typed.text);
    const problems = (typed.body as Json).problems as Json[];
    assert.deepEqual(problems.map((p) => [p.line, p.kind]), [[20, 'type']]);
    assert.match(problems[0].message, /not assignable to type 'number'/);
    assert.deepEqual((typed.body as Json).function.errors, [`line 20: ${problems[0].message}`]);
    assert.ok(Date.now() - started < 10_000, 'the infinite loop was never run');
    const syntax = ((await post('/api/v1/validate/code', { code: SHOUT.replace('return Message(', 'return Message((') })).body as Json).problems as Json[];
    assert.equal(syntax[0].kind, 'syntax');
    assert.equal(syntax[0].line, 15);
    const imports = ((await post('/api/v1/validate/code', { code: `import { readFileSync } from 'node:fs';\n${SHOUT}` })).body as Json).problems as Json[];
    assert.match(imports[0].message, /Cannot find module 'node:fs'/);
    const used = ((await post('/api/v1/validate/code', { code: `import { readFileSync } from 'node:fs';\nreadFileSync('/etc/passwd');\n${SHOUT}` })).body as Json).problems as Json[];
    assert.deepEqual([used[0].kind, used[0].line], ['syntax', 1]);
    assert.match(used[0].message, /may import only from 'weft'/);
    const clean = (await post('/api/v1/validate/code', { code: SHOUT })).body as Json;
    assert.deepEqual([clean.problems, clean.function.errors], [[], []]);
    // Python code keeps Langflow's answer.
    assert.deepEqual((await post('/api/v1/validate/code', { code: 'import math\n' })).body, { imports: { errors: [] }, function: { errors: [] } });
  });

  test('a saved component appears under Custom in /all for its owner only, and a flow using it runs over /run', async () => {
    const node = ((await post('/api/v1/custom_component', { code: SHOUT })).body as Json).data;
    const saved = await post('/api/v1/flows/', { name: 'Shout', is_component: true, data: { nodes: [{ id: 'Shout-abc12', type: 'genericNode', data: { id: 'Shout-abc12', type: 'Shout', node } }], edges: [] } });
    assert.equal(saved.status, 201, saved.text);
    const all = (await server.call('/api/v1/all', { headers: bearer('owner') })).body as Json;
    assert.equal(all.Custom.Shout.template.code.value, SHOUT);
    const others = (await server.call('/api/v1/all', { headers: bearer('other') })).body as Json;
    assert.equal(others.Custom?.Shout, undefined);

    const flow = new FlowBuilder();
    const input = flow.node('ChatInput', {});
    const shout = flow.node('Shout', {});
    const output = flow.node('ChatOutput', {});
    flow.connect(input, 'message', shout, 'text').connect(shout, 'shouted', output, 'input_value');
    const json = flow.build();
    const shoutNode = json.data!.nodes.find((n) => n.id === shout)!;
    shoutNode.data.node = { ...structuredClone(node), template: { ...structuredClone(node.template), marks: { ...node.template.marks, value: 2 } } };
    const created = await post('/api/v1/flows/', { name: 'uses shout', data: json.data });
    assert.equal(created.status, 201, created.text);
    const run = await server.call(`/api/v1/run/${(created.body as Json).id}`, { method: 'POST', headers: { 'x-api-key': ownerKey }, json: { input_value: 'hello weft' } });
    assert.equal(run.status, 200, run.text);
    assert.equal((run.body as Json).outputs[0].outputs[0].results.message.text, 'HELLO WEFT!!');
  });

  test("a secret input resolves the owner's global variable over /run", async () => {
    const saved = await post('/api/v1/variables/', { name: 'MY_SERVICE_KEY', value: 'sk-owner-12345', type: 'Credential', default_fields: [] });
    assert.equal(saved.status, 201, saved.text);
    const code = `import { component } from 'weft';
export default component({
  type: 'KeyUser', displayName: 'Key User',
  inputs: [{ name: 'text', kind: 'text' }, { name: 'api_key', kind: 'secret' }],
  outputs: [{ name: 'out', types: ['Message'] }],
  compute: { out: async ({ text, api_key }) => text + ': key ends ' + api_key.slice(-3) },
});
`;
    const node = ((await post('/api/v1/custom_component', { code })).body as Json).data;
    node.template.api_key.value = 'MY_SERVICE_KEY';
    node.template.api_key.load_from_db = true;
    const flow = new FlowBuilder();
    const input = flow.node('ChatInput', {});
    const custom = flow.node('KeyUser', {});
    const output = flow.node('ChatOutput', {});
    flow.connect(input, 'message', custom, 'text').connect(custom, 'out', output, 'input_value');
    const json = flow.build();
    json.data!.nodes.find((n) => n.id === custom)!.data.node = node;
    const created = await post('/api/v1/flows/', { name: 'uses a key', data: json.data });
    const run = await server.call(`/api/v1/run/${(created.body as Json).id}`, { method: 'POST', headers: { 'x-api-key': ownerKey }, json: { input_value: 'hi' } });
    assert.equal(run.status, 200, run.text);
    assert.equal((run.body as Json).outputs[0].outputs[0].results.message.text, 'hi: key ends 345');
  });
});

test('WEFT_CUSTOM_COMPONENTS=false refuses custom code on the routes', async () => {
  const server = await startTestServer('sqlite', { WEFT_CUSTOM_COMPONENTS: 'false' });
  try {
    const login = (await server.call('/api/v1/auto_login')).body as Json;
    const refused = await server.call('/api/v1/custom_component', { method: 'POST', headers: { authorization: `Bearer ${login.access_token}` }, json: { code: SHOUT } });
    assert.equal(refused.status, 400);
    assert.match((refused.body as Json).detail, /disabled/);
  } finally {
    await server.stop();
  }
});
