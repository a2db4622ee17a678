import assert from 'node:assert/strict';
import { it } from 'node:test';
import { Message } from '../../../engine/schema/message.js';
import type { Database } from '../index.js';
import { describeEachDialect, uniqueName } from '../../../../test-utils/database.js';
import { VertexBuildsRepository } from './vertex-builds.js';

async function userWithFlow(database: Database) {
  const user = await database.users.create({ username: uniqueName('user'), passwordHash: 'hash', isActive: true, isSuperuser: false });
  const flow = await database.flows.create(user.id, { name: 'chat' });
  return { user, flow };
}

describeEachDialect('monitor repositories', (database) => {
  it('the engine message store round-trips Messages and keeps their order', async () => {
    const { user, flow } = await userWithFlow(database());
    const store = database().messageStore;
    const texts = ['one', 'two', 'three', 'four'];
    for (const text of texts) {
      await store.add(new Message({ text, sender: 'User', sender_name: 'User', session_id: 's1', flow_id: flow.id, files: ['a/b.png'], properties: { icon: 'x' } }));
    }
    await store.add(new Message({ text: 'elsewhere', sender: 'Machine', sender_name: 'AI', session_id: 's2', flow_id: flow.id }));
    const listed = await store.list({ flowId: flow.id, sessionId: 's1' });
    assert.deepEqual(listed.map((m) => m.text), texts);
    assert.ok(listed[0] instanceof Message);
    assert.deepEqual(listed[0].files, ['a/b.png']);
    assert.equal(listed[0].properties.icon, 'x');
    assert.match(listed[0].timestamp, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    assert.deepEqual((await store.list({ flowId: flow.id, order: 'DESC', limit: 2 })).map((m) => m.text), ['elsewhere', 'four']);
    assert.deepEqual((await store.list({ sender: 'Machine', flowId: flow.id })).map((m) => m.text), ['elsewhere']);

    const edited = listed[1];
    edited.text = 'TWO';
    edited.properties.state = 'partial';
    await store.update(edited);
    const reread = await store.list({ flowId: flow.id, sessionId: 's1' });
    assert.equal(reread[1].text, 'TWO');
    assert.equal(reread[1].properties.state, 'partial');
    await store.delete(reread[0].id ?? '');
    assert.equal((await store.list({ flowId: flow.id, sessionId: 's1' })).length, 3);
    assert.equal((await database().messages.listForUser(user.id, { flowId: flow.id, sessionId: 's1' })).length, 3);
  });

  it('concurrent adds share one INSERT, each resolves once stored, and a bad row fails only its own add', async () => {
    const { flow } = await userWithFlow(database());
    const store = database().messageStore;
    const texts = Array.from({ length: 20 }, (_, i) => `m${i}`);
    const added = await Promise.all(texts.map((text) => store.add(new Message({ text, sender: 'User', sender_name: 'User', session_id: 'group', flow_id: flow.id }))));
    assert.deepEqual((await store.list({ flowId: flow.id, sessionId: 'group' })).map((m) => m.text), texts);
    const duplicate = new Message({ text: 'again', sender: 'User', sender_name: 'User', session_id: 'group', flow_id: flow.id });
    duplicate.id = added[0].id;
    const outcomes = await Promise.allSettled([
      store.add(new Message({ text: 'before', sender: 'User', sender_name: 'User', session_id: 'group', flow_id: flow.id })),
      store.add(duplicate),
      store.add(new Message({ text: 'after', sender: 'User', sender_name: 'User', session_id: 'group', flow_id: flow.id })),
    ]);
    assert.deepEqual(outcomes.map((o) => o.status), ['fulfilled', 'rejected', 'fulfilled']);
    assert.deepEqual((await store.list({ flowId: flow.id, sessionId: 'group' })).map((m) => m.text).slice(-2), ['before', 'after']);
  });

  it('monitor edits mark edited text, rename and delete sessions', async () => {
    const { user, flow } = await userWithFlow(database());
    const store = database().messageStore;
    const added = await store.add(new Message({ text: 'hi', sender: 'User', sender_name: 'User', session_id: 'old', flow_id: flow.id }));
    await store.add(new Message({ text: 'there', sender: 'Machine', sender_name: 'AI', session_id: 'old', flow_id: flow.id }));
    const same = await database().messages.updateForUser(added.id ?? '', user.id, { text: 'hi' });
    assert.equal(same?.edit, false);
    const changed = await database().messages.updateForUser(added.id ?? '', user.id, { text: 'hello' });
    assert.equal(changed?.edit, true);
    assert.deepEqual((await database().messages.listForUser(user.id, { senderName: 'AI' })).map((m) => m.text), ['there']);
    const moved = await database().messages.renameSession(user.id, 'old', 'new');
    assert.deepEqual(moved.map((m) => m.session_id), ['new', 'new']);
    assert.deepEqual(await database().messages.sessionsForUser(user.id, flow.id), ['new']);
    assert.equal(await database().messages.deleteSession(user.id, 'new'), 2);
    assert.deepEqual(await database().messages.listForUser(user.id, { flowId: flow.id }), []);
  });

  it('vertex builds group by vertex and keep 2 per vertex and a total cap', async () => {
    const { user, flow } = await userWithFlow(database());
    const builds = database().vertexBuilds;
    for (let i = 0; i < 4; i++) {
      await builds.insert({ id: 'A', flowId: flow.id, valid: true, data: { n: i }, timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString() });
    }
    await builds.insert({ id: 'B', flowId: flow.id, valid: false, params: 'p' });
    const grouped = await builds.listByFlow(flow.id, user.id);
    assert.deepEqual(Object.keys(grouped).sort(), ['A', 'B']);
    assert.deepEqual(grouped.A.map((b) => b.data), [{ n: 2 }, { n: 3 }]);
    assert.equal(grouped.B[0].valid, false);

    const capped = new VertexBuildsRepository(database().db, { keptPerVertex: 2, keptInTotal: 3 });
    const second = await database().flows.create(user.id, { name: 'capped' });
    for (const vertex of ['X', 'Y', 'Z', 'W']) await capped.insert({ id: vertex, flowId: second.id, valid: true });
    const total = await database().db.selectFrom('vertex_build').select((eb) => eb.fn.countAll().as('count')).executeTakeFirst();
    assert.equal(Number(total?.count), 3);
    assert.equal(await builds.deleteByFlow(second.id, user.id), 3);
  });

  it('transactions page newest first', async () => {
    const { user, flow } = await userWithFlow(database());
    for (let i = 0; i < 5; i++) {
      await database().transactions.insert({
        flowId: flow.id, vertexId: `V${i}`, targetId: null, inputs: { i }, outputs: { o: i }, status: i === 4 ? 'error' : 'success',
        error: i === 4 ? 'boom' : null, timestamp: new Date(Date.UTC(2024, 0, 1, 0, 0, i)).toISOString(),
      });
    }
    const page = await database().transactions.listByFlow(flow.id, user.id, { page: 1, size: 2 });
    assert.deepEqual([page.total, page.pages], [5, 3]);
    assert.deepEqual(page.items.map((t) => t.vertex_id), ['V4', 'V3']);
    assert.deepEqual(page.items[0].inputs, { i: 4 });
    assert.equal(page.items[0].error, 'boom');
  });
});
