import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { lastUserText, standinForTests, systemText, vectorFor } from '../../../test-utils/llm-standin.js';
import { collect, tokenChunks } from '../../../test-utils/run-helpers.js';
import { defineComponent, type VariableResolver } from '../../engine/component.js';
import { runFlow } from '../../engine/run.js';
import type { EmbeddingsHandle } from './providers/index.js';
import { createRegistry } from '../registry.js';

// Anthropic's Messages API and Ollama's native API, spoken by the stand-in over real HTTP: the
// provider nodes and the unified model field must work against them as they do against OpenAI's.

const registry = createRegistry();
const standin = standinForTests();

function variables(values: Record<string, string>): VariableResolver {
  return { resolve: async (name) => values[name] };
}

function modelFlow(type: string, fields: Record<string, unknown>) {
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const model = flow.node(type, { system_message: 'Answer in one word.', stream: false, ...fields });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', model, 'input_value').connect(model, 'text_output', output, 'input_value');
  return { flow: flow.build(), output };
}

function outputText(response: Awaited<ReturnType<typeof runFlow>>, output: string): string {
  return (response.outputs[0].outputs.find((o) => o.component_id === output)!.results.message as { text: string }).text;
}

function calculatorAgentFlow(model: unknown) {
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const calculator = flow.node('CalculatorComponent', { expression: '' }, { outputs: ['component_as_tool'] });
  const agent = flow.node('Agent', { model, add_current_date_tool: false, system_prompt: 'Use tools.' });
  const output = flow.node('ChatOutput', {});
  flow
    .connect(input, 'message', agent, 'input_value')
    .connect(calculator, 'component_as_tool', agent, 'tools', ['Tool'])
    .connect(agent, 'response', output, 'input_value');
  return { flow: flow.build(), output };
}

/** The first `tool_result` block in an Anthropic request's messages. */
function toolResultOf(body: Record<string, unknown>): { tool_use_id?: string; content?: unknown } | undefined {
  const messages = body.messages as { content: { type: string; tool_use_id?: string; content?: unknown }[] | string }[];
  return messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).find((block) => block.type === 'tool_result');
}

