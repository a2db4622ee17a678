import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { History } from '../src/editor/history';

describe('undo/redo history', () => {
  it('undoes and redoes at least 50 steps in order', () => {
    const history = new History<number>({ limit: 100 });
    let state = 0;
    for (let i = 1; i <= 60; i++) {
      history.record(state);
      state = i;
    }
    for (let i = 59; i >= 0; i--) {
      state = history.undo(state)!;
      assert.equal(state, i);
    }
    assert.equal(history.undo(state), undefined);
    assert.equal(history.canUndo, false);
    for (let i = 1; i <= 60; i++) {
      state = history.redo(state)!;
      assert.equal(state, i);
    }
    assert.equal(history.canRedo, false);
  });

  it('drops the oldest steps past its limit', () => {
    const history = new History<number>({ limit: 50 });
    for (let i = 0; i < 80; i++) history.record(i);
    assert.equal(history.depth.undo, 50);
    let state = 80;
    for (let i = 0; i < 50; i++) state = history.undo(state)!;
    assert.equal(state, 30);
  });

  it('forgets the redo branch after a new edit', () => {
    const history = new History<string>();
    history.record('a');
    const back = history.undo('b');
    assert.equal(back, 'a');
    history.record('a');
    assert.equal(history.canRedo, false);
  });

  it('joins edits with the same key made close together, and not after seal or a pause', () => {
    let now = 0;
    const history = new History<string>({ coalesceMs: 1000, now: () => now });
    history.record('', 'field:x');
    now = 300;
    history.record('h', 'field:x');
    now = 600;
    history.record('he', 'field:x');
    assert.equal(history.depth.undo, 1, 'typing in one field is one step');
    now = 5000;
    history.record('hel', 'field:x');
    assert.equal(history.depth.undo, 2, 'a pause starts a new step');
    history.seal();
    history.record('hell', 'field:x');
    assert.equal(history.depth.undo, 3);
    history.record('hello', 'field:y');
    assert.equal(history.depth.undo, 4, 'another field is another step');
  });
});
