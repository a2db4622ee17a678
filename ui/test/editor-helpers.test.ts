import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildCatalog, nodeFromCatalog, searchCatalog } from '../src/editor/catalog';
import { parsePayload } from '../src/editor/clipboard';
import { shortcutOf } from '../src/editor/shortcuts';
import { isToolMode, TOOLSET_OUTPUT, withToolMode } from '../src/editor/tool-mode';

const key = (k: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({ key: k, ctrlKey: false, metaKey: false, shiftKey: false, altKey: false, ...mods });

describe('shortcuts', () => {
  it('maps Langflow’s keys on Linux/Windows (Ctrl) and macOS (Cmd)', () => {
    assert.equal(shortcutOf(key('Delete'), false), 'delete');
    assert.equal(shortcutOf(key('Backspace'), false), 'delete');
    assert.equal(shortcutOf(key('z', { ctrlKey: true }), false), 'undo');
    assert.equal(shortcutOf(key('Z', { ctrlKey: true, shiftKey: true }), false), 'redo');
    assert.equal(shortcutOf(key('y', { ctrlKey: true }), false), 'redo');
    assert.equal(shortcutOf(key('c', { ctrlKey: true }), false), 'copy');
    assert.equal(shortcutOf(key('v', { ctrlKey: true }), false), 'paste');
    assert.equal(shortcutOf(key('d', { ctrlKey: true }), false), 'duplicate');
    assert.equal(shortcutOf(key('s', { ctrlKey: true }), false), 'save');
    assert.equal(shortcutOf(key('z', { metaKey: true }), true), 'undo');
    assert.equal(shortcutOf(key('z', { ctrlKey: true }), true), null, 'Ctrl is not Cmd on a Mac');
    assert.equal(shortcutOf(key('c'), false), null);
  });
});

describe('catalog', () => {
  const catalog = buildCatalog({
    models_and_agents: { 'Prompt Template': { display_name: 'Prompt Template', description: 'Create a prompt', metadata: { aliases: ['Prompt'] }, template: {} } },
    input_output: { ChatInput: { display_name: 'Chat Input', description: 'Get chat inputs from the Playground.', template: {} } },
    zz_vendor: { Thing: { display_name: 'Thing', template: {} } },
  });

  it('orders categories as Langflow’s sidebar, with readable names', () => {
    assert.deepEqual(catalog.categories.map((c) => c.label), ['Input & Output', 'Models & Agents', 'Zz Vendor']);
  });

  it('knows saved types by their aliases', () => {
    assert.equal(catalog.byType.get('Prompt')?.key, 'Prompt Template');
    assert.equal(catalog.byType.has('AstraDB'), false);
  });

  it('searches names, descriptions and categories', () => {
    assert.deepEqual(searchCatalog(catalog, 'playground').flatMap((c) => c.items.map((i) => i.key)), ['ChatInput']);
    assert.deepEqual(searchCatalog(catalog, 'models prompt').flatMap((c) => c.items.map((i) => i.key)), ['Prompt Template']);
    assert.equal(searchCatalog(catalog, 'nothing-like-this').length, 0);
  });

  it('makes a node as Langflow adds one, without the catalog’s alias list', () => {
    const node = nodeFromCatalog(catalog.byType.get('Prompt')!, { x: 1, y: 2 }, () => false);
    assert.match(node.id, /^PromptTemplate-[A-Za-z0-9]{5}$/);
    assert.equal(node.data.type, 'Prompt Template');
    assert.deepEqual(node.data.node?.metadata, {});
    assert.deepEqual(node.position, { x: 1, y: 2 });
  });
});

describe('tool mode', () => {
  it('swaps the outputs for one Toolset output and back to the catalog’s', () => {
    const outputs = [{ name: 'result', types: ['Data'] }];
    const on = withToolMode({ outputs, template: {} }, true, outputs)!;
    assert.equal(isToolMode(on), true);
    assert.deepEqual(on.outputs, [TOOLSET_OUTPUT]);
    const off = withToolMode(on, false, outputs)!;
    assert.equal(isToolMode(off), false);
    assert.deepEqual(off.outputs, outputs);
    assert.equal(withToolMode(on, false, undefined), undefined);
  });
});

describe('pasted text', () => {
  it('reads a selection, a whole Langflow flow, and refuses anything else', () => {
    const node = { id: 'A-1', data: { type: 'A' } };
    assert.equal(parsePayload(JSON.stringify({ nodes: [node], edges: [] }))?.nodes.length, 1);
    assert.equal(parsePayload(JSON.stringify({ name: 'x', data: { nodes: [node], edges: [] } }))?.nodes.length, 1);
    assert.equal(parsePayload('just some text'), undefined);
    assert.equal(parsePayload('{"nodes": []}'), undefined);
  });
});
