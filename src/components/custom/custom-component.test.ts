import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { startStandin, type LlmStandin } from '../../../test-utils/llm-standin.js';
import { collect, endVertices } from '../../../test-utils/run-helpers.js';
import { runFlow } from '../../engine/run.js';
import { ServerCredential } from '../../engine/server-credential.js';
import { Sandbox } from '../../services/sandbox/sandbox.js';
import { readSettings } from '../../services/settings.js';
import { createRegistry } from '../registry.js';
import { checkDeclaration, DeclarationError } from './custom-component.js';

const registry = createRegistry();
const sandbox = new Sandbox(readSettings({}).customComponents);
let standin: LlmStandin;
before(async () => {
  standin = await startStandin();
});
after(async () => {
  await sandbox.close();
  await standin.close();
});

const SHOUT = `import { component, Message } from 'weft';

export default component({
  type: 'Shout',
  displayName: 'Shout',
  description: 'Upper-cases a text and adds exclamation marks',
  icon: 'megaphone',
  inputs: [
    { name: 'text', kind: 'text', displayName: 'Text', toolMode: true, info: 'The text to shout' },
    { name: 'marks', kind: 'int', default: 1 },
  ],
  outputs: [{ name: 'shouted', displayName: 'Shouted', types: ['Message'] }],
  compute: {
    async shouted({ text, marks }: { text: string; marks: number }) {
      console.log('shouting', text);
      return Message(text.toUpperCase() + '!'.repeat(marks));
    },
  },
});
`;

const TO_ROWS = `import { component, DataFrame } from 'weft';
export default component({
  type: 'ToRows', displayName: 'To Rows',
  inputs: [{ name: 'items', kind: 'data', list: true }],
  outputs: [{ name: 'rows', types: ['DataFrame'] }],
  compute: { rows: async ({ items }) => DataFrame(items.map((item: { data: Record<string, unknown> }) => item.data)) },
});
`;

const MAKE_DATA = `import { component, Data } from 'weft';
export default component({
  type: 'MakeData', displayName: 'Make Data',
  inputs: [{ name: 'n', kind: 'int', default: 2 }],
  outputs: [{ name: 'data', types: ['Data'] }],
  compute: { data: async ({ n }) => Data({ n, square: n * n }) },
});
`;

const USES_KEY = `import { component } from 'weft';
export default component({
  type: 'UsesKey', displayName: 'Uses Key',
  inputs: [{ name: 'api_key', kind: 'secret' }],
  outputs: [{ name: 'out', types: ['Message'] }],
  compute: { out: async ({ api_key }) => 'key of ' + api_key.length + ' characters starting ' + api_key.slice(0, 3) },
});
`;

const fields = (code: string, values: Record<string, unknown>) => ({ code, ...values });
const meta = { text: { _input_type: 'MessageTextInput', tool_mode: true, info: 'The text to shout' }, marks: { _input_type: 'IntInput', type: 'int' } };

test('a text transformer runs in the sandbox between Chat Input and Chat Output; console lines become logs', async () => {
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const shout = flow.node('Shout', fields(SHOUT, { text: '', marks: 3 }), { outputs: ['shouted'], fieldMeta: meta });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', shout, 'text').connect(shout, 'shouted', output, 'input_value');
  const { events } = await collect({ flow: flow.build(), registry, inputValue: 'hello', userId: 'alice', services: { customComponents: sandbox } });
  const built = endVertices(events).find((b) => b.id === output)!;
  assert.equal((built.data.results.message as { text: string }).text, 'HELLO!!!');
  assert.match(JSON.stringify(events), /shouting hello/);
});

test('a Data → DataFrame converter', async () => {
  const flow = new FlowBuilder();
  const a = flow.node('MakeData', fields(MAKE_DATA, { n: 3 }), { outputs: ['data'], fieldMeta: { n: { _input_type: 'IntInput', type: 'int' } } });
  const b = flow.node('MakeData', fields(MAKE_DATA, { n: 4 }), { outputs: ['data'], fieldMeta: { n: { _input_type: 'IntInput', type: 'int' } } });
  const rows = flow.node('ToRows', fields(TO_ROWS, { items: [] }), { outputs: ['rows'], fieldMeta: { items: { _input_type: 'DataInput', list: true } } });
  flow.connect(a, 'data', rows, 'items', ['Data']).connect(b, 'data', rows, 'items', ['Data']);
  const { events } = await collect({ flow: flow.build(), registry, userId: 'alice', services: { customComponents: sandbox } });
  const built = endVertices(events).find((v) => v.id === rows)!;
  assert.deepEqual(built.data.results.rows, [{ n: 3, square: 9 }, { n: 4, square: 16 }]);
});

