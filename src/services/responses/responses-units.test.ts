import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRegistry } from '../../components/registry.js';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import type { EngineEvent } from '../../engine/events.js';
import { InMemoryMessageStore } from '../../engine/message-store.js';
import { FlowRun } from '../../engine/run.js';
import { extractOutput, responseBody, toolCallEvents, toolCallsFromContentBlocks } from './format.js';
import { createResponse, type ResponsesFlow, type ResponsesHost } from './run.js';

const registry = createRegistry();

function echoFlow(): ResponsesFlow {
  const flow = new FlowBuilder('Echo', '44444444-4444-4444-8444-444444444444');
  const input = flow.node('ChatInput', {});
  const prompt = flow.node('Prompt', { template: 'Echo: {q}', q: '' });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', prompt, 'q').connect(prompt, 'prompt', output, 'input_value');
  const built = flow.build();
  return { id: built.id!, name: built.name!, data: built.data };
}

function host(flows: ResponsesFlow[], extraEvents: EngineEvent[] = []): ResponsesHost & { sessions: string[] } {
  const messages = new InMemoryMessageStore();
  const sessions: string[] = [];
  return {
    sessions,
    findFlow: async (model) => flows.find((f) => f.id === model) ?? null,
    async *run(flow, options) {
      sessions.push(options.sessionId);
      yield* extraEvents;
      const run = new FlowRun({ flow: { ...flow }, registry, inputValue: options.inputValue, sessionId: options.sessionId, stream: options.stream, services: { messages } });
      yield* run.events();
    },
  };
}

async function collect(chunks: AsyncIterable<string>): Promise<string[]> {
  const out: string[] = [];
  for await (const c of chunks) out.push(c);
  return out;
}

test('non-stream: OpenAI response body; response id is the session; previous_response_id continues it', async () => {
  const flow = echoFlow();
  const h = host([flow]);
  const first = await createResponse(h, { model: flow.id, input: 'hello' });
  assert.equal(first.kind, 'json');
  const body = (first as { body: Record<string, unknown> }).body;
  assert.equal(body.object, 'response');
  assert.equal(body.status, 'completed');
  assert.equal(body.model, flow.id);
  assert.equal(body.previous_response_id, null);
  assert.deepEqual(body.output, [
    { type: 'message', id: `msg_${body.id}`, status: 'completed', role: 'assistant', content: [{ type: 'output_text', text: 'Echo: hello', annotations: [] }] },
  ]);
  assert.equal(h.sessions[0], body.id);
  const second = await createResponse(h, { model: flow.id, input: 'again', previous_response_id: String(body.id) });
  const body2 = (second as { body: Record<string, unknown> }).body;
  assert.equal(body2.id, body.id);
  assert.equal(body2.previous_response_id, body.id);
  assert.equal(h.sessions[1], body.id);
});

