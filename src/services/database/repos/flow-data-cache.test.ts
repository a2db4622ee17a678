import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowDataCache } from './flow-data-cache.js';

test('a stored version is parsed once; changed text (any writer) is parsed again; the oldest entries go first', () => {
  const cache = new FlowDataCache(2);
  const v1 = JSON.stringify({ nodes: [{ id: 'a' }], edges: [] });
  const first = cache.parse('f1', v1);
  assert.equal(cache.parse('f1', `${v1}`), first, 'the same text gives the same parse');
  const v2 = JSON.stringify({ nodes: [{ id: 'b' }], edges: [] });
  const second = cache.parse('f1', v2);
  assert.notEqual(second, first);
  assert.deepEqual(second, { nodes: [{ id: 'b' }], edges: [] });
  assert.equal(cache.parse('f1', null), null);
  cache.parse('f2', v1);
  cache.parse('f3', v1);
  assert.notEqual(cache.parse('f1', v2), second, 'f1 was the least recently used of three in a cache of two');
});
