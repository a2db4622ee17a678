import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Message } from '../../engine/schema/message.js';
import { limitForRecord } from './record-limits.js';

const limits = { maxTextLength: 5, maxItemsLength: 2 };

test("records are cut as Langflow's serialize cuts them: text and lists, nested, class instances by what they serialise to", () => {
  assert.equal(limitForRecord('abcdefgh', limits), 'abcde...');
  assert.equal(limitForRecord('abcde', limits), 'abcde');
  assert.deepEqual(limitForRecord([1, 2, 3, 4], limits), [1, 2, '... [truncated 2 items]']);
  assert.deepEqual(limitForRecord({ a: { b: ['xxxxxxx', 'y'] }, n: 3, z: null }, limits), { a: { b: ['xxxxx...', 'y'] }, n: 3, z: null });
  const message = limitForRecord({ message: new Message({ text: 'a long answer' }) }, limits) as { message: { text: string } };
  assert.equal(message.message.text, 'a lon...');
});

test('nothing to cut: the very same value comes back (no copy); a `__proto__` key stays a plain key', () => {
  const small = { a: ['x', 'y'], b: { c: 'ok' } };
  assert.equal(limitForRecord(small, limits), small);
  const hostile = JSON.parse('{"__proto__": {"polluted": "yesyesyes"}}') as object;
  const limited = limitForRecord(hostile, limits) as Record<string, unknown>;
  assert.equal(Object.getPrototypeOf(limited), Object.prototype);
  assert.deepEqual(Object.keys(limited), ['__proto__']);
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});
