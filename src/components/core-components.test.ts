import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { collect, textOf } from '../../test-utils/run-helpers.js';
import { InMemoryMessageStore } from '../engine/message-store.js';
import { Message } from '../engine/schema/message.js';
import { evaluateCondition } from './flow_controls/conditional-router.js';
import { createRegistry } from './registry.js';
import { splitText } from './shared/text-splitter.js';
import { evaluateArithmetic, formatResult } from './utilities/arithmetic.js';

const registry = createRegistry();

/** Runs a flow and returns the results of vertex `id`. */
async function resultsOf(flow: FlowBuilder, id: string, options: { inputValue?: string; messages?: InMemoryMessageStore } = {}) {
  const { run } = await collect({ flow: flow.build(), registry, outputType: 'debug', inputValue: options.inputValue, sessionId: 's1', services: options.messages ? { messages: options.messages } : {} });
  assert.equal(run.error, null, run.error?.message);
  return run.vertexResult(id)!.results;
}

/** A Webhook feeding `type`.`field` with the JSON payload. */
function fromPayload(payload: unknown, type: string, fields: Record<string, unknown>, field: string, asFrame = false) {
  const flow = new FlowBuilder();
  const hook = flow.node('Webhook', { data: JSON.stringify(payload) });
  const target = flow.node(type, fields);
  if (asFrame) {
    const convert = flow.node('TypeConverterComponent', { output_type: 'DataFrame' });
    flow.connect(hook, 'output_data', convert, 'input_data', ['Data']).connect(convert, 'dataframe_output', target, field, ['DataFrame']);
  } else flow.connect(hook, 'output_data', target, field, ['Data']);
  return { flow, target };
}

test('Calculator: arithmetic with Python semantics and Langflow formatting', () => {
  assert.equal(formatResult(evaluateArithmetic('4*4*(33/22)+12-20')), '16');
  assert.equal(formatResult(evaluateArithmetic('-2**2')), '-4');
  assert.equal(formatResult(evaluateArithmetic('2**3**2')), '512');
  assert.equal(formatResult(evaluateArithmetic('-7 % 3')), '2');
  assert.equal(formatResult(evaluateArithmetic('1/3')), '0.333333');
  assert.equal(formatResult(evaluateArithmetic('2 ** -1')), '0.5');
  assert.equal(formatResult(evaluateArithmetic('1e22')), '10000000000000000000000');
  assert.throws(() => evaluateArithmetic('sqrt(4)'), /Unsupported operation or expression type: Call/);
  assert.throws(() => evaluateArithmetic('1 +'), /invalid syntax/);
});

test('Calculator component: result, division by zero and invalid input as Data', async () => {
  for (const [expression, expected] of [
    ['(1+2)*3', { result: '9' }],
    ['1/0', { error: 'Error: Division by zero', input: '1/0' }],
    ['abc', { error: 'Invalid expression: Unsupported operation or expression type: Name', input: 'abc' }],
  ] as const) {
    const flow = new FlowBuilder();
    const calc = flow.node('CalculatorComponent', { expression });
    const results = await resultsOf(flow, calc);
    assert.deepEqual((results.result as { data: unknown }).data, expected);
  }
});

test('Webhook: JSON body, empty body, invalid JSON, escaped newline', async () => {
  const cases: [string, unknown][] = [
    ['{"a": 1}', { a: 1 }],
    ['', {}],
    ['not json', { payload: 'not json' }],
    ['{"a": "\n"}', { a: '\n' }],
  ];
  for (const [body, expected] of cases) {
    const flow = new FlowBuilder();
    const hook = flow.node('Webhook', { data: body });
    assert.deepEqual(((await resultsOf(flow, hook)).output_data as { data: unknown }).data, expected);
  }
});

test('SplitText splitter: merges pieces up to chunk_size with overlap, like CharacterTextSplitter', () => {
  const options = { chunkSize: 10, chunkOverlap: 4, separator: ' ', keepSeparator: false };
  assert.deepEqual(splitText('one two three four five', options), ['one two', 'two three', 'four five']);
  assert.deepEqual(splitText('a\nb\nc', { ...options, separator: '\n', chunkSize: 1, chunkOverlap: 0 }), ['a', 'b', 'c']);
  assert.deepEqual(splitText('a.b.c', { chunkSize: 2, chunkOverlap: 0, separator: '.', keepSeparator: 'End' }), ['a', '.b', '.c']);
  assert.deepEqual(splitText('a.b.c', { chunkSize: 2, chunkOverlap: 0, separator: '.', keepSeparator: 'end' }), ['a.', 'b.', 'c']);
  assert.throws(() => splitText('x', { ...options, chunkOverlap: 20 }), /larger chunk overlap/);
});

