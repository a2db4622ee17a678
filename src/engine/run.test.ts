import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createRegistry } from '../components/registry.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { starterProjectsDir, startersSkip } from '../../test-utils/paths.js';
import { FlowRun, runFlow } from './run.js';
import { InMemoryMessageStore } from './message-store.js';

const registry = createRegistry();

test('ChatInput -> Prompt -> ChatOutput returns the rendered prompt in RunResponse shape', async () => {
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', { input_value: 'saved' });
  const prompt = flow.node('Prompt', { template: 'Q: {question}!', question: '' });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', prompt, 'question').connect(prompt, 'prompt', output, 'input_value');
  const messages = new InMemoryMessageStore();
  const response = await runFlow({ flow: flow.build(), registry, inputValue: 'hello', sessionId: 's1', services: { messages } });
  assert.equal(response.session_id, 's1');
  assert.deepEqual(response.outputs[0].inputs, { input_value: 'hello' });
  const result = response.outputs[0].outputs[0];
  assert.equal(result.component_id, output);
  const message = result.results.message as Record<string, unknown>;
  assert.equal(message.text, 'Q: hello!');
  assert.equal(message.sender, 'Machine');
  assert.equal(message.session_id, 's1');
  assert.deepEqual(result.outputs.message, { message: 'Q: hello!', type: 'text' });
  assert.match(String(message.timestamp), /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  const stored = await messages.list({ sessionId: 's1' });
  assert.deepEqual(stored.map((m) => [m.sender, m.text]), [['User', 'hello'], ['Machine', 'Q: hello!']]);
});

test('events: vertices_sorted first, ChatInput alone in the first layer, end carries the result', async () => {
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const text = flow.node('TextInput', { input_value: 'side' });
  const prompt = flow.node('Prompt', { template: '{a} {b}', a: '', b: '' });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', prompt, 'a').connect(text, 'text', prompt, 'b').connect(prompt, 'prompt', output, 'input_value');
  const run = new FlowRun({ flow: flow.build(), registry, inputValue: 'x' });
  const events = [];
  for await (const event of run.events()) events.push(event);
  assert.equal(events[0].event, 'vertices_sorted');
  assert.deepEqual((events[0].data as { ids: string[] }).ids, [input]);
  const order = events.filter((e) => e.event === 'end_vertex').map((e) => (e.data as { build_data: { id: string } }).build_data.id);
  assert.deepEqual(order, [input, text, prompt, output]);
  const last = events.at(-1)!;
  assert.equal(last.event, 'end');
  assert.equal(run.result!.outputs[0].outputs[0].outputs.message.message, 'x side');
});

test('Basic Prompt Chaining starter runs without a model', startersSkip, async () => {
  const flow = JSON.parse(readFileSync(join(starterProjectsDir, 'Basic Prompt Chaining.json'), 'utf8'));
  const response = await runFlow({ flow, registry, inputValue: 'a product idea' });
  const text = (response.outputs[0].outputs[0].results.message as { text: string }).text;
  assert.ok(text.length > 0);
});