test('a custom component in tool mode is called by the Agent (OpenAI-compatible stand-in)', async () => {
  standin.respondWith((request) => {
    const messages = request.body.messages as { role: string; content: unknown }[];
    const toolMessage = messages.find((m) => m.role === 'tool');
    if (!toolMessage) return { toolCalls: [{ name: 'shouted', arguments: { text: 'hi tool' } }] };
    return `Tool said ${String(toolMessage.content)}`;
  });
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const tool = flow.node('Shout', fields(SHOUT, { text: '', marks: 2 }), { outputs: ['component_as_tool'], fieldMeta: meta });
  const agentNode = flow.node('Agent', { model: [{ name: 'gpt-4o-mini', provider: 'OpenAI' }], add_current_date_tool: false });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', agentNode, 'input_value').connect(tool, 'component_as_tool', agentNode, 'tools', ['Tool']).connect(agentNode, 'response', output, 'input_value');
  const built = flow.build();
  const toolNode = built.data!.nodes.find((n) => n.id === tool)!;
  toolNode.data.node!.metadata = { weft_outputs: [{ name: 'shouted', types: ['Message'] }] };
  const response = await runFlow({
    flow: built, registry, inputValue: 'shout please', userId: 'alice',
    services: { customComponents: sandbox, variables: { resolve: async (name) => ({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: standin.baseUrl })[name] } },
  });
  assert.match((response.outputs[0].outputs[0].results.message as { text: string }).text, /^Tool said .*HI TOOL!!/);
  const offered = standin.chatRequests.at(-2)!.body.tools as { function: { name: string; description: string; parameters: { properties: Record<string, unknown> } } }[];
  assert.equal(offered[0].function.name, 'shouted');
  assert.deepEqual(Object.keys(offered[0].function.parameters.properties), ['text']);
});

test('a secret input resolved from global variables; a server credential never reaches custom code', async () => {
  const build = (variable: string) => {
    const flow = new FlowBuilder();
    flow.node('UsesKey', fields(USES_KEY, { api_key: variable }), { outputs: ['out'], fieldMeta: { api_key: { _input_type: 'SecretStrInput', load_from_db: true, password: true } } });
    return flow.build();
  };
  const variables = { resolve: async (name: string) => (name === 'MY_KEY' ? 'sk-user-key' : name === 'OPENAI_API_KEY' ? new ServerCredential('OPENAI_API_KEY', 'sk-server') : undefined) };
  const { events } = await collect({ flow: build('MY_KEY'), registry, userId: 'alice', services: { customComponents: sandbox, variables } });
  const out = endVertices(events)[0].data.results.out as { text: string };
  assert.equal(out.text, 'key of 11 characters starting sk-');
  const refused = await collect({ flow: build('OPENAI_API_KEY'), registry, userId: 'alice', services: { customComponents: sandbox, variables } });
  const error = refused.events.find((e) => e.event === 'error');
  assert.match(JSON.stringify(error), /server credential/);
  assert.doesNotMatch(JSON.stringify(refused.events), /sk-server/);
});

test('no owner, no custom code; a limit breach fails the run naming the component', async () => {
  const flow = new FlowBuilder();
  flow.node('Shout', fields(SHOUT, { text: 'x', marks: 1 }), { outputs: ['shouted'], fieldMeta: meta, displayName: 'My Shout' });
  const anonymous = await collect({ flow: flow.build(), registry, userId: null, services: { customComponents: sandbox } });
  assert.match(JSON.stringify(anonymous.events.find((e) => e.event === 'error')), /only a signed-in user/);
  const spinning = new FlowBuilder();
  spinning.node('Shout', fields(SHOUT.replace("console.log('shouting', text);", 'while (true) {}'), { text: 'x', marks: 1 }), { outputs: ['shouted'], fieldMeta: meta, displayName: 'My Shout' });
  const quick = new Sandbox(readSettings({ WEFT_CUSTOM_COMPONENTS_TIMEOUT_MS: '300' }).customComponents);
  const stopped = await collect({ flow: spinning.build(), registry, userId: 'alice', services: { customComponents: quick } });
  await quick.close();
  assert.match(JSON.stringify(stopped.events.find((e) => e.event === 'error')), /Custom component \\"My Shout\\" exceeded its time limit \(0.3 s\)/);
});

test('declarations are checked field by field', () => {
  const ok = checkDeclaration({ type: 'A', inputs: [{ name: 'x', kind: 'text' }], outputs: [{ name: 'o', types: ['Message'] }], computeNames: ['o'] });
  assert.equal(ok.category, 'Custom');
  for (const [raw, message] of [
    [{ inputs: [], outputs: [] }, /type is required/],
    [{ type: 'A B', inputs: [], outputs: [{ name: 'o' }], computeNames: ['o'] }, /identifier/],
    [{ type: 'A', inputs: [{ name: 'x', kind: 'weird' }], outputs: [{ name: 'o' }], computeNames: ['o'] }, /kind must be/],
    [{ type: 'A', inputs: [], outputs: [{ name: 'o' }], computeNames: [] }, /no compute function/],
    [{ type: 'A', inputs: [{ name: '__proto__', kind: 'text' }], outputs: [{ name: 'o' }], computeNames: ['o'] }, /not a usable field name/],
  ] as const) {
    assert.throws(() => checkDeclaration(raw as Record<string, unknown>), (e: unknown) => e instanceof DeclarationError && message.test(e.message));
  }
});
