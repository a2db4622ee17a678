import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { collect, endVertices, textOf } from '../../test-utils/run-helpers.js';
import { deferred, newProbe, testRegistry } from '../../test-utils/test-components.js';
import type { FlowJson } from './flow-json.js';
import { MissingComponentsError } from './graph.js';
import type { BuildRecord } from './results.js';
import { ComponentError, type FrozenCache } from './runner.js';
import { FlowRun, runFlow } from './run.js';

const registry = testRegistry();

class MapCache implements FrozenCache {
  readonly entries = new Map<string, BuildRecord>();
  get(key: string) {
    return this.entries.get(key);
  }
  set(key: string, build: BuildRecord) {
    this.entries.set(key, build);
  }
}

test('a frozen vertex reuses its cached result on the next run', async () => {
  const flow = new FlowBuilder();
  const chat = flow.node('ChatInput', {});
  const frozen = flow.node('TestStep', { suffix: '!' }, { frozen: true });
  const output = flow.node('ChatOutput', {});
  flow.connect(chat, 'message', frozen, 'input_value').connect(frozen, 'out', output, 'input_value');
  const built = flow.build();
  const frozenCache = new MapCache();

  const firstProbe = newProbe();
  const first = await collect({ flow: built, registry, inputValue: 'first', frozenCache, services: { probe: firstProbe } });
  assert.deepEqual(firstProbe.started, [frozen]);
  assert.equal(endVertices(first.events).find((b) => b.id === frozen)!.data.used_frozen_result, false);

  const secondProbe = newProbe();
  const second = await collect({ flow: built, registry, inputValue: 'second', frozenCache, services: { probe: secondProbe } });
  assert.deepEqual(secondProbe.started, []);
  assert.equal(endVertices(second.events).find((b) => b.id === frozen)!.data.used_frozen_result, true);
  assert.equal(second.run.vertexResult(frozen)!.used_frozen_result, true);
  assert.equal(textOf(second.run.result!.outputs[0].outputs[0].results.message), 'first!');
});

function chain(types: string[]) {
  const flow = new FlowBuilder();
  const ids = [flow.node('ChatInput', {})];
  for (const type of types) {
    const id = flow.node(type, {});
    flow.connect(ids.at(-1)!, ids.length === 1 ? 'message' : 'out', id, 'input_value');
    ids.push(id);
  }
  const output = flow.node('ChatOutput', {});
  flow.connect(ids.at(-1)!, 'out', output, 'input_value');
  return { flow: flow.build(), ids, output };
}

test('cancelling between components: nothing downstream runs and the run ends cancelled', { timeout: 10_000 }, async () => {
  const { flow, ids, output } = chain(['TestStep', 'TestStep']);
  const [, first, second] = ids;
  const controller = new AbortController();
  const never = new Promise<void>(() => undefined);
  // The first step finishes; the second would wait for ever: cancelling must end the run.
  const probe = newProbe({ gate: (id) => (id === second ? never : undefined) });
  const run = new FlowRun({ flow, registry, inputValue: 'x', signal: controller.signal, services: { probe } });
  const seen: string[] = [];
  for await (const event of run.events()) {
    seen.push(event.event);
    if (event.event === 'end_vertex' && (event.data as { build_data: { id: string } }).build_data.id === first) controller.abort();
  }
  assert.equal(seen.at(-1), 'error');
  assert.match(run.error!.message, /cancelled/);
  assert.ok(probe.finished.includes(first));
  assert.ok(!probe.finished.includes(second));
  assert.ok(!run.builtVertices().includes(output));
});

test('cancelling inside a long component: it sees ctx.signal abort and the run stops', { timeout: 10_000 }, async () => {
  const { flow, ids, output } = chain(['TestWaitForAbort']);
  const waiting = ids[1];
  const controller = new AbortController();
  const started = deferred();
  const probe = newProbe({ onStart: () => started.resolve() });
  const running = collect({ flow, registry, inputValue: 'x', signal: controller.signal, services: { probe } });
  await started.promise;
  controller.abort();
  const { run, events } = await running;
  assert.deepEqual(probe.started, [waiting]);
  assert.deepEqual(probe.finished, [`${waiting}:aborted`]);
  const last = events.at(-1)!;
  assert.equal(last.event, 'error');
  assert.equal((last.data as { cancelled: boolean }).cancelled, true);
  assert.ok(!run.builtVertices().includes(waiting));
  assert.ok(!run.builtVertices().includes(output));
});

