import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createRegistry } from '../../components/registry.js';
import { startStandin, type LlmStandin, type RecordedRequest } from '../../../test-utils/llm-standin.js';
import { starterProjectsDir, startersSkip } from '../../../test-utils/paths.js';
import type { EngineServices } from '../../engine/component.js';
import type { FlowJson } from '../../engine/flow-json.js';
import { FlowRun } from '../../engine/run.js';
import { createResponse, type ResponsesFlow, type ResponsesHost } from './run.js';

const registry = createRegistry();
let standin: LlmStandin;

before(async () => {
  standin = await startStandin();
});
after(async () => standin.close());

function services(): Partial<EngineServices> {
  return {
    variables: { resolve: async (name) => ({ OPENAI_API_KEY: 'sk-standin', OPENAI_BASE_URL: standin.baseUrl })[name] },
    defaultModel: async () => ({ provider: 'OpenAI', name: 'gpt-4o-mini' }),
    allowedHosts: '127.0.0.1',
  };
}

function calculatorAgent(request: RecordedRequest) {
  const messages = request.body.messages as { role: string; content: unknown }[];
  const toolMessage = messages.find((m) => m.role === 'tool');
  if (!toolMessage) return { toolCalls: [{ name: 'evaluate_expression', arguments: { expression: '(12*3)+6' } }] };
  return { text: `The answer is ${JSON.parse(String(toolMessage.content)).result}.`, chunks: ['The answer ', 'is 42.'] };
}

const flowJson: FlowJson = startersSkip.skip ? { data: { nodes: [], edges: [] } } : (JSON.parse(readFileSync(join(starterProjectsDir, 'Simple Agent.json'), 'utf8')) as FlowJson);
const flow: ResponsesFlow = { id: '77777777-7777-4777-8777-777777777777', name: 'Simple Agent', data: flowJson.data };
const host: ResponsesHost = {
  findFlow: async (model) => (model === flow.id ? flow : null),
  run: (f, options) => new FlowRun({ flow: { id: f.id, name: f.name, data: f.data }, registry, inputValue: options.inputValue, sessionId: options.sessionId, stream: options.stream, services: services() }).events(),
};

describe("/responses with Langflow's Simple Agent starter", startersSkip, () => {
  test('agent flow, non-stream: the tool call is a function_call output item before the message', async () => {
    standin.respondWith(calculatorAgent);
    const outcome = await createResponse(host, { model: flow.id, input: 'What is (12*3)+6?' });
    assert.ok(outcome.kind === 'json' && 'output' in outcome.body);
    const body = outcome.body as { output: Record<string, unknown>[] };
    assert.deepEqual(body.output[0], { id: 'fc_1', type: 'function_call', status: 'completed', name: 'evaluate_expression', arguments: '{"expression": "(12*3)+6"}' });
    assert.deepEqual((body.output[1].content as { text: string }[])[0].text, 'The answer is 42.');
  });

  test('agent flow, stream: token chunks, the four function-call events, completed chunk, [DONE]', async () => {
    standin.respondWith(calculatorAgent);
    const outcome = (await createResponse(host, { model: flow.id, input: 'What is (12*3)+6?', stream: true })) as { chunks: AsyncIterable<string> };
    const lines: string[] = [];
    for await (const line of outcome.chunks) lines.push(line);
    const named = lines.filter((l) => l.startsWith('event: ')).map((l) => l.split('\n')[0].slice(7));
    assert.deepEqual(named, ['response.output_item.added', 'response.function_call_arguments.delta', 'response.function_call_arguments.done', 'response.output_item.done']);
    const added = JSON.parse(lines.find((l) => l.startsWith('event: response.output_item.added'))!.split('\ndata: ')[1]);
    assert.deepEqual(added.item, { id: 'fc_1', type: 'function_call', status: 'in_progress', name: 'evaluate_expression', arguments: '', call_id: 'call_1' });
    const deltas = lines.filter((l) => l.startsWith('data: {"id"')).map((l) => JSON.parse(l.slice(6)).delta);
    assert.deepEqual(deltas, [{ content: '' }, { content: 'The answer ' }, { content: 'is 42.' }, {}]);
    assert.equal(lines.at(-1), 'data: [DONE]\n\n');
  });
});