describe('Anthropic Messages API', () => {
  const anthropic = variables({ ANTHROPIC_API_KEY: 'sk-ant-test' });

  test('AnthropicModel: key header, version, max_tokens, system beside the messages; the reply text', async () => {
    standin.enqueue('Paris.');
    const { flow, output } = modelFlow('AnthropicModel', { model_name: 'claude-3-5-haiku-latest', base_url: standin.url, max_tokens: 256 });
    const response = await runFlow({ flow, registry, inputValue: 'Capital of France?', services: { variables: anthropic } });
    assert.equal(outputText(response, output), 'Paris.');
    const [request] = standin.chatRequests;
    assert.equal(request.path, '/v1/messages');
    assert.equal(request.headers['x-api-key'], 'sk-ant-test');
    assert.ok(request.headers['anthropic-version'], 'the API version header is sent');
    assert.equal(request.body.model, 'claude-3-5-haiku-latest');
    assert.equal(request.body.max_tokens, 256);
    assert.equal(systemText(request.body), 'Answer in one word.');
    assert.equal(lastUserText(request.body), 'Capital of France?');
  });

  test('the unified model field with provider Anthropic streams its tokens in order (ANTHROPIC_BASE_URL)', async () => {
    standin.enqueue({ text: 'One two three', chunks: ['One ', 'two ', 'three'] });
    const { flow, output } = modelFlow('LanguageModelComponent', { model: [{ name: 'claude-sonnet-4-5', provider: 'Anthropic' }], stream: true });
    const { events, run } = await collect({
      flow,
      registry,
      inputValue: 'count',
      stream: true,
      services: { variables: variables({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: standin.url }) },
    });
    assert.equal(run.error, null);
    assert.deepEqual(tokenChunks(events), ['One ', 'two ', 'three']);
    assert.equal(outputText(run.result!, output), 'One two three');
    assert.equal(standin.chatRequests[0].body.stream, true);
  });

  test('a 401 fails the component with Anthropic’s message', async () => {
    standin.enqueue({ status: 401, error: { message: 'invalid x-api-key' } });
    const { flow } = modelFlow('AnthropicModel', { model_name: 'claude-3-5-haiku-latest', base_url: standin.url });
    await assert.rejects(runFlow({ flow, registry, inputValue: 'hi', services: { variables: anthropic } }), /Error building Component Anthropic: provider error \(401\): invalid x-api-key$/);
    assert.equal(standin.chatRequests.length, 1, 'a 401 is not retried');
  });

  test('Agent on Anthropic: a tool_use, the tool_result sent back, then the answer', async () => {
    standin.respondWith((request) => {
      const messages = request.body.messages as { role: string; content: { type: string; tool_use_id?: string; content?: unknown }[] | string }[];
      const result = messages.flatMap((m) => (Array.isArray(m.content) ? m.content : [])).find((block) => block.type === 'tool_result');
      if (!result) return { toolCalls: [{ id: 'toolu_1', name: 'evaluate_expression', arguments: { expression: '6*7' } }] };
      return `The answer is ${JSON.stringify(result.content)}`;
    });
    const { flow, output } = calculatorAgentFlow([{ name: 'claude-sonnet-4-5', provider: 'Anthropic' }]);
    // A trailing slash on the saved URL is fine: the API root goes under the host either way.
    const response = await runFlow({ flow, registry, inputValue: 'what is 6*7?', services: { variables: variables({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: `${standin.url}/` }) } });
    assert.match(outputText(response, output), /^The answer is .*42/);
    const [first, second] = standin.chatRequests;
    assert.deepEqual((first.body.tools as { name: string }[]).map((t) => t.name), ['evaluate_expression']);
    const assistant = (second.body.messages as { role: string; content: { type: string; name?: string; input?: unknown }[] }[]).find((m) => m.role === 'assistant')!;
    assert.deepEqual(assistant.content.find((b) => b.type === 'tool_use'), { type: 'tool_use', id: 'toolu_1', name: 'evaluate_expression', input: { expression: '6*7' } });
    assert.equal(toolResultOf(second.body)?.tool_use_id, 'toolu_1', 'the tool_result answers the tool_use by id');
  });

  test('a streamed Agent on Anthropic: the tool_use arrives as input_json_delta, the answer as tokens', async () => {
    standin.respondWith((request) => {
      const result = toolResultOf(request.body);
      if (!result) return { toolCalls: [{ id: 'toolu_s', name: 'evaluate_expression', arguments: { expression: '6*7' } }] };
      return { text: `It is ${JSON.stringify(result.content).includes('42') ? '42' : '?'}.`, chunks: ['It ', 'is ', '42.'] };
    });
    const { flow, output } = calculatorAgentFlow([{ name: 'claude-sonnet-4-5', provider: 'Anthropic' }]);
    const { events, run } = await collect({ flow, registry, inputValue: 'what is 6*7?', stream: true, services: { variables: variables({ ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: standin.url }) } });
    assert.equal(run.error, null);
    assert.deepEqual(tokenChunks(events), ['It ', 'is ', '42.']);
    assert.equal(outputText(run.result!, output), 'It is 42.');
    const [first, second] = standin.chatRequests;
    assert.equal(first.body.stream, true);
    assert.equal(toolResultOf(second.body)?.tool_use_id, 'toolu_s');
  });

  test("the server's key goes to ANTHROPIC_BASE_URL however it is spelt (host or /v1), and nowhere else", async () => {
    const providerEnvironment = { ANTHROPIC_API_KEY: 'sk-ant-server', ANTHROPIC_BASE_URL: standin.url };
    standin.enqueue('one', 'two');
    for (const base_url of ['', `${standin.url}/v1/`]) {
      const { flow } = modelFlow('AnthropicModel', { model_name: 'claude-3-5-haiku-latest', base_url });
      await runFlow({ flow, registry, inputValue: 'hi', services: { providerEnvironment } });
    }
    assert.deepEqual(standin.chatRequests.map((r) => [r.path, r.headers['x-api-key']]), [['/v1/messages', 'sk-ant-server'], ['/v1/messages', 'sk-ant-server']]);
    const elsewhere = modelFlow('AnthropicModel', { model_name: 'claude-3-5-haiku-latest', base_url: `${standin.url}/proxy` });
    await assert.rejects(runFlow({ flow: elsewhere.flow, registry, inputValue: 'hi', services: { providerEnvironment } }), /Anthropic: the server's ANTHROPIC_API_KEY is only sent to the server's own Anthropic endpoint/);
    assert.equal(standin.chatRequests.length, 2);
  });
});

