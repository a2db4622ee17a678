import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRegistry } from '../../src/components/registry';
import { componentPalette } from '../../src/api/palette';
import { loadGraph } from '../../src/engine/graph';
import type { NodeBody, SavedFlowData } from '../src/editor/flow-types';
import { edgeEnds, handleId } from '../src/editor/handles';
import { createFlowStore } from '../src/editor/store';
import { nodeOfType, starter, starters, startersSkip } from './fixtures';

const palette = componentPalette(createRegistry().all()) as Record<string, Record<string, NodeBody>>;
const component = (name: string): NodeBody => {
  for (const group of Object.values(palette)) if (group[name]) return structuredClone(group[name]);
  throw new Error(`no component ${name}`);
};
const newNode = (id: string, type: string, x = 0) => ({ id, type: 'genericNode', position: { x, y: 0 }, data: { id, type, node: component(type) } });

describe('flow store: Langflow JSON in, the same JSON out', startersSkip, () => {
  it('gives back every starter project exactly as loaded', () => {
    for (const { file, data } of starters()) {
      const store = createFlowStore();
      store.getState().load('f', structuredClone(data));
      assert.deepEqual(store.getState().saved(), data, file);
      assert.equal(store.getState().broken.length, 0, file);
    }
  });

  it('draws every node and every edge of the starters', () => {
    for (const { file, data } of starters()) {
      const store = createFlowStore();
      store.getState().load('f', structuredClone(data));
      assert.equal(store.getState().nodes.length, data.nodes.length, file);
      assert.equal(store.getState().edges.length, data.edges.length, file);
    }
  });

  it('keeps unknown keys and component types through edits', () => {
    const data = structuredClone(starter('Basic Prompting')) as SavedFlowData & Record<string, unknown>;
    data.future_key = { kept: true };
    const model = nodeOfType(data, 'LanguageModelComponent');
    model.future_node_key = [1, 2];
    (model.data.node as Record<string, unknown>).future_body_key = 'x';
    data.edges[0].future_edge_key = 'y';
    const alien = { id: 'AstraDB-q1w2e', type: 'vectorStoreNode', position: { x: 9, y: 9 }, width: 320, data: { id: 'AstraDB-q1w2e', type: 'AstraDB', node: { template: { token: { type: 'str', value: 't' } } } } };
    data.nodes.push(alien);
    const store = createFlowStore();
    store.getState().load('f', structuredClone(data));
    assert.equal(store.getState().nodes.find((n) => n.id === alien.id)?.type, 'unknownNode');
    store.getState().setField(model.id, 'temperature', { value: 0.7 });
    store.getState().onNodesChange([{ type: 'position', id: model.id, position: { x: 5, y: 6 }, dragging: false }]);
    const saved = store.getState().saved() as SavedFlowData & Record<string, unknown>;
    assert.deepEqual(saved.future_key, { kept: true });
    const savedModel = saved.nodes.find((n) => n.id === model.id)!;
    assert.deepEqual(savedModel.future_node_key, [1, 2]);
    assert.equal((savedModel.data.node as Record<string, unknown>).future_body_key, 'x');
    assert.equal((savedModel.data.node!.template!.temperature as { value: unknown }).value, 0.7);
    assert.deepEqual(savedModel.position, { x: 5, y: 6 });
    assert.equal(saved.edges[0].future_edge_key, 'y');
    assert.deepEqual(saved.nodes.find((n) => n.id === alien.id), alien);
  });

  it('keeps an edge to a missing node untouched and reports it', () => {
    const data = structuredClone(starter('Basic Prompting'));
    data.edges.push({ id: 'dangling', source: 'Gone-12345', target: data.nodes[0].id, sourceHandle: 'x', targetHandle: 'y' });
    const store = createFlowStore();
    store.getState().load('f', data);
    assert.equal(store.getState().broken.length, 1);
    assert.match(store.getState().broken[0].reason, /Gone-12345/);
    assert.ok(store.getState().saved().edges.some((e) => e.id === 'dangling'));
    store.getState().dropBrokenEdges();
    assert.ok(!store.getState().saved().edges.some((e) => e.id === 'dangling'));
  });
});

