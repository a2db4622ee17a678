import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clampNumber, fieldKind, fieldView, maskedSecret, nodeFields, splitAdvanced, supportsToolMode } from '../src/editor/fields';
import type { TemplateField } from '../src/editor/flow-types';
import { nodeOfType, starter, starters, startersSkip } from './fixtures';

const kind = (field: TemplateField) => fieldKind(field);

describe('template field → widget', () => {
  it('picks the widget from the type, then the input class and flags', () => {
    assert.equal(kind({ type: 'str' }), 'text');
    assert.equal(kind({ type: 'str', multiline: true }), 'multiline');
    assert.equal(kind({ type: 'str', _input_type: 'MultilineInput' }), 'multiline');
    assert.equal(kind({ type: 'prompt' }), 'multiline');
    assert.equal(kind({ type: 'str', password: true }), 'secret');
    assert.equal(kind({ type: 'str', _input_type: 'SecretStrInput' }), 'secret');
    assert.equal(kind({ type: 'str', options: ['a', 'b'] }), 'dropdown');
    assert.equal(kind({ type: 'str', _input_type: 'DropdownInput', options: [] }), 'dropdown');
    assert.equal(kind({ type: 'str', list: true }), 'list');
    assert.equal(kind({ type: 'int' }), 'int');
    assert.equal(kind({ type: 'float' }), 'float');
    assert.equal(kind({ type: 'slider' }), 'slider');
    assert.equal(kind({ type: 'bool' }), 'bool');
    assert.equal(kind({ type: 'dict' }), 'dict');
    assert.equal(kind({ type: 'NestedDict' }), 'dict');
    assert.equal(kind({ type: 'table' }), 'table');
    assert.equal(kind({ type: 'file' }), 'file');
    assert.equal(kind({ type: 'code' }), 'code');
    assert.equal(kind({ type: 'tab', options: ['x'] }), 'tab');
    assert.equal(kind({ type: 'model' }), 'model');
    assert.equal(kind({ type: 'other', input_types: ['Data'] }), 'handle');
    assert.equal(kind({ type: 'LanguageModel' }), 'handle');
    assert.equal(kind({ type: 'sortableList' }), 'readonly');
  });

  it('hides `show: false` fields and template keys that are not fields', () => {
    assert.equal(fieldView('hidden', { type: 'str', show: false }), undefined);
    assert.equal(fieldView('_type', 'Component'), undefined);
    assert.equal(fieldView('_frontend_node_flow_id', { value: 'x' }), undefined);
    assert.equal(fieldView('broken', 'not an object'), undefined);
  });

  it('reads bounds, options, handle types, global variables and table columns', () => {
    const slider = fieldView('temperature', { type: 'slider', display_name: 'Temperature', range_spec: { min: 0, max: 1, step: 0.01 }, value: 0.1 })!;
    assert.deepEqual(slider.range, { min: 0, max: 1, step: 0.01 });
    assert.equal(slider.label, 'Temperature');
    const model = fieldView('model', { type: 'str', options: [{ name: 'gpt-4o' }, 'gpt-4.1', 3] })!;
    assert.deepEqual(model.options, ['gpt-4o', 'gpt-4.1', '3']);
    const input = fieldView('input_value', { type: 'str', input_types: ['Data', 'DataFrame', 'Message'] })!;
    assert.equal(input.handle, true);
    assert.deepEqual(input.types, ['Data', 'DataFrame', 'Message']);
    const plain = fieldView('name', { type: 'str', input_types: [] })!;
    assert.equal(plain.handle, false);
    const secret = fieldView('api_key', { type: 'str', password: true, load_from_db: true, value: 'OPENAI_API_KEY' })!;
    assert.equal(secret.fromVariable, true);
    assert.equal(maskedSecret(secret.value, true), 'OPENAI_API_KEY');
    assert.equal(maskedSecret('sk-123', false), '••••••');
    assert.deepEqual(fieldView('headers', { type: 'table', table_schema: { columns: [{ name: 'key' }, { name: 'value' }] } })!.columns, ['key', 'value']);
    assert.deepEqual(fieldView('cols', { type: 'table', table_schema: [{ name: 'column_name' }, { name: 'vectorize' }] })!.columns, ['column_name', 'vectorize']);
  });

  it('orders fields by field_order, then the rest of the template', () => {
    const fields = nodeFields({ field_order: ['b', 'missing', 'a'], template: { _type: 'Component', a: { type: 'str' }, c: { type: 'int' }, b: { type: 'bool' } } });
    assert.deepEqual(fields.map((f) => f.name), ['b', 'a', 'c']);
  });

  it('puts advanced fields behind the toggle unless they are connected', () => {
    const fields = nodeFields({ template: { a: { type: 'str' }, b: { type: 'str', advanced: true, input_types: ['Message'] }, c: { type: 'int', advanced: true } } });
    const { main, advanced } = splitAdvanced(fields, new Set(['b']));
    assert.deepEqual(main.map((f) => f.name), ['a', 'b']);
    assert.deepEqual(advanced.map((f) => f.name), ['c']);
  });

  it('keeps typed numbers inside their bounds', () => {
    assert.equal(clampNumber('7', 'int', { min: 1, max: 5 }), 5);
    assert.equal(clampNumber('-3', 'float', { min: 0 }), 0);
    assert.equal(clampNumber('2.9', 'int'), 2);
    assert.equal(clampNumber('0.25', 'slider', { min: 0, max: 1 }), 0.25);
    assert.equal(clampNumber('abc', 'float'), undefined);
  });

  it('offers tool mode when a field is a tool argument', () => {
    assert.equal(supportsToolMode({ template: { expression: { type: 'str', tool_mode: true } } }), true);
    assert.equal(supportsToolMode({ template: { x: { type: 'str' } } }), false);
    assert.equal(supportsToolMode({ tool_mode: true, template: {} }), true);
  });
});

describe('fields of Langflow’s starter projects', startersSkip, () => {
  it('draws every field of every starter with a known widget', () => {
    const counts = new Map<string, number>();
    for (const { data } of starters()) {
      for (const node of data.nodes) {
        for (const field of nodeFields(node.data.node)) counts.set(field.kind, (counts.get(field.kind) ?? 0) + 1);
      }
    }
    for (const expected of ['text', 'multiline', 'secret', 'int', 'slider', 'bool', 'dropdown', 'tab', 'dict', 'table', 'file', 'code', 'model', 'handle']) {
      assert.ok((counts.get(expected) ?? 0) > 0, `no ${expected} field among the starters: ${JSON.stringify([...counts])}`);
    }
  });

  it('reads Basic Prompting’s language model as Langflow draws it', () => {
    const model = nodeOfType(starter('Basic Prompting'), 'LanguageModelComponent');
    const fields = nodeFields(model.data.node);
    const byName = new Map(fields.map((f) => [f.name, f]));
    assert.equal(byName.get('api_key')?.kind, 'secret');
    assert.equal(byName.get('api_key')?.advanced, true);
    assert.equal(byName.get('temperature')?.kind, 'slider');
    assert.equal(byName.get('system_message')?.kind, 'multiline');
    assert.equal(byName.get('system_message')?.handle, true);
    assert.equal(byName.has('ollama_base_url'), false, 'show: false');
    assert.equal(byName.get('code')?.kind, 'code');
  });
});
