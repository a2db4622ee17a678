import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { changedTweaks } from '../src/api-access/tweaks';
import { curlSnippet, pythonLiteral, shellQuote, type SnippetOptions } from '../src/api-access/snippets';
import type { Catalog } from '../src/editor/catalog';
import type { SavedFlowData } from '../src/editor/flow-types';

const options: SnippetOptions = { origin: 'http://h', target: 'my-flow', stream: true, tweaks: { 'P-1': { template: "it's" } }, inputValue: 'hi', chat: true };

describe('API snippets', () => {
  it('quotes JSON for the shell, single quotes included', () => {
    assert.equal(shellQuote("a'b"), `'a'\\''b'`);
    const curl = curlSnippet(options);
    assert.match(curl, /--url 'http:\/\/h\/api\/v1\/run\/my-flow\?stream=true'/);
    assert.match(curl, /it'\\''s/);
  });

  it('writes JSON values as Python literals', () => {
    assert.equal(pythonLiteral({ a: true, b: null, c: [false, 1, 'x'] }), '{\n    "a": True,\n    "b": None,\n    "c": [\n        False,\n        1,\n        "x"\n    ]\n}');
  });
});

describe('tweaks of the changed fields', () => {
  it('keeps changed values; drops defaults, secrets, variables, connected fields, code and the Chat Input text', () => {
    const catalog = { categories: [], byType: new Map([['Prompt', { key: 'Prompt', category: 'x', body: { template: { template: { value: '' }, mode: { value: 'f-string' } } } }]]) } as unknown as Catalog;
    const data: SavedFlowData = {
      nodes: [
        { id: 'P-1', data: { type: 'Prompt', node: { template: { template: { value: 'changed' }, mode: { value: 'f-string' }, code: { value: 'x' }, key: { value: 'sk', password: true }, v: { value: 'VAR', load_from_db: true }, fed: { value: 'z' } } } } },
        { id: 'C-1', data: { type: 'ChatInput', node: { template: { input_value: { value: 'Hello' }, files: { value: '' } } } } },
      ],
      edges: [{ source: 'C-1', target: 'P-1', data: { targetHandle: { fieldName: 'fed' } } }],
    };
    assert.deepEqual(changedTweaks(data, catalog), { 'P-1': { template: 'changed' } });
  });
});