test('SplitText component: rows carry the chunk text and the input metadata', async () => {
  const { flow, target } = fromPayload({ text: 'aa bb cc', source: 'doc1' }, 'SplitText', { chunk_size: 5, chunk_overlap: 0, separator: ' ' }, 'data_inputs');
  assert.deepEqual((await resultsOf(flow, target)).dataframe, [
    { source: 'doc1', text: 'aa bb' },
    { source: 'doc1', text: 'cc' },
  ]);
});

test('Parser: template per DataFrame row, per Data, and Stringify', async () => {
  const rows = { records: [{ name: 'Ann', age: 30 }, { name: 'Bo', age: 4 }] };
  const frame = fromPayload(rows, 'ParserComponent', { mode: 'Parser', pattern: '{name} is {age}', sep: '; ' }, 'input_data', true);
  assert.equal(textOf((await resultsOf(frame.flow, frame.target)).parsed_text), 'Ann is 30; Bo is 4');
  const data = fromPayload({ name: 'Ann' }, 'ParserComponent', { mode: 'Parser', pattern: '{name}/{missing}' }, 'input_data');
  assert.equal(textOf((await resultsOf(data.flow, data.target)).parsed_text), 'Ann/');
  const stringify = fromPayload({ a: 1 }, 'ParserComponent', { mode: 'Stringify' }, 'input_data');
  assert.equal(textOf((await resultsOf(stringify.flow, stringify.target)).parsed_text), '```json\n{\n    "a": 1\n}\n```');
});

test('TypeConverter: Message to Data/DataFrame with auto parse; Data to Message', async () => {
  const flow = new FlowBuilder();
  const text = flow.node('TextInput', { input_value: '[{"x": 1}, {"x": 2}]' });
  const convert = flow.node('TypeConverterComponent', { auto_parse: true });
  flow.connect(text, 'text', convert, 'input_data');
  const results = await resultsOf(flow, convert);
  assert.equal(textOf(results.message_output), '[{"x": 1}, {"x": 2}]');
  assert.deepEqual((results.data_output as { data: unknown }).data, { records: [{ x: 1 }, { x: 2 }] });
  assert.deepEqual(results.dataframe_output, [{ x: 1 }, { x: 2 }]);
  const data = fromPayload({ a: 'b' }, 'TypeConverterComponent', {}, 'input_data');
  assert.equal(textOf((await resultsOf(data.flow, data.target)).message_output), "{'a': 'b'}");
});

test('CombineText and Pass', async () => {
  const flow = new FlowBuilder();
  const text = flow.node('TextInput', { input_value: 'hello' });
  const combine = flow.node('CombineText', { text2: 'world', delimiter: ', ' });
  const pass = flow.node('Pass', {});
  flow.connect(text, 'text', combine, 'text1').connect(combine, 'combined_text', pass, 'input_message');
  assert.equal(textOf((await resultsOf(flow, pass)).output_message), 'hello, world');
});

test('DataOperations: select, remove, rename, append, filter values', async () => {
  const payload = { a: 1, b: { a: 2, c: 3 }, items: [{ k: 'x1' }, { k: 'y2' }] };
  const run = async (fields: Record<string, unknown>) => {
    const { flow, target } = fromPayload(payload, 'DataOperations', fields, 'data');
    return ((await resultsOf(flow, target)).data_output as { data: unknown }).data;
  };
  assert.deepEqual(await run({ operations: [{ name: 'Select Keys' }], select_keys_input: ['a'] }), { a: 1 });
  assert.deepEqual(await run({ operations: [{ name: 'Remove Keys' }], remove_keys_input: ['a'] }), { b: { c: 3 }, items: [{ k: 'x1' }, { k: 'y2' }] });
  assert.deepEqual(await run({ operations: [{ name: 'Rename Keys' }], rename_keys_input: { a: 'z' } }), { z: 1, b: { z: 2, c: 3 }, items: [{ k: 'x1' }, { k: 'y2' }] });
  assert.deepEqual(await run({ operations: [{ name: 'Append or Update' }], append_update_data: { a: 5, d: 6 } }), { ...payload, a: 5, d: 6 });
  assert.deepEqual(await run({ operations: [{ name: 'Filter Values' }], filter_key: ['items'], operator: 'starts with', filter_values: { k: 'y' } }), { ...payload, items: [{ k: 'y2' }] });
  assert.deepEqual(await run({ operations: [] }), {});
});