describe('flow store: editing', () => {
  it('connects Chat Input → Prompt → Chat Output into a flow the engine loads', () => {
    const store = createFlowStore();
    store.getState().load('f', { nodes: [], edges: [] });
    const prompt = newNode('Prompt-a1b2c', 'Prompt Template', 300);
    const template = prompt.data.node.template as Record<string, Record<string, unknown>>;
    template.question = { type: 'str', input_types: ['Message'], show: true, value: '', display_name: 'question' };
    store.getState().addNodes([newNode('ChatInput-a1b2c', 'ChatInput'), prompt, newNode('ChatOutput-a1b2c', 'ChatOutput', 600)]);
    const first = store.getState().connect({ source: 'ChatInput-a1b2c', sourceHandle: handleId.output('message'), target: 'Prompt-a1b2c', targetHandle: handleId.field('question') });
    const second = store.getState().connect({ source: 'Prompt-a1b2c', sourceHandle: handleId.output('prompt'), target: 'ChatOutput-a1b2c', targetHandle: handleId.field('input_value') });
    assert.equal(first.ok, true, first.ok ? '' : first.reason);
    assert.equal(second.ok, true, second.ok ? '' : second.reason);
    const saved = store.getState().saved();
    assert.equal(saved.edges.length, 2);
    for (const edge of saved.edges) {
      assert.match(String(edge.sourceHandle), /^\{œdataTypeœ:œ/);
      assert.equal(edgeEnds(edge)?.source.id, edge.source);
    }
    const graph = loadGraph(saved as never, createRegistry());
    assert.equal(graph.vertices.size, 3);
  });

  it('refuses an incompatible connection and leaves the flow as it was', () => {
    const store = createFlowStore();
    store.getState().load('f', { nodes: [newNode('ChatInput-a', 'ChatInput'), newNode('Agent-b', 'Agent', 300)], edges: [] });
    const revision = store.getState().revision;
    const result = store.getState().connect({ source: 'ChatInput-a', sourceHandle: handleId.output('message'), target: 'Agent-b', targetHandle: handleId.field('tools') });
    assert.equal(result.ok, false);
    assert.equal(store.getState().edges.length, 0);
    assert.equal(store.getState().revision, revision);
  });

  it('counts measuring and selecting as no change; a drag is one undo step saved at its end', () => {
    const store = createFlowStore();
    store.getState().load('f', { nodes: [newNode('ChatInput-a', 'ChatInput')], edges: [] });
    store.getState().onNodesChange([{ type: 'dimensions', id: 'ChatInput-a', dimensions: { width: 300, height: 200 } }, { type: 'select', id: 'ChatInput-a', selected: true }]);
    assert.equal(store.getState().revision, 0);
    for (let x = 1; x <= 5; x++) store.getState().onNodesChange([{ type: 'position', id: 'ChatInput-a', position: { x, y: 0 }, dragging: true }]);
    assert.equal(store.getState().revision, 0, 'not saved mid-drag');
    store.getState().onNodesChange([{ type: 'position', id: 'ChatInput-a', position: { x: 5, y: 0 }, dragging: false }]);
    assert.equal(store.getState().revision, 1);
    store.getState().undo();
    assert.deepEqual(store.getState().nodes[0].position, { x: 0, y: 0 });
    assert.equal(store.getState().canUndo, false);
  });

  it('deletes the selection with its edges in one step, undone in one step', startersSkip, () => {
    const data = structuredClone(starter('Basic Prompting'));
    const store = createFlowStore();
    store.getState().load('f', data);
    const model = nodeOfType(data, 'LanguageModelComponent');
    store.getState().onNodesChange(store.getState().nodes.map((n) => ({ type: 'select' as const, id: n.id, selected: n.id === model.id })));
    assert.equal(store.getState().deleteSelection(), true);
    assert.equal(store.getState().nodes.length, data.nodes.length - 1);
    assert.equal(store.getState().edges.length, 0, 'all three edges touch the model');
    store.getState().undo();
    assert.equal(store.getState().nodes.length, data.nodes.length);
    assert.equal(store.getState().edges.length, 3);
    store.getState().redo();
    assert.equal(store.getState().edges.length, 0);
  });

  it('pastes a copy with new ids, edges following them, into another flow', startersSkip, () => {
    const source = createFlowStore();
    source.getState().load('a', structuredClone(starter('Basic Prompting')));
    for (const node of source.getState().nodes) source.getState().onNodesChange([{ type: 'select', id: node.id, selected: node.data.type === 'ChatInput' || node.data.type === 'LanguageModelComponent' }]);
    const payload = source.getState().copy()!;
    assert.equal(payload.nodes.length, 2);
    assert.equal(payload.edges.length, 1);
    const target = createFlowStore();
    target.getState().load('b', { nodes: [], edges: [] });
    target.getState().paste(JSON.parse(JSON.stringify(payload)), { x: 100, y: 100 });
    const { nodes } = target.getState();
    assert.equal(nodes.length, 2);
    assert.ok(nodes.every((n) => !payload.nodes.some((p) => p.id === n.id) && n.data.id === n.id && /^[A-Za-z]+-[A-Za-z0-9]{5}$/.test(n.id)));
    assert.equal(Math.min(...nodes.map((n) => n.position.x)), 100);
    const saved = target.getState().saved().edges[0];
    const ends = edgeEnds(saved)!;
    assert.equal(ends.source.id, saved.source);
    assert.equal(ends.target.id, saved.target);
    assert.ok(nodes.some((n) => n.id === saved.source) && nodes.some((n) => n.id === saved.target));
    assert.ok(String(saved.sourceHandle).includes(saved.source));
    target.getState().duplicate();
    assert.equal(target.getState().nodes.length, 4);
    assert.equal(target.getState().edges.length, 2);
  });

  it('undoes 60 edits one by one and redoes them', () => {
    const store = createFlowStore();
    store.getState().load('f', { nodes: [newNode('ChatInput-a', 'ChatInput'), newNode('ChatOutput-b', 'ChatOutput')], edges: [] });
    const value = () => (store.getState().nodes[0].data.node!.template!.input_value as { value: unknown }).value;
    for (let i = 1; i <= 30; i++) {
      store.getState().setField('ChatInput-a', 'input_value', { value: `v${i}` });
      store.getState().setField('ChatOutput-b', 'input_value', { value: `w${i}` }); // another field: no coalescing
    }
    for (let i = 0; i < 59; i++) store.getState().undo();
    assert.equal(value(), 'v1');
    store.getState().undo();
    assert.equal(value(), '');
    for (let i = 0; i < 60; i++) store.getState().redo();
    assert.equal(value(), 'v30');
    assert.equal(store.getState().canRedo, false);
  });
});
