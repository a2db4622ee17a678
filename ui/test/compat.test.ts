import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRegistry } from '../../src/components/registry';
import { componentPalette } from '../../src/api/palette';
import { loadGraph } from '../../src/engine/graph';
import { checkConnection, fieldHasHandle, outputTypes, type EdgeRef } from '../src/editor/compat';
import type { NodeBody, SavedNode, TemplateField } from '../src/editor/flow-types';
import { handleId } from '../src/editor/handles';
import { nodeOfType, starter, starters, startersSkip } from './fixtures';

function lookup(...nodes: SavedNode[]) {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  return (id: string) => byId.get(id);
}

function node(id: string, type: string, body: NodeBody): SavedNode {
  return { id, type: 'genericNode', position: { x: 0, y: 0 }, data: { id, type, node: body } };
}

const text = (inputTypes: string[], extra: Partial<TemplateField> = {}): TemplateField => ({ type: 'str', input_types: inputTypes, show: true, ...extra });

const source = node('Src-1', 'Src', {
  display_name: 'Source',
  outputs: [
    { name: 'message', display_name: 'Message', types: ['Message'], selected: 'Message' },
    { name: 'frame', display_name: 'Table', types: ['DataFrame'] },
    { name: 'either', types: ['Data', 'Message'], selected: 'Data' },
  ],
});
const target = node('Dst-1', 'Dst', {
  display_name: 'Target',
  template: {
    input_value: text(['Message']),
    input_data: { type: 'other', input_types: ['DataFrame', 'Data'], display_name: 'Input Data' },
    tools: { type: 'other', input_types: ['Tool'], list: true },
    plain: text([], { display_name: 'Plain' }),
    many: text(['Message'], { list: true }),
  },
  outputs: [{ name: 'item', display_name: 'Item', types: ['Data'], allows_loop: true }, { name: 'done', types: ['DataFrame'] }],
});
const nodeOf = lookup(source, target);
const connect = (output: string, field: string, edges: EdgeRef[] = [], into = handleId.field(field)) =>
  checkConnection({ source: source.id, sourceHandle: handleId.output(output), target: target.id, targetHandle: into }, nodeOf, edges);

describe('edge compatibility (Langflow’s rule, the engine’s check)', () => {
  it('accepts an output whose types meet the field’s input types, and gives the handles Langflow saves', () => {
    const result = connect('message', 'input_value');
    assert.equal(result.ok, true);
    if (!result.ok) return;
    assert.deepEqual(result.sourceHandle, { dataType: 'Src', id: 'Src-1', name: 'message', output_types: ['Message'] });
    assert.deepEqual(result.targetHandle, { fieldName: 'input_value', id: 'Dst-1', inputTypes: ['Message'], type: 'str' });
  });

  it('accepts a conversion the field declares (DataFrame into a DataFrame/Data input)', () => {
    assert.equal(connect('frame', 'input_data').ok, true);
  });

  it('refuses a type the field does not list, naming both sides', () => {
    const result = connect('message', 'input_data');
    assert.equal(result.ok, false);
    if (result.ok) return;
    assert.match(result.reason, /Source › Message gives Message/);
    assert.match(result.reason, /Target › Input Data accepts DataFrame, Data/);
  });

  it('uses the selected type of a multi-type output', () => {
    assert.equal(connect('either', 'input_data').ok, true, 'Data is selected');
    assert.equal(connect('either', 'input_value').ok, false, 'Message is not the selected type');
  });

  it('refuses a field drawn as a widget only, a component feeding itself, and a duplicate', () => {
    const plain = connect('message', 'plain');
    assert.equal(plain.ok, false);
    assert.match(!plain.ok ? plain.reason : '', /takes no connection/);
    const self = checkConnection({ source: target.id, sourceHandle: handleId.output('done'), target: target.id, targetHandle: handleId.field('input_data') }, nodeOf, []);
    assert.equal(self.ok, false);
    const edge = { source: source.id, sourceHandle: handleId.output('message'), target: target.id, targetHandle: handleId.field('many') };
    assert.match((connect('message', 'many', [edge]) as { reason: string }).reason, /already connected/);
  });

  it('takes one edge into a single field and many into a list field', () => {
    const first = { source: 'Other-1', sourceHandle: handleId.output('message'), target: target.id, targetHandle: handleId.field('input_value') };
    const taken = connect('message', 'input_value', [first]);
    assert.equal(taken.ok, false);
    assert.match(!taken.ok ? taken.reason : '', /takes only one/);
    const listFirst = { ...first, targetHandle: handleId.field('many') };
    assert.equal(connect('message', 'many', [listFirst]).ok, true);
  });

  it('accepts a loop feedback edge into an output that allows loops, and only that', () => {
    const loop = connect('either', 'item', [], handleId.loop('item'));
    assert.equal(loop.ok, true);
    if (loop.ok) assert.deepEqual(loop.targetHandle, { dataType: 'Dst', id: 'Dst-1', name: 'item', output_types: ['Data'] });
    assert.equal(connect('either', 'done', [], handleId.loop('done')).ok, false);
  });

  it('refuses output-to-output and input-to-input drags', () => {
    const result = checkConnection({ source: source.id, sourceHandle: handleId.field('x'), target: target.id, targetHandle: handleId.output('done') }, nodeOf, []);
    assert.equal(result.ok, false);
  });
});

