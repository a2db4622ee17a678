import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { collect } from '../../test-utils/run-helpers.js';
import { deferred, newProbe, testRegistry } from '../../test-utils/test-components.js';
import { FlowRun } from './run.js';

const registry = testRegistry();

test('layered order: the lone root ChatInput gets a layer of its own, then dependency layers', () => {
  const flow = new FlowBuilder();
  const chat = flow.node('ChatInput', {});
  const text = flow.node('TextInput', { input_value: 'side' });
  const prompt = flow.node('Prompt', { template: '{a} {b}', a: '', b: '' });
  const output = flow.node('ChatOutput', {});
  flow.connect(chat, 'message', prompt, 'a').connect(text, 'text', prompt, 'b').connect(prompt, 'prompt', output, 'input_value');
  const run = new FlowRun({ flow: flow.build(), registry });
  assert.deepEqual(run.scheduler.layers, [[chat], [text], [prompt], [output]]);
});

test('layered order: a diamond puts both branches in one layer', () => {
  const flow = new FlowBuilder();
  const chat = flow.node('ChatInput', {});
  const left = flow.node('TestStep', { suffix: 'L' });
  const right = flow.node('TestStep', { suffix: 'R' });
  const prompt = flow.node('Prompt', { template: '{a}{b}', a: '', b: '' });
  flow.connect(chat, 'message', left, 'input_value').connect(chat, 'message', right, 'input_value');
  flow.connect(left, 'out', prompt, 'a').connect(right, 'out', prompt, 'b');
  const run = new FlowRun({ flow: flow.build(), registry });
  assert.deepEqual(run.scheduler.layers, [[chat], [left, right], [prompt]]);
});

test('independent branches run concurrently: both start before either finishes', { timeout: 10_000 }, async () => {
  const flow = new FlowBuilder();
  const chat = flow.node('ChatInput', {});
  const left = flow.node('TestStep', { suffix: 'L' });
  const right = flow.node('TestStep', { suffix: 'R' });
  const prompt = flow.node('Prompt', { template: '{a}+{b}', a: '', b: '' });
  const output = flow.node('ChatOutput', {});
  flow.connect(chat, 'message', left, 'input_value').connect(chat, 'message', right, 'input_value');
  flow.connect(left, 'out', prompt, 'a').connect(right, 'out', prompt, 'b').connect(prompt, 'prompt', output, 'input_value');
  // Each branch waits until both have started: a sequential runner would never get past the first.
  const bothStarted = deferred();
  const log: string[] = [];
  const probe = newProbe({
    onStart: (id) => {
      log.push(`start ${id}`);
      if (probe.started.length === 2) bothStarted.resolve();
    },
    gate: async (id) => {
      await bothStarted.promise;
      log.push(`end ${id}`);
    },
  });
  const { run } = await collect({ flow: flow.build(), registry, inputValue: 'x', services: { probe } });
  assert.equal(run.error, null);
  assert.deepEqual(log.slice(0, 2).sort(), [`start ${left}`, `start ${right}`].sort());
  assert.deepEqual(log.slice(2).sort(), [`end ${left}`, `end ${right}`].sort());
  assert.equal((run.result!.outputs[0].outputs[0].results.message as { text: string }).text, 'xL+xR');
});

function chainFlow() {
  const flow = new FlowBuilder();
  const chat = flow.node('ChatInput', {});
  const a = flow.node('TestStep', { suffix: 'A' });
  const b = flow.node('TestStep', { suffix: 'B' });
  const output = flow.node('ChatOutput', {});
  const side = flow.node('TestStep', { suffix: 'S' });
  flow.connect(chat, 'message', a, 'input_value').connect(a, 'out', b, 'input_value').connect(b, 'out', output, 'input_value');
  flow.connect(chat, 'message', side, 'input_value');
  return { flow: flow.build(), chat, a, b, output, side };
}

test('stop_component_id runs only that vertex and its ancestors', async () => {
  const { flow, chat, a } = chainFlow();
  const { run, order } = await collect({ flow, registry, inputValue: 'x', stopComponentId: a, services: { probe: newProbe() } });
  assert.equal(run.error, null);
  assert.deepEqual(order, [chat, a]);
  assert.deepEqual([...run.scheduler.runSet].sort(), [chat, a].sort());
});

test('start_component_id runs the vertices reachable from it plus their ancestors', async () => {
  const { flow, chat, a, b, output, side } = chainFlow();
  const { run, order } = await collect({ flow, registry, inputValue: 'x', startComponentId: b, services: { probe: newProbe() } });
  assert.equal(run.error, null);
  assert.deepEqual(order, [chat, a, b, output]);
  assert.ok(!run.scheduler.runSet.has(side));
});

test('start_component_id and stop_component_id together are refused', () => {
  const { flow, a, b } = chainFlow();
  assert.throws(() => new FlowRun({ flow, registry, startComponentId: a, stopComponentId: b }), /only provide one of start_component_id or stop_component_id/);
});

test('a plain cycle runs each of its vertices at most twice', async () => {
  const flow = new FlowBuilder();
  const text = flow.node('TextInput', { input_value: 'x' });
  const first = flow.node('Prompt', { template: '{a}{c}', a: '', c: '' });
  const second = flow.node('Prompt', { template: '{b}!', b: '' });
  flow.connect(text, 'text', first, 'a').connect(first, 'prompt', second, 'b').connect(second, 'prompt', first, 'c');
  const { run, order } = await collect({ flow: flow.build(), registry, outputType: 'debug' });
  assert.equal(run.error, null);
  assert.equal(order.filter((id) => id === first).length, 2);
  assert.equal(order.filter((id) => id === second).length, 2);
  assert.equal(order.filter((id) => id === text).length, 1);
  // first: "x", second: "x!", first again: "xx!", second again: "xx!!"
  assert.equal((run.vertexResult(second)!.results.prompt as { text: string }).text, 'xx!!');
});