test('a failing component fails the run, naming the component; its end_vertex is invalid', async () => {
  const flow = new FlowBuilder();
  const chat = flow.node('ChatInput', {});
  const failing = flow.node('TestFail', { reason: 'boom' }, { displayName: 'Exploder' });
  const output = flow.node('ChatOutput', {});
  flow.connect(chat, 'message', failing, 'input_value').connect(failing, 'out', output, 'input_value');
  const built = flow.build();
  const { run, events } = await collect({ flow: built, registry, inputValue: 'x' });
  assert.equal(run.error!.message, 'Error building Component Exploder: boom');
  const failed = endVertices(events).find((b) => b.id === failing)!;
  assert.equal(failed.valid, false);
  assert.equal(failed.params, 'Error building Component Exploder: boom');
  const last = events.at(-1)!;
  assert.equal(last.event, 'error');
  assert.equal((last.data as { component_id: string }).component_id, failing);
  assert.ok(!run.builtVertices().includes(output));
  await assert.rejects(runFlow({ flow: built, registry, inputValue: 'x' }), (error: unknown) => error instanceof ComponentError && error.vertexId === failing);
});

function loadError(flow: FlowJson): Error {
  try {
    new FlowRun({ flow, registry });
  } catch (error) {
    return error as Error;
  }
  assert.fail('the flow loaded');
}

test('load errors name the node: unknown type', () => {
  const flow = new FlowBuilder();
  const chat = flow.node('ChatInput', {});
  const odd = flow.node('NoSuchComponent', {});
  flow.connect(chat, 'message', odd, 'input_value');
  const error = loadError(flow.build());
  assert.ok(error instanceof MissingComponentsError);
  assert.deepEqual(error.missing, [{ nodeId: odd, type: 'NoSuchComponent' }]);
  assert.match(error.message, new RegExp(odd));
});

test('load errors name the node: edge to a missing node, edge to a missing field', () => {
  const missingNode = new FlowBuilder();
  const chat = missingNode.node('ChatInput', {});
  missingNode.connect(chat, 'message', 'ChatOutput-ghost', 'input_value');
  assert.match(loadError(missingNode.build()).message, /ChatOutput-ghost does not exist/);

  const missingField = new FlowBuilder();
  const input = missingField.node('ChatInput', {});
  const output = missingField.node('ChatOutput', {});
  missingField.connect(input, 'message', output, 'no_such_field');
  const error = loadError(missingField.build());
  assert.match(error.message, new RegExp(`Node ${output} \\(ChatOutput\\) has no input field "no_such_field"`));
});

test('load errors name the node: an edge whose types do not match', () => {
  const flow = new FlowBuilder();
  const text = flow.node('TextInput', {});
  const split = flow.node('SplitText', {});
  const output = flow.node('TextOutput', {});
  flow.connect(text, 'text', split, 'data_inputs');
  const built = flow.build();
  built.data!.edges.push({
    id: 'mismatch',
    source: split,
    target: output,
    data: {
      sourceHandle: { dataType: 'SplitText', id: split, name: 'dataframe', output_types: ['DataFrame'] },
      targetHandle: { fieldName: 'input_value', id: output, inputTypes: ['Message'], type: 'str' },
    },
  });
  assert.match(loadError(built).message, new RegExp(`Node ${output} \\(TextOutput\\): field "input_value" accepts Message\\S* but ${split} output "dataframe" gives DataFrame`));
});

test('load errors name the node: two chat inputs', () => {
  const flow = new FlowBuilder();
  const first = flow.node('ChatInput', {});
  const second = flow.node('ChatInput', {});
  const prompt = flow.node('Prompt', { template: '{a}{b}', a: '', b: '' });
  flow.connect(first, 'message', prompt, 'a').connect(second, 'message', prompt, 'b');
  const error = loadError(flow.build());
  assert.match(error.message, /Only one chat input is allowed/);
  assert.match(error.message, new RegExp(second));
});