describe('edge compatibility against real flows and the engine', startersSkip, () => {
  it('accepts every edge of every Langflow starter project', () => {
    let checked = 0;
    for (const { file, data } of starters()) {
      const byId = new Map(data.nodes.map((n) => [n.id, n]));
      for (const edge of data.edges) {
        const sourceName = edge.data?.sourceHandle?.name;
        const field = edge.data?.targetHandle?.fieldName;
        const targetHandle = field ? handleId.field(field) : handleId.loop(String(edge.data?.targetHandle?.name));
        const result = checkConnection({ source: edge.source, sourceHandle: handleId.output(String(sourceName)), target: edge.target, targetHandle }, (id) => byId.get(id), []);
        assert.equal(result.ok, true, `${file}: ${edge.source} -> ${edge.target}.${field}: ${result.ok ? '' : result.reason}`);
        checked++;
      }
    }
    assert.ok(checked > 100, `only ${checked} edges checked`);
  });

  it('gives the same verdict as the engine for every output and input of Weft’s components', () => {
    const registry = createRegistry();
    const palette = componentPalette(registry.all());
    const components = Object.values(palette).flatMap((group) => Object.entries(group)) as [string, NodeBody][];
    let agreed = 0;
    let accepted = 0;
    for (const [fromType, fromBody] of components) {
      const from = node(`${fromType}-a`, fromType, fromBody);
      for (const output of fromBody.outputs ?? []) {
        for (const [toType, toBody] of components) {
          const to = node(`${toType}-b`, toType, toBody);
          for (const [field, raw] of Object.entries(toBody.template ?? {})) {
            if (field.startsWith('_') || !fieldHasHandle(raw as TemplateField)) continue;
            const ui = checkConnection({ source: from.id, sourceHandle: handleId.output(output.name), target: to.id, targetHandle: handleId.field(field) }, lookup(from, to), []);
            const spec = raw as TemplateField;
            const edge = {
              source: from.id,
              target: to.id,
              data: {
                sourceHandle: { dataType: fromType, id: from.id, name: output.name, output_types: outputTypes(output) },
                targetHandle: { fieldName: field, id: to.id, inputTypes: spec.input_types ?? [], type: spec.type },
              },
            };
            let engine = true;
            try {
              loadGraph({ nodes: [from, to], edges: [edge] } as never, registry);
            } catch {
              engine = false;
            }
            assert.equal(ui.ok, engine, `${fromType}.${output.name} -> ${toType}.${field}: editor ${ui.ok ? 'accepts' : 'refuses'}, engine ${engine ? 'loads' : 'refuses'}`);
            agreed++;
            if (ui.ok) accepted++;
          }
        }
      }
    }
    assert.ok(agreed > 1000 && accepted > 100 && accepted < agreed, `${agreed} pairs, ${accepted} accepted`);
  });

  it('refuses Chat Input’s message into Parser’s DataFrame/Data input, as Langflow does', () => {
    const data = starter('Basic Prompting');
    const chatInput = nodeOfType(data, 'ChatInput');
    const parser = node('ParserComponent-x', 'ParserComponent', { display_name: 'Parser', template: { input_data: { type: 'other', input_types: ['DataFrame', 'Data'], display_name: 'Data or DataFrame' } } });
    const result = checkConnection({ source: chatInput.id, sourceHandle: handleId.output('message'), target: parser.id, targetHandle: handleId.field('input_data') }, lookup(chatInput, parser), []);
    assert.equal(result.ok, false);
  });
});
