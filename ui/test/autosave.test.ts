import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createAutoSaver } from '../src/editor/autosave';
import type { SavedFlowData } from '../src/editor/flow-types';
import { createFlowStore } from '../src/editor/store';

const node = (id: string) => ({ id, type: 'noteNode', position: { x: 0, y: 0 }, data: { id, node: { description: '' } } });

function setup(save: (data: SavedFlowData) => Promise<void>) {
  const flow = createFlowStore();
  flow.getState().load('f', { nodes: [node('note-1')], edges: [] });
  const saver = createAutoSaver(flow, save, { debounceMs: 20, retryMs: [30] });
  const edit = (text: string) => flow.getState().updateNode('note-1', (n) => ({ ...n, data: { ...n.data, node: { description: text } } }));
  return { flow, saver, edit };
}

async function until(check: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(5);
  }
}

describe('auto-save', () => {
  it('saves once after a burst of edits, then reports saved', async () => {
    const saves: SavedFlowData[] = [];
    const { saver, edit } = setup(async (data) => void saves.push(data));
    edit('a');
    edit('ab');
    edit('abc');
    assert.equal(saver.state.getState().status, 'unsaved');
    await until(() => saver.state.getState().status === 'saved');
    assert.equal(saves.length, 1);
    assert.equal(saves[0].nodes[0].data.node?.description, 'abc');
    saver.stop();
  });

  it('keeps the edit when a save fails and retries until it goes through', async () => {
    let fail = 2;
    const saves: string[] = [];
    const { flow, saver, edit } = setup(async (data) => {
      if (fail-- > 0) throw new Error('The server could not be reached');
      saves.push(String(data.nodes[0].data.node?.description));
    });
    edit('kept');
    await until(() => saver.state.getState().status === 'error');
    assert.match(saver.state.getState().error ?? '', /could not be reached/);
    assert.equal(flow.getState().nodes[0].data.node?.description, 'kept', 'the edit stays in the editor');
    edit('kept and more');
    await until(() => saver.state.getState().status === 'saved');
    assert.deepEqual(saves, ['kept and more']);
    assert.equal(flow.getState().revision, flow.getState().savedRevision);
    saver.stop();
  });

  it('saves an edit made during a save right after it', async () => {
    const saves: string[] = [];
    let release: () => void = () => {};
    const { saver, edit } = setup(
      (data) =>
        new Promise<void>((resolve) => {
          saves.push(String(data.nodes[0].data.node?.description));
          release = resolve;
        }),
    );
    edit('first');
    await until(() => saves.length === 1);
    edit('second');
    release();
    await until(() => saves.length === 2);
    release();
    await until(() => saver.state.getState().status === 'saved');
    assert.deepEqual(saves, ['first', 'second']);
    saver.stop();
  });

  it('does not save for a pan or zoom alone, but keeps the view for the next save and on leaving', async () => {
    const saves: SavedFlowData[] = [];
    const { flow, saver } = setup(async (data) => void saves.push(data));
    flow.getState().setViewport({ x: 10, y: 20, zoom: 0.5 }, true);
    await sleep(60);
    assert.equal(saves.length, 0);
    assert.equal(saver.state.getState().status, 'saved');
    await saver.flush();
    assert.deepEqual(saves.map((s) => s.viewport), [{ x: 10, y: 20, zoom: 0.5 }]);
    await saver.flush();
    assert.equal(saves.length, 1, 'nothing left to save');
    saver.stop();
  });

  it('saves at once on flush (Ctrl/Cmd+S)', async () => {
    const saves: string[] = [];
    const { saver, edit } = setup(async (data) => void saves.push(String(data.nodes[0].data.node?.description)));
    edit('now');
    await saver.flush();
    assert.deepEqual(saves, ['now']);
    saver.stop();
  });
});
