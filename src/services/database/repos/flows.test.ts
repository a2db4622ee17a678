import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import { UniqueViolationError } from '../errors.js';
import { describeEachDialect, uniqueName } from '../../../../test-utils/database.js';
import { InvalidEndpointNameError } from './flows.js';
import type { Database } from '../index.js';

async function newUser(database: Database) {
  return database.users.create({ username: uniqueName('user'), passwordHash: 'hash', isActive: true, isSuperuser: false });
}

describeEachDialect('flows repository', (database) => {
  it('renames clashing names to "Name (n)" with n one past the highest copy', async () => {
    const user = await newUser(database());
    const flows = database().flows;
    assert.equal((await flows.create(user.id, { name: 'Chat' })).name, 'Chat');
    assert.equal((await flows.create(user.id, { name: 'Chat' })).name, 'Chat (1)');
    assert.equal((await flows.create(user.id, { name: 'Chat' })).name, 'Chat (2)');
    await flows.create(user.id, { name: 'Chat (7)' });
    assert.equal((await flows.create(user.id, { name: 'Chat' })).name, 'Chat (8)');
    assert.equal((await flows.create(user.id, { name: 'Chat_%' })).name, 'Chat_%', 'LIKE wildcards are literal');
    const other = await newUser(database());
    assert.equal((await flows.create(other.id, { name: 'Chat' })).name, 'Chat', 'names are unique per user only');
  });

  it('renames clashing endpoint names to "name-n"', async () => {
    const user = await newUser(database());
    const flows = database().flows;
    assert.equal((await flows.create(user.id, { name: 'a', endpoint_name: 'my-flow' })).endpoint_name, 'my-flow');
    assert.equal((await flows.create(user.id, { name: 'b', endpoint_name: 'my-flow' })).endpoint_name, 'my-flow-1');
    assert.equal((await flows.create(user.id, { name: 'c', endpoint_name: 'my-flow' })).endpoint_name, 'my-flow-2');
    await assert.rejects(flows.create(user.id, { name: 'd', endpoint_name: 'bad name!' }), InvalidEndpointNameError);
  });

  it('stores JSON, booleans and the webhook flag faithfully', async () => {
    const user = await newUser(database());
    const data = { nodes: [{ id: 'Webhook-abc', data: { type: 'Webhook' } }], edges: [], viewport: { x: 1, y: 2, zoom: 1 } };
    const created = await database().flows.create(user.id, { name: 'hooked', data, tags: ['x'], mcp_enabled: true, access_type: 'PUBLIC' });
    const read = await database().flows.getForUser(created.id, user.id);
    assert.deepEqual(read?.data, data);
    assert.deepEqual(read?.tags, ['x']);
    assert.equal(read?.webhook, true);
    assert.equal(read?.mcp_enabled, true);
    assert.equal(read?.locked, false);
    assert.equal(read?.access_type, 'PUBLIC');
    const updated = await database().flows.update(created.id, user.id, { data: { nodes: [], edges: [] } });
    assert.equal(updated?.webhook, false, 'webhook is recomputed from the new data');
  });

  it("keeps each user's flows to that user", async () => {
    const owner = await newUser(database());
    const intruder = await newUser(database());
    const flows = database().flows;
    const flow = await flows.create(owner.id, { name: 'private', endpoint_name: 'mine' });
    assert.equal(await flows.getForUser(flow.id, intruder.id), undefined);
    assert.equal(await flows.update(flow.id, intruder.id, { name: 'stolen' }), undefined);
    assert.equal(await flows.delete(flow.id, intruder.id), false);
    assert.equal(await flows.deleteMany([flow.id], intruder.id), 0);
    assert.deepEqual(await flows.list(intruder.id), []);
    assert.equal((await flows.getForUser(flow.id, owner.id))?.name, 'private');
    assert.equal(await flows.getByIdOrEndpointName('mine', intruder.id), undefined);
  });

  it('looks flows up by UUID (unscoped) or by endpoint name (scoped when a user is given)', async () => {
    const user = await newUser(database());
    const other = await newUser(database());
    const flow = await database().flows.create(user.id, { name: 'lookup', endpoint_name: uniqueName('ep') });
    assert.equal((await database().flows.getByIdOrEndpointName(flow.id.toUpperCase(), other.id))?.id, flow.id);
    assert.equal((await database().flows.getByIdOrEndpointName(flow.endpoint_name ?? ''))?.id, flow.id);
    assert.equal((await database().flows.getByIdOrEndpointName(flow.endpoint_name ?? '', user.id))?.id, flow.id);
    assert.equal(await database().flows.getByIdOrEndpointName(randomUUID()), undefined);
  });

  it('does not rename on update: a clash is a UniqueViolationError in Langflow wording', async () => {
    const user = await newUser(database());
    const flows = database().flows;
    await flows.create(user.id, { name: 'first', endpoint_name: 'first-ep' });
    const second = await flows.create(user.id, { name: 'second' });
    await assert.rejects(flows.update(second.id, user.id, { name: 'first' }), (error: unknown) => {
      assert.ok(error instanceof UniqueViolationError);
      assert.equal(error.message, 'Name must be unique');
      return true;
    });
    await assert.rejects(flows.update(second.id, user.id, { endpoint_name: 'first-ep' }), /Endpoint name must be unique/);
  });

  it('lists by folder, components only, and in pages', async () => {
    const user = await newUser(database());
    const folder = await database().folders.ensureDefault(user.id, 'Starter Project');
    const other = await database().folders.create(user.id, { name: 'Other' });
    for (let i = 0; i < 5; i++) await database().flows.create(user.id, { name: `f${i}`, folder_id: folder.id });
    await database().flows.create(user.id, { name: 'component', folder_id: other.id, is_component: true });
    assert.equal((await database().flows.list(user.id, { folderId: folder.id })).length, 5);
    assert.deepEqual((await database().flows.list(user.id, { componentsOnly: true })).map((f) => f.name), ['component']);
    assert.equal((await database().flows.list(user.id, { excludeFolderId: other.id })).length, 5);
    const page = await database().flows.listPage(user.id, { folderId: folder.id }, { page: 2, size: 2 });
    assert.equal(page.items.length, 2);
    assert.deepEqual([page.total, page.page, page.size, page.pages], [5, 2, 2, 3]);
  });

  it('deleting flows removes their messages, builds and transactions', async () => {
    const user = await newUser(database());
    const flow = await database().flows.create(user.id, { name: 'doomed' });
    const kept = await database().flows.create(user.id, { name: 'kept' });
    for (const f of [flow, kept]) {
      await database().db.insertInto('message').values({
        id: randomUUID(), flow_id: f.id, timestamp: new Date().toISOString(), sender: 'User', sender_name: 'User',
        session_id: 's', context_id: null, text: 'hi', files: '[]', error: 0, edit: 0, properties: '{}', category: 'message', content_blocks: '[]',
      }).execute();
      await database().vertexBuilds.insert({ id: 'ChatInput-1', flowId: f.id, valid: true });
      await database().transactions.insert({ flowId: f.id, vertexId: 'ChatInput-1', status: 'success' });
    }
    assert.equal(await database().flows.delete(flow.id, user.id), true);
    assert.deepEqual(await database().messages.listForUser(user.id, { flowId: flow.id }), []);
    assert.deepEqual(await database().vertexBuilds.listByFlow(flow.id, user.id), {});
    assert.equal((await database().transactions.listByFlow(flow.id, user.id, { page: 1, size: 10 })).total, 0);
    assert.equal((await database().messages.listForUser(user.id, { flowId: kept.id })).length, 1);
    assert.equal((await database().transactions.listByFlow(kept.id, user.id, { page: 1, size: 10 })).total, 1);
  });

  it('deleting a user, or a project with sub-projects, leaves no monitor rows of their flows behind', async () => {
    const rowsOf = async (flowId: string) => {
      let count = 0;
      for (const table of ['message', 'vertex_build', 'transaction'] as const) {
        count += (await database().db.selectFrom(table).select('flow_id').where('flow_id', '=', flowId).execute()).length;
      }
      return count;
    };
    const record = async (flowId: string) => {
      await database().db.insertInto('message').values({
        id: randomUUID(), flow_id: flowId, timestamp: new Date().toISOString(), sender: 'User', sender_name: 'User',
        session_id: 's', context_id: null, text: 'hi', files: '[]', error: 0, edit: 0, properties: '{}', category: 'message', content_blocks: '[]',
      }).execute();
      await database().vertexBuilds.insert({ id: 'ChatInput-1', flowId, valid: true });
      await database().transactions.insert({ flowId, vertexId: 'ChatInput-1', status: 'success' });
      assert.equal(await rowsOf(flowId), 3);
    };
    const user = await newUser(database());
    const parent = await database().folders.create(user.id, { name: 'parent' });
    const child = await database().folders.create(user.id, { name: 'child', parentId: parent.id });
    const nested = await database().flows.create(user.id, { name: 'nested', folder_id: child.id });
    await record(nested.id);
    assert.equal(await database().folders.delete(parent.id, user.id), true);
    assert.equal(await rowsOf(nested.id), 0);

    const leaving = await newUser(database());
    const theirs = await database().flows.create(leaving.id, { name: 'theirs' });
    await record(theirs.id);
    assert.equal(await database().users.delete(leaving.id), true);
    assert.equal(await rowsOf(theirs.id), 0);
  });

  it('bulk delete counts only the caller’s flows', async () => {
    const user = await newUser(database());
    const other = await newUser(database());
    const a = await database().flows.create(user.id, { name: 'a' });
    const b = await database().flows.create(user.id, { name: 'b' });
    const theirs = await database().flows.create(other.id, { name: 'c' });
    assert.equal(await database().flows.deleteMany([a.id, b.id, theirs.id], user.id), 2);
    assert.ok(await database().flows.getForUser(theirs.id, other.id));
  });
});