test('errors are bodies: tools, unknown flow, missing ChatInput, failing component', async () => {
  const flow = echoFlow();
  const h = host([flow]);
  assert.deepEqual((await createResponse(h, { model: flow.id, input: 'x', tools: [] })) as unknown, {
    kind: 'json',
    body: { error: { message: 'Tools are not supported yet', type: 'invalid_request_error', code: 'tools_not_supported' } },
  });
  assert.deepEqual((await createResponse(h, { model: 'nope', input: 'x' })) as unknown, {
    kind: 'json',
    body: { error: { message: "Flow with id 'nope' not found", type: 'invalid_request_error', code: 'flow_not_found' } },
  });
  const noInput = new FlowBuilder('T', '55555555-5555-4555-8555-555555555555');
  noInput.node('TextInput', {});
  const built = noInput.build();
  const r = (await createResponse(host([{ id: built.id!, name: 'T', data: built.data }]), { model: built.id!, input: 'x' })) as { body: { error: { type: string; message: string } } };
  assert.equal(r.body.error.type, 'processing_error');
  assert.match(r.body.error.message, /ChatInput/);

  const broken = new FlowBuilder('B', '66666666-6666-4666-8666-666666666666');
  const i = broken.node('ChatInput', {});
  const o = broken.node('ChatOutput', {});
  broken.node('TypeConverterComponent', {});
  broken.connect(i, 'message', o, 'input_value');
  const b = broken.build();
  const failed = (await createResponse(host([{ id: b.id!, name: 'B', data: b.data }]), { model: b.id!, input: 'x' })) as { body: { error: { type: string; message: string } } };
  assert.equal(failed.body.error.type, 'processing_error');
  assert.match(failed.body.error.message, /Error building Component Type Convert/);

  const streamed = (await createResponse(host([{ id: b.id!, name: 'B', data: b.data }]), { model: b.id!, input: 'x', stream: true })) as { chunks: AsyncIterable<string> };
  const lines = await collect(streamed.chunks);
  assert.match(lines.at(-2)!, /^data: \{"error":\{"message":"Error building Component Type Convert/);
  assert.equal(lines.at(-1), 'data: [DONE]\n\n');
});

test('stream: initial empty chunk, the AI message text as a delta, completed chunk, [DONE]; tool calls as named events', async () => {
  const flow = echoFlow();
  const agentMessage: EngineEvent = {
    event: 'add_message',
    data: {
      sender: 'Machine',
      sender_name: 'Agent',
      text: '',
      content_blocks: [{ title: 'Agent Steps', contents: [{ type: 'tool_use', name: 'calc', tool_input: { expression: '2+2' }, output: '4' }] }],
    },
  };
  const outcome = (await createResponse(host([flow], [agentMessage, agentMessage]), { model: flow.id, input: 'hi', stream: true })) as { kind: string; chunks: AsyncIterable<string> };
  assert.equal(outcome.kind, 'stream');
  const lines = await collect(outcome.chunks);
  const first = JSON.parse(lines[0].slice(6));
  assert.deepEqual(Object.keys(first), ['id', 'object', 'created', 'model', 'delta', 'status']);
  assert.deepEqual({ ...first, created: 0 }, { id: first.id, object: 'response.chunk', created: 0, model: flow.id, delta: { content: '' }, status: null });
  assert.deepEqual(lines.slice(1, 5).map((l) => l.split('\n')[0]), [
    'event: response.output_item.added',
    'event: response.function_call_arguments.delta',
    'event: response.function_call_arguments.done',
    'event: response.output_item.done',
  ]);
  assert.equal(lines[2], 'event: response.function_call_arguments.delta\ndata: {"type": "response.function_call_arguments.delta", "delta": "{\\"expression\\": \\"2+2\\"}", "item_id": "fc_1", "output_index": 0}\n\n');
  const contents = lines.filter((l) => l.startsWith('data: {')).map((l) => JSON.parse(l.slice(6)));
  assert.deepEqual(contents.map((c) => c.delta), [{ content: '' }, { content: 'Echo: hi' }, {}], 'the duplicate tool call is sent once');
  assert.equal(contents.at(-1).status, 'completed');
  assert.equal(lines.at(-1), 'data: [DONE]\n\n');
});

test('format: tool calls from content blocks, non-stream function_call items and include=tool_call.results', () => {
  const blocks = [{ title: 'Agent Steps', contents: [{ type: 'text', text: 'x' }, { type: 'tool_use', name: 'search', tool_input: { q: 'a' }, output: ['r'] }] }];
  assert.deepEqual(toolCallsFromContentBlocks(blocks), [{ name: 'search', input: { q: 'a' }, output: ['r'] }]);
  const result = {
    session_id: 's',
    outputs: [{ inputs: {}, outputs: [{ messages: [{ message: 'answer' }], results: { message: { text: 'answer', content_blocks: blocks } } } as never] }],
  };
  const { text, toolCalls } = extractOutput(result);
  assert.equal(text, 'answer');
  const body = responseBody({ id: 's', createdAt: 1, model: 'm', text, toolCalls, previousResponseId: null });
  assert.deepEqual((body.output as unknown[])[0], { id: 'fc_1', type: 'function_call', status: 'completed', name: 'search', arguments: '{"q": "a"}' });
  const detailed = responseBody({ id: 's', createdAt: 1, model: 'm', text, toolCalls, previousResponseId: null, include: ['tool_call.results'] });
  assert.deepEqual((detailed.output as unknown[])[0], { id: 'search_1', queries: ['a'], status: 'completed', tool_name: 'search', type: 'tool_call', results: ['r'] });
  const events = toolCallEvents(toolCalls[0], 1, ['tool_call.results']);
  assert.match(events[3], /"type": "tool_call", "tool_name": "search", "results": \["r"\]/);
});
