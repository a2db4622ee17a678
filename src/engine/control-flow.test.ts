import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { collect, endVertices, textOf } from '../../test-utils/run-helpers.js';
import { testRegistry } from '../../test-utils/test-components.js';

const registry = testRegistry();

function routerFlow() {
  const flow = new FlowBuilder();
  const chat = flow.node('ChatInput', {});
  const router = flow.node('ConditionalRouter', { operator: 'equals', match_text: 'yes', case_sensitive: false });
  const yes = flow.node('ChatOutput', {}, { displayName: 'Yes' });
  const noPrompt = flow.node('Prompt', { template: 'no: {x}', x: '' });
  const no = flow.node('ChatOutput', {}, { displayName: 'No' });
  flow.connect(chat, 'message', router, 'input_text');
  flow.connect(router, 'true_result', yes, 'input_value');
  flow.connect(router, 'false_result', noPrompt, 'x').connect(noPrompt, 'prompt', no, 'input_value');
  return { flow: flow.build(), chat, router, yes, noPrompt, no };
}

test('If-Else: only the taken branch runs and the other is reported inactivated', async () => {
  const { flow, chat, router, yes, noPrompt, no } = routerFlow();
  const { run, events, order } = await collect({ flow, registry, inputValue: 'YES' });
  assert.equal(run.error, null);
  assert.deepEqual(order, [chat, router, yes]);
  const routerEnd = endVertices(events).find((b) => b.id === router)!;
  assert.deepEqual(routerEnd.inactivated_vertices.sort(), [noPrompt, no].sort());
  assert.deepEqual(routerEnd.next_vertices_ids, [yes]);
  const outputs = run.result!.outputs[0].outputs;
  assert.deepEqual(outputs.map((o) => o.component_id), [yes]);
  assert.equal(textOf(outputs[0].results.message), 'YES');

  const other = await collect({ flow, registry, inputValue: 'nope' });
  assert.deepEqual(other.order, [chat, router, noPrompt, no]);
  assert.equal(textOf(other.run.result!.outputs[0].outputs[0].results.message), 'no: nope');
  assert.deepEqual(endVertices(other.events).find((b) => b.id === router)!.inactivated_vertices, [yes]);
});

/** TextInput "x" -> Prompt "{a}{b}" -> If-Else; false feeds the prompt's b, true goes out. */
function cycleFlow(router: Record<string, unknown>) {
  const flow = new FlowBuilder();
  const text = flow.node('TextInput', { input_value: 'x' });
  const prompt = flow.node('Prompt', { template: '{a}{b}', a: '', b: '' });
  const ifElse = flow.node('ConditionalRouter', { operator: 'equals', ...router });
  const output = flow.node('ChatOutput', {});
  flow.connect(text, 'text', prompt, 'a').connect(prompt, 'prompt', ifElse, 'input_text');
  flow.connect(ifElse, 'false_result', prompt, 'b').connect(ifElse, 'true_result', output, 'input_value');
  return { flow: flow.build(), prompt, ifElse, output };
}

test('If-Else in a cycle: loops while false and leaves when the condition holds', async () => {
  const { flow, prompt, ifElse, output } = cycleFlow({ match_text: 'xxx' });
  const { run, order } = await collect({ flow, registry });
  assert.equal(run.error, null);
  assert.equal(order.filter((id) => id === prompt).length, 3);
  assert.equal(order.filter((id) => id === ifElse).length, 3);
  assert.equal(order.filter((id) => id === output).length, 1);
  assert.equal(textOf(run.result!.outputs[0].outputs[0].results.message), 'xxx');
});

test('If-Else in a cycle: max_iterations sends the run down default_route', async () => {
  const { flow, ifElse, output } = cycleFlow({ match_text: 'never', max_iterations: 3, default_route: 'true_result' });
  const { run, order } = await collect({ flow, registry });
  assert.equal(run.error, null);
  assert.equal(order.filter((id) => id === ifElse).length, 3);
  assert.deepEqual(order.slice(-1), [output]);
  assert.equal(textOf(run.result!.outputs[0].outputs[0].results.message), 'xxx');
});