test('DataFrameOperations: filter, sort, drop, rename, head, tail, drop duplicates', async () => {
  const rows = { records: [{ n: 'b', v: 2 }, { n: 'a', v: 10 }, { n: 'b', v: 3 }] };
  const run = async (fields: Record<string, unknown>) => {
    const { flow, target } = fromPayload(rows, 'DataFrameOperations', fields, 'df', true);
    return (await resultsOf(flow, target)).output;
  };
  assert.deepEqual(await run({ operation: [{ name: 'Filter' }], column_name: 'v', filter_operator: 'greater than', filter_value: '2' }), [{ n: 'a', v: 10 }, { n: 'b', v: 3 }]);
  assert.deepEqual(await run({ operation: [{ name: 'Filter' }], column_name: 'v', filter_value: '10' }), [{ n: 'a', v: 10 }]);
  assert.deepEqual(await run({ operation: [{ name: 'Sort' }], column_name: 'v', ascending: false }), [{ n: 'a', v: 10 }, { n: 'b', v: 3 }, { n: 'b', v: 2 }]);
  assert.deepEqual(await run({ operation: [{ name: 'Drop Column' }], column_name: 'v' }), [{ n: 'b' }, { n: 'a' }, { n: 'b' }]);
  assert.deepEqual(await run({ operation: [{ name: 'Rename Column' }], column_name: 'n', new_column_name: 'name' }), [{ name: 'b', v: 2 }, { name: 'a', v: 10 }, { name: 'b', v: 3 }]);
  assert.deepEqual(await run({ operation: [{ name: 'Head' }], num_rows: 1 }), [{ n: 'b', v: 2 }]);
  assert.deepEqual(await run({ operation: [{ name: 'Tail' }], num_rows: 1 }), [{ n: 'b', v: 3 }]);
  assert.deepEqual(await run({ operation: [{ name: 'Drop Duplicates' }], column_name: 'n' }), [{ n: 'b', v: 2 }, { n: 'a', v: 10 }]);
});

test('Message History: retrieves the session history as text and DataFrame; stores in Store mode', async () => {
  const messages = new InMemoryMessageStore();
  const flowId = '00000000-0000-4000-8000-000000000001'; // FlowBuilder's default id
  await messages.add(new Message({ text: 'hi', sender: 'User', sender_name: 'User', session_id: 's1', flow_id: flowId }));
  await messages.add(new Message({ text: 'hello', sender: 'Machine', sender_name: 'AI', session_id: 's1', flow_id: flowId }));
  await messages.add(new Message({ text: 'elsewhere', sender: 'User', sender_name: 'User', session_id: 's2', flow_id: flowId }));
  // Another flow's message in the same session is not this flow's history.
  await messages.add(new Message({ text: 'other flow', sender: 'User', sender_name: 'User', session_id: 's1', flow_id: '00000000-0000-4000-8000-0000000000ff' }));
  const flow = new FlowBuilder();
  const memory = flow.node('Memory', { mode: 'Retrieve' });
  const results = await resultsOf(flow, memory, { messages });
  assert.equal(textOf(results.messages_text), 'User: hi\nAI: hello');
  assert.deepEqual((results.dataframe as { text: string }[]).map((r) => r.text), ['hi', 'hello']);

  const machineOnly = new FlowBuilder();
  const filtered = machineOnly.node('Memory', { sender_type: 'Machine', n_messages: 1 });
  assert.equal(textOf((await resultsOf(machineOnly, filtered, { messages })).messages_text), 'AI: hello');

  const store = new FlowBuilder();
  const text = store.node('TextInput', { input_value: 'remember me' });
  const storing = store.node('Memory', { mode: 'Store' }, { outputs: ['stored_messages'] });
  store.connect(text, 'text', storing, 'message');
  const stored = await resultsOf(store, storing, { messages });
  assert.equal(textOf(stored.stored_messages), 'remember me');
  assert.deepEqual((await messages.list({ sessionId: 's1', flowId })).map((m) => [m.sender, m.text]).at(-1), ['Machine', 'remember me']);
});

test('If-Else operators', () => {
  assert.equal(evaluateCondition('Hello', 'hello', 'equals', false), true);
  assert.equal(evaluateCondition('Hello', 'hello', 'equals', true), false);
  assert.equal(evaluateCondition('abc', 'b', 'contains', true), true);
  assert.equal(evaluateCondition('abc', 'ab', 'starts with', true), true);
  assert.equal(evaluateCondition('abc', 'bc', 'ends with', true), true);
  assert.equal(evaluateCondition('abc', 'b', 'regex', true), false, 're.match anchors at the start');
  assert.equal(evaluateCondition('abc', 'a.c', 'regex', true), true);
  assert.equal(evaluateCondition('10', '9', 'greater than', true), true);
  assert.equal(evaluateCondition('10', '10', 'less than or equal', true), true);
  assert.equal(evaluateCondition('ten', '9', 'greater than', true), false);
  assert.equal(evaluateCondition('a', 'b', 'not equals', true), true);
});

test('CurrentDate and IDGenerator', async () => {
  const flow = new FlowBuilder();
  const date = flow.node('CurrentDate', { timezone: 'UTC' });
  const id = flow.node('IDGenerator', { unique_id: '' });
  const { run } = await collect({ flow: flow.build(), registry, outputType: 'debug' });
  assert.match(textOf(run.vertexResult(date)!.results.current_date), /^Current date and time in UTC: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
  assert.match(textOf(run.vertexResult(id)!.results.id), /^[0-9a-f-]{36}$/);
});
