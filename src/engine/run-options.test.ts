import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { collect, textOf } from '../../test-utils/run-helpers.js';
import { testRegistry } from '../../test-utils/test-components.js';
import { FlowRun, runFlow, type RunFlowOptions } from './run.js';

const registry = testRegistry();

function textFlow() {
  const flow = new FlowBuilder();
  const text = flow.node('TextInput', { input_value: 'saved' }, { displayName: 'My Text' });
  const output = flow.node('ChatOutput', {});
  flow.connect(text, 'text', output, 'input_value');
  return { flow: flow.build(), text, output };
}

async function outputText(options: Omit<RunFlowOptions, 'registry'>): Promise<string> {
  const response = await runFlow({ registry, ...options });
  return textOf(response.outputs[0].outputs[0].results.message);
}

test('tweaks: by node id, by display name, and in the order given', async () => {
  const { flow, text } = textFlow();
  assert.equal(await outputText({ flow }), 'saved');
  assert.equal(await outputText({ flow, tweaks: { [text]: { input_value: 'by id' } } }), 'by id');
  assert.equal(await outputText({ flow, tweaks: { 'My Text': { input_value: 'by name' } } }), 'by name');
  assert.equal(await outputText({ flow, tweaks: { 'My Text': { input_value: 'name' }, [text]: { input_value: 'id' } } }), 'id');
  assert.equal(await outputText({ flow, tweaks: { [text]: { input_value: 'id' }, 'My Text': { input_value: 'name' } } }), 'name');
});

test('runs never change the flow they were given: tweaks, input values and load_from_db stay per run', async () => {
  const { flow, text } = textFlow();
  const before = structuredClone(flow);
  await outputText({ flow, tweaks: { [text]: { input_value: 'tweaked', load_from_db: true }, input_value: 'global' } });
  await outputText({ flow, inputValue: 'typed', tweaks: { stream: true } });
  assert.deepEqual(flow, before);
  assert.equal(await outputText({ flow }), 'saved');
});

test('tweaks: a global field applies to every node that has it, after node tweaks', async () => {
  const { flow, text } = textFlow();
  assert.equal(await outputText({ flow, tweaks: { input_value: 'global' } }), 'global');
  assert.equal(await outputText({ flow, tweaks: { [text]: { input_value: 'id' }, input_value: 'global' } }), 'global');
  // A node tweak naming a field the node does not have is ignored.
  assert.equal(await outputText({ flow, tweaks: { [text]: { no_such_field: 1 } } }), 'saved');
});

test('the request input_value overrides a tweak of input_value', async () => {
  const flow = new FlowBuilder();
  const chat = flow.node('ChatInput', { input_value: 'saved' });
  const output = flow.node('ChatOutput', {});
  flow.connect(chat, 'message', output, 'input_value');
  const built = flow.build();
  assert.equal(await outputText({ flow: built, tweaks: { [chat]: { input_value: 'tweak' } } }), 'tweak');
  assert.equal(await outputText({ flow: built, tweaks: { [chat]: { input_value: 'tweak' } }, inputValue: 'request' }), 'request');
});

function outputsFlow() {
  const flow = new FlowBuilder();
  const chat = flow.node('ChatInput', {});
  const prompt = flow.node('Prompt', { template: 'P:{q}', q: '' }, { displayName: 'The Prompt' });
  const chatOut = flow.node('ChatOutput', {});
  const textOut = flow.node('TextOutput', {});
  flow.connect(chat, 'message', prompt, 'q').connect(prompt, 'prompt', chatOut, 'input_value').connect(prompt, 'prompt', textOut, 'input_value');
  return { flow: flow.build(), chat, prompt, chatOut, textOut };
}

test('output selection: output_type chat, text, any and debug', async () => {
  const { flow, chat, prompt, chatOut, textOut } = outputsFlow();
  const ids = async (outputType: RunFlowOptions['outputType']) => {
    const response = await runFlow({ flow, registry, inputValue: 'q', outputType });
    return response.outputs[0].outputs.map((o) => o.component_id).sort();
  };
  assert.deepEqual(await ids('chat'), [chatOut]);
  assert.deepEqual(await ids('text'), [textOut]);
  assert.deepEqual(await ids('any'), [chatOut, textOut].sort());
  assert.deepEqual(await ids('debug'), [chat, prompt, chatOut, textOut].sort());
});

test('output selection: a type no output vertex matches falls back to every built output, as Langflow does', async () => {
  const { flow, output: chatOut } = textFlow();
  const ids = async (options: Partial<RunFlowOptions>) => {
    const response = await runFlow({ flow, registry, ...options });
    return response.outputs[0].outputs.map((o) => o.component_id);
  };
  assert.deepEqual(await ids({ outputType: 'text' }), [chatOut]);
  assert.deepEqual(await ids({ outputType: 'chat' }), [chatOut]);
  // A named output component that does not exist selects nothing (Langflow's list is not empty then).
  assert.deepEqual(await ids({ outputComponent: 'NoSuchComponent' }), []);

  const textOnly = new FlowBuilder();
  const input = textOnly.node('TextInput', { input_value: 'saved' });
  const textOut = textOnly.node('TextOutput', {});
  textOnly.connect(input, 'text', textOut, 'input_value');
  const response = await runFlow({ flow: textOnly.build(), registry, outputType: 'chat' });
  assert.deepEqual(response.outputs[0].outputs.map((o) => o.component_id), [textOut]);
});

test('output selection: output_component by id or display name', async () => {
  const { flow, prompt } = outputsFlow();
  for (const outputComponent of [prompt, 'The Prompt']) {
    const { run } = await collect({ flow, registry, inputValue: 'q', outputComponent });
    const outputs = run.result!.outputs[0].outputs;
    assert.deepEqual(outputs.map((o) => o.component_id), [prompt]);
    assert.equal(textOf(outputs[0].results.prompt), 'P:q');
  }
});

test('transactionInputs: the field values a transaction logs, password fields and nested secrets masked', async () => {
  const flow = new FlowBuilder();
  const text = flow.node('TextInput', { input_value: 'visible-but-a-password' }, { fieldMeta: { input_value: { password: true } } });
  const output = flow.node('ChatOutput', { sender_name: 'Bot', data_template: 'x' });
  flow.connect(text, 'text', output, 'input_value');
  const run = new FlowRun({ flow: flow.build(), registry, tweaks: { [output]: { sender_name: 'Bot' } } });
  for await (const _event of run.events()) {
    // drive the run
  }
  assert.equal(run.transactionInputs(text).input_value, 'visi...word');
  assert.equal(run.transactionInputs(output).sender_name, 'Bot');
  assert.deepEqual(run.transactionInputs('no-such-vertex'), {});
});