test('Loop: each item goes through the body, done receives every fed-back result', async () => {
  const flow = new FlowBuilder();
  const text = flow.node('TextInput', { input_value: 'a\nb\nc' });
  const split = flow.node('SplitText', { chunk_size: 1, chunk_overlap: 0, separator: '\\n' });
  const loop = flow.node('LoopComponent', {});
  const parser = flow.node('ParserComponent', { mode: 'Parser', pattern: 'Item: {text}', sep: '\n' });
  const output = flow.node('ChatOutput', {});
  flow.connect(text, 'text', split, 'data_inputs');
  flow.connect(split, 'dataframe', loop, 'data', ['DataFrame']);
  flow.connect(loop, 'item', parser, 'input_data', ['Data']);
  flow.feedback(parser, 'parsed_text', loop, 'item');
  flow.connect(loop, 'done', output, 'input_value', ['DataFrame']);
  const { run, order, events } = await collect({ flow: flow.build(), registry });
  assert.equal(run.error, null);
  assert.equal(order.filter((id) => id === parser).length, 3);
  assert.equal(order.filter((id) => id === loop).length, 4);
  assert.equal(order.filter((id) => id === output).length, 1);
  assert.equal(order.at(-1), output);
  assert.deepEqual(run.vertexResult(loop)!.results.done, [{ text: 'Item: a' }, { text: 'Item: b' }, { text: 'Item: c' }]);
  const firstPass = endVertices(events).find((b) => b.id === loop)!;
  assert.deepEqual(firstPass.inactivated_vertices, [output]);
  assert.match(textOf(run.result!.outputs[0].outputs[0].results.message), /Item: a[\s\S]*Item: b[\s\S]*Item: c/);
});

test('Loop over an empty DataFrame goes straight to done', async () => {
  const flow = new FlowBuilder();
  const hook = flow.node('Webhook', { data: '{"records": []}' });
  const convert = flow.node('TypeConverterComponent', { output_type: 'DataFrame' });
  const loop = flow.node('LoopComponent', {});
  const parser = flow.node('ParserComponent', { pattern: '{text}' });
  flow.connect(hook, 'output_data', convert, 'input_data', ['Data']);
  flow.connect(convert, 'dataframe_output', loop, 'data', ['DataFrame']);
  flow.connect(loop, 'item', parser, 'input_data', ['Data']);
  flow.feedback(parser, 'parsed_text', loop, 'item');
  const output = flow.node('ChatOutput', {});
  flow.connect(loop, 'done', output, 'input_value', ['DataFrame']);
  const { run, order } = await collect({ flow: flow.build(), registry, outputType: 'debug' });
  assert.equal(run.error, null);
  assert.ok(!order.includes(parser));
  assert.equal(order.at(-1), output);
  assert.deepEqual(run.vertexResult(loop)!.results.done, []);
});

test('Condition (DataConditionalRouter) routes Data by a key', async () => {
  const flow = new FlowBuilder();
  const hook = flow.node('Webhook', { data: '{"status": "ok", "n": 1}' });
  const condition = flow.node('DataConditionalRouter', { key_name: 'status', operator: 'equals', compare_value: 'ok' });
  const yes = flow.node('ParserComponent', { pattern: 'yes {n}' });
  const no = flow.node('ParserComponent', { pattern: 'no {n}' });
  flow.connect(hook, 'output_data', condition, 'data_input', ['Data']);
  flow.connect(condition, 'true_output', yes, 'input_data', ['Data']).connect(condition, 'false_output', no, 'input_data', ['Data']);
  const { run, order } = await collect({ flow: flow.build(), registry, outputType: 'debug' });
  assert.equal(run.error, null);
  assert.ok(order.includes(yes) && !order.includes(no));
  assert.equal(textOf(run.vertexResult(yes)!.results.parsed_text), 'yes 1');
});
