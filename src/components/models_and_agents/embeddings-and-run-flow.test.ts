import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { standinForTests, vectorFor } from '../../../test-utils/llm-standin.js';
import { defineComponent, type VariableResolver } from '../../engine/component.js';
import { runFlow } from '../../engine/run.js';
import { createRegistry } from '../registry.js';
import type { EmbeddingsHandle } from './providers/index.js';

const standin = standinForTests();

const variables = (): VariableResolver => ({ resolve: async (name) => ({ OPENAI_API_KEY: 'sk-e', OPENAI_BASE_URL: standin.baseUrl })[name] });

/** A test-only consumer that embeds a text with the connected Embeddings. */
const embedProbe = defineComponent({
  type: 'TestEmbedProbe',
  displayName: 'Embed Probe',
  category: 'testing',
  inputs: [{ name: 'embedding', kind: 'handle', inputTypes: ['Embeddings'] }],
  outputs: [{ name: 'vectors', types: ['Data'] }],
  compute: {
    vectors: async (ctx) => {
      const embeddings = ctx.params.embedding as EmbeddingsHandle;
      const one = await embeddings.embed('alpha', ctx.signal);
      const many = await embeddings.embedMany(['alpha', 'beta'], ctx.signal);
      return { one, many };
    },
  },
});

for (const [type, fields] of [
  ['OpenAIEmbeddings', { model: 'text-embedding-3-small' }],
  ['EmbeddingModel', { provider: 'OpenAI', model: 'text-embedding-3-small' }],
] as const) {
  test(`${type} gives an Embeddings object with embed/embedMany over HTTP`, async () => {
    const registry = createRegistry();
    registry.register(embedProbe);
    const flow = new FlowBuilder();
    const embeddings = flow.node(type, fields);
    const probe = flow.node('TestEmbedProbe', {});
    flow.connect(embeddings, 'embeddings', probe, 'embedding', ['Embeddings']);
    const response = await runFlow({ flow: flow.build(), registry, outputType: 'debug', services: { variables: variables() } });
    const result = response.outputs[0].outputs.find((o) => o.component_id === probe)!.results.vectors as { one: number[]; many: number[][] };
    assert.deepEqual(result.one.map((v) => v.toFixed(6)), vectorFor('alpha').map((v) => v.toFixed(6)));
    assert.equal(result.many.length, 2);
    assert.deepEqual(result.many[1].map((v) => v.toFixed(6)), vectorFor('beta').map((v) => v.toFixed(6)));
    const requests = standin.requests.filter((r) => r.path === '/v1/embeddings');
    assert.equal(requests.length, 2);
    assert.equal(requests[0].headers.authorization, 'Bearer sk-e');
    assert.equal(requests[0].body.model, 'text-embedding-3-small');
  });
}

test('RunFlow runs a saved flow through services.flows with the same registry, and works as an agent tool', async () => {
  const registry = createRegistry();
  const inner = new FlowBuilder('Shouter', '00000000-0000-4000-8000-0000000000aa');
  const innerInput = inner.node('ChatInput', {});
  const innerPrompt = inner.node('Prompt', { template: 'SHOUT: {text}', text: '' });
  const innerOutput = inner.node('ChatOutput', { should_store_message: false });
  inner.connect(innerInput, 'message', innerPrompt, 'text').connect(innerPrompt, 'prompt', innerOutput, 'input_value');
  const saved = { ...inner.build(), description: 'Shouts the input' };
  const flows = { load: async (key: string) => (key === 'Shouter' ? saved : undefined) };

  const outer = new FlowBuilder();
  const node = outer.node('RunFlow', { flow_name_selected: 'Shouter', input_value: 'hello' });
  const response = await runFlow({ flow: outer.build(), registry, outputType: 'debug', services: { flows, registry } });
  const result = response.outputs[0].outputs.find((o) => o.component_id === node)!;
  assert.equal((result.results.flow_outputs_message as { text: string }).text, 'SHOUT: hello');

  standin.respondWith((request) => {
    const messages = request.body.messages as { role: string; content: unknown }[];
    const toolMessage = messages.find((m) => m.role === 'tool');
    if (!toolMessage) return { toolCalls: [{ name: 'Shouter', arguments: { input_value: 'from agent' } }] };
    return `flow said: ${String(toolMessage.content)}`;
  });
  const agentFlow = new FlowBuilder();
  const input = agentFlow.node('ChatInput', {});
  const tool = agentFlow.node('RunFlow', { flow_name_selected: 'Shouter' }, { outputs: ['component_as_tool'] });
  const agentNode = agentFlow.node('Agent', { model: [{ name: 'gpt-4o-mini', provider: 'OpenAI' }], add_current_date_tool: false });
  const output = agentFlow.node('ChatOutput', {});
  agentFlow.connect(input, 'message', agentNode, 'input_value').connect(tool, 'component_as_tool', agentNode, 'tools', ['Tool']).connect(agentNode, 'response', output, 'input_value');
  const agentResponse = await runFlow({ flow: agentFlow.build(), registry, inputValue: 'go', services: { flows, registry, variables: variables() } });
  assert.equal((agentResponse.outputs[0].outputs[0].results.message as { text: string }).text, 'flow said: SHOUT: from agent');
});

test('Agent: tool errors are recorded and the model sees them; chat history excludes the current input', async () => {
  const registry = createRegistry();
  const failingTool = defineComponent({
    type: 'TestBrokenTool',
    displayName: 'Broken',
    description: 'Always fails',
    category: 'testing',
    inputs: [{ name: 'query', kind: 'text', toolMode: true, default: '' }],
    outputs: [{ name: 'out', types: ['Data'], method: 'run_query' }],
    compute: {
      out: () => {
        throw new Error('backend down');
      },
    },
  });
  registry.register(failingTool);
  standin.respondWith((request) => {
    const messages = request.body.messages as { role: string; content: unknown }[];
    const toolMessage = messages.find((m) => m.role === 'tool');
    if (!toolMessage) return { toolCalls: [{ name: 'run_query', arguments: { query: 'x' } }] };
    return 'Sorry, the tool failed.';
  });
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const tool = flow.node('TestBrokenTool', {}, { outputs: ['component_as_tool'] });
  const agentNode = flow.node('Agent', { model: [{ name: 'gpt-4o-mini', provider: 'OpenAI' }], add_current_date_tool: false });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', agentNode, 'input_value').connect(tool, 'component_as_tool', agentNode, 'tools', ['Tool']).connect(agentNode, 'response', output, 'input_value');
  const response = await runFlow({ flow: flow.build(), registry, inputValue: 'try it', sessionId: 's', services: { variables: variables() } });
  const message = response.outputs[0].outputs[0].results.message as { text: string; content_blocks: { contents: Record<string, unknown>[] }[] };
  assert.equal(message.text, 'Sorry, the tool failed.');
  const toolUse = message.content_blocks[0].contents.find((c) => c.type === 'tool_use')!;
  assert.match(String(toolUse.error), /backend down/);
  const first = standin.chatRequests[0].body.messages as { role: string; content: unknown }[];
  assert.deepEqual(first.filter((m) => m.role === 'user').map((m) => m.content), ['try it']);
});
