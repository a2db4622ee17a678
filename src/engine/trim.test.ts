import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trimChar, trimEndChar } from './trim.js';

test('trims a repeated character off the end, or both ends', () => {
  assert.equal(trimEndChar('http://host/v1///', '/'), 'http://host/v1');
  assert.equal(trimEndChar('///', '/'), '');
  assert.equal(trimEndChar('a/b', '/'), 'a/b');
  assert.equal(trimChar('__a_b__', '_'), 'a_b');
  assert.equal(trimChar('____', '_'), '');
});

test('a long run that is not at the end takes linear time', () => {
  const attack = '/'.repeat(200_000) + 'x';
  const started = performance.now();
  assert.equal(trimEndChar(attack, '/'), attack);
  assert.equal(trimChar('_'.repeat(200_000) + 'x' + '_'.repeat(200_000) + 'y', '_').length, 200_002);
  assert.ok(performance.now() - started < 200);
});