describe('Ollama native API', () => {
  test('OllamaModel: /api/chat with the model and messages; the reply text', async () => {
    standin.enqueue('Bonjour.');
    const { flow, output } = modelFlow('OllamaModel', { model_name: 'llama3.2', base_url: standin.url });
    const response = await runFlow({ flow, registry, inputValue: 'Say hello in French' });
    assert.equal(outputText(response, output), 'Bonjour.');
    const [request] = standin.chatRequests;
    assert.equal(request.path, '/api/chat');
    assert.equal(request.body.model, 'llama3.2');
    assert.equal(systemText(request.body), 'Answer in one word.');
    assert.equal(lastUserText(request.body), 'Say hello in French');
  });

  test('streaming: NDJSON chunks become token events in order', async () => {
    standin.enqueue({ text: 'a b c', chunks: ['a ', 'b ', 'c'] });
    const { flow, output } = modelFlow('OllamaModel', { model_name: 'llama3.2', base_url: standin.url, stream: true });
    const { events, run } = await collect({ flow, registry, inputValue: 'letters', stream: true });
    assert.equal(run.error, null);
    assert.deepEqual(tokenChunks(events), ['a ', 'b ', 'c']);
    assert.equal(outputText(run.result!, output), 'a b c');
  });

  test('the unified model field with provider Ollama uses OLLAMA_BASE_URL; an error names the component', async () => {
    standin.enqueue({ status: 404, error: { message: "model 'nope' not found" } });
    const { flow } = modelFlow('LanguageModelComponent', { model: [{ name: 'nope', provider: 'Ollama' }] });
    await assert.rejects(
      runFlow({ flow, registry, inputValue: 'hi', services: { variables: variables({ OLLAMA_BASE_URL: standin.url }) } }),
      /Error building Component Language Model: provider error \(404\): model 'nope' not found$/,
    );
    assert.equal(standin.chatRequests[0].path, '/api/chat');
  });

  test('Agent on Ollama: the tool call and its result go over /api/chat', async () => {
    standin.respondWith((request) => {
      const messages = request.body.messages as { role: string; content: string }[];
      const tool = messages.find((m) => m.role === 'tool');
      if (!tool) return { toolCalls: [{ name: 'evaluate_expression', arguments: { expression: '2+3' } }] };
      return `Result: ${tool.content}`;
    });
    const { flow, output } = calculatorAgentFlow([{ name: 'llama3.2', provider: 'Ollama' }]);
    const response = await runFlow({ flow, registry, inputValue: '2+3?', services: { variables: variables({ OLLAMA_BASE_URL: `${standin.url}/` }) } });
    assert.match(outputText(response, output), /^Result: .*5/);
    assert.equal(standin.chatRequests.length, 2);
    assert.deepEqual((standin.chatRequests[0].body.tools as { function: { name: string } }[]).map((t) => t.function.name), ['evaluate_expression']);
    const assistant = (standin.chatRequests[1].body.messages as { role: string; tool_calls?: { function: { name: string; arguments: unknown } }[] }[]).find((m) => m.role === 'assistant')!;
    assert.equal(assistant.tool_calls?.[0].function.name, 'evaluate_expression');
  });

  test('a streamed Agent on Ollama: the tool call in an NDJSON chunk, then the answer as tokens', async () => {
    standin.respondWith((request) => {
      const tool = (request.body.messages as { role: string; content: string }[]).find((m) => m.role === 'tool');
      if (!tool) return { toolCalls: [{ name: 'evaluate_expression', arguments: { expression: '2+3' } }] };
      return { text: `Got ${tool.content.includes('5') ? '5' : '?'}`, chunks: ['Got ', '5'] };
    });
    const { flow, output } = calculatorAgentFlow([{ name: 'llama3.2', provider: 'Ollama' }]);
    const { events, run } = await collect({ flow, registry, inputValue: '2+3?', stream: true, services: { variables: variables({ OLLAMA_BASE_URL: standin.url }) } });
    assert.equal(run.error, null);
    assert.deepEqual(tokenChunks(events), ['Got ', '5']);
    assert.equal(outputText(run.result!, output), 'Got 5');
    assert.equal(standin.chatRequests.length, 2);
    assert.notEqual(standin.chatRequests[0].body.stream, false);
  });

  test('OllamaEmbeddings embeds over /api/embed', async () => {
    const probeRegistry = createRegistry();
    probeRegistry.register(
      defineComponent({
        type: 'TestEmbedProbe',
        displayName: 'Embed Probe',
        category: 'testing',
        inputs: [{ name: 'embedding', kind: 'handle', inputTypes: ['Embeddings'] }],
        outputs: [{ name: 'vectors', types: ['Data'] }],
        compute: { vectors: async (ctx) => ({ many: await (ctx.params.embedding as EmbeddingsHandle).embedMany(['alpha', 'beta'], ctx.signal) }) },
      }),
    );
    const flow = new FlowBuilder();
    const embeddings = flow.node('OllamaEmbeddings', { model_name: 'nomic-embed-text', base_url: standin.url });
    const probe = flow.node('TestEmbedProbe', {});
    flow.connect(embeddings, 'embeddings', probe, 'embedding', ['Embeddings']);
    const response = await runFlow({ flow: flow.build(), registry: probeRegistry, outputType: 'debug' });
    const { many } = response.outputs[0].outputs.find((o) => o.component_id === probe)!.results.vectors as { many: number[][] };
    assert.deepEqual(many.map((v) => v.map((x) => x.toFixed(6))), ['alpha', 'beta'].map((t) => vectorFor(t).map((x) => x.toFixed(6))));
    const request = standin.requests.find((r) => r.path === '/api/embed')!;
    assert.equal(request.body.model, 'nomic-embed-text');
  });
});
