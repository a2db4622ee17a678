import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyBuildEvent, IDLE, outputView, splitEvents, type BuildEvent, type RunState } from '../src/editor/run-state';

const fold = (events: BuildEvent[]): RunState => events.reduce(applyBuildEvent, IDLE);
const endVertex = (id: string, valid: boolean, data: Record<string, unknown>, extra: Record<string, unknown> = {}): BuildEvent => ({
  event: 'end_vertex',
  data: { build_data: { id, valid, params: valid ? '' : 'boom', data, inactivated_vertices: [], next_vertices_ids: [], ...extra } },
});

describe('run state from the build events', () => {
  it('shows the first layer running and the rest queued, then each vertex the stream says starts next', () => {
    const sorted = fold([{ event: 'vertices_sorted', data: { ids: ['ChatInput-1'], to_run: ['ChatInput-1', 'Prompt-1', 'ChatOutput-1'] } }]);
    assert.deepEqual(sorted.nodes, { 'ChatInput-1': { status: 'running' }, 'Prompt-1': { status: 'queued' }, 'ChatOutput-1': { status: 'queued' } });
    const next = applyBuildEvent(sorted, endVertex('ChatInput-1', true, {}, { next_vertices_ids: ['Prompt-1'] }));
    assert.equal(next.nodes['Prompt-1'].status, 'running');
    assert.equal(next.nodes['ChatOutput-1'].status, 'queued');
  });

  it('queues what will run, then shows running, done with its duration, and the outputs', () => {
    const state = fold([
      { event: 'vertices_sorted', data: { ids: ['ChatInput-1'], to_run: ['ChatInput-1', 'Prompt-1', 'ChatOutput-1'] } },
      { event: 'build_start', data: { id: 'ChatInput-1' } },
      endVertex('ChatInput-1', true, { duration: '12 ms', outputs: { message: { message: 'hi', type: 'text' } } }),
      { event: 'build_start', data: { id: 'Prompt-1' } },
    ]);
    assert.equal(state.status, 'running');
    assert.deepEqual(state.nodes['ChatInput-1'], { status: 'done', duration: '12 ms', outputs: { message: { message: 'hi', type: 'text' } } });
    assert.equal(state.nodes['Prompt-1'].status, 'running');
    assert.equal(state.nodes['ChatOutput-1'].status, 'queued');
    const ended = applyBuildEvent(state, { event: 'end', data: {} });
    assert.equal(ended.status, 'done');
    assert.equal(ended.nodes['ChatOutput-1'].status, 'inactive', 'what never ran is not left queued');
  });

  it('shows a failing component as failed with its error, and the run as failed', () => {
    const state = fold([
      { event: 'vertices_sorted', data: { ids: ['A'], to_run: ['A', 'B'] } },
      endVertex('A', false, { duration: '1 ms', outputs: { out: { message: { errorMessage: 'Invalid expression', stackTrace: '' }, type: 'error' } } }),
      { event: 'error', data: { text: 'Error building Component Calculator: Invalid expression', component_id: 'A', error: true } },
    ]);
    assert.equal(state.status, 'failed');
    assert.equal(state.error, 'Error building Component Calculator: Invalid expression');
    assert.equal(state.nodes.A.status, 'failed');
    assert.equal(state.nodes.A.error, 'Invalid expression');
    assert.equal(state.nodes.B.status, 'inactive');
  });

  it('names the component an error event points at even without its end_vertex', () => {
    const state = fold([{ event: 'vertices_sorted', data: { ids: ['A'], to_run: ['A'] } }, { event: 'error', data: { text: 'No API key', component_id: 'A' } }]);
    assert.deepEqual(state.nodes.A, { status: 'failed', error: 'No API key' });
  });

  it('marks a cancelled run as stopped, not failed', () => {
    const state = fold([{ event: 'vertices_sorted', data: { ids: ['A'], to_run: ['A'] } }, { event: 'error', data: { error: 'The run was cancelled', cancelled: true } }]);
    assert.equal(state.status, 'cancelled');
    assert.equal(state.error, undefined);
  });

  it('marks inactivated branches as skipped', () => {
    const state = fold([endVertex('If-1', true, {}, { inactivated_vertices: ['False-branch'] })]);
    assert.equal(state.nodes['False-branch'].status, 'inactive');
  });

  it('splits an NDJSON stream across chunk boundaries, skipping blank and foreign lines', () => {
    const first = splitEvents('{"event": "build_start", "data": {"id": "A"}}\n\n{"event": "end_ver');
    assert.deepEqual(first.events, [{ event: 'build_start', data: { id: 'A' } }]);
    const second = splitEvents(`${first.rest}tex", "data": {}}\n\n: keep-alive\n`);
    assert.deepEqual(second.events, [{ event: 'end_vertex', data: {} }]);
    assert.equal(second.rest, '');
  });

  it('shows text as text, rows as a table, anything else as JSON', () => {
    assert.deepEqual(outputView({ message: 'hello', type: 'text' }), { kind: 'text', text: 'hello' });
    assert.deepEqual(outputView({ message: [{ a: 1 }, { b: 2 }], type: 'array' }), { kind: 'table', columns: ['a', 'b'], rows: [{ a: 1 }, { b: 2 }] });
    assert.equal(outputView({ message: { x: [1] }, type: 'object' }).kind, 'json');
  });
});
