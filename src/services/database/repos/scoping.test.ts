import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { it } from 'node:test';
import type { Database } from '../index.js';
import { describeEachDialect, uniqueName } from '../../../../test-utils/database.js';

async function newUser(database: Database) {
  return database.users.create({ username: uniqueName('user'), passwordHash: 'hash', isActive: true, isSuperuser: false });
}

describeEachDialect('user scoping', (database) => {
  it('variables belong to their user', async () => {
    const [owner, other] = [await newUser(database()), await newUser(database())];
    const repo = database().variables;
    const variable = await repo.create(owner.id, { name: 'TOKEN', value: 'v', type: 'Generic' });
    assert.equal(await repo.getForUser(variable.id, other.id), undefined);
    assert.equal(await repo.getByName(other.id, 'TOKEN'), undefined);
    assert.equal(await repo.update(variable.id, other.id, { value: 'x' }), undefined);
    assert.equal(await repo.delete(variable.id, other.id), false);
    assert.equal((await repo.getForUser(variable.id, owner.id))?.value, 'v');
    await repo.create(other.id, { name: 'TOKEN', value: 'w', type: 'Generic' });
  });

  it('API keys belong to their user', async () => {
    const [owner, other] = [await newUser(database()), await newUser(database())];
    const key = await database().apiKeys.create({ userId: owner.id, name: 'k', keyHash: randomUUID(), keyPrefix: 'sk-abcde' });
    assert.deepEqual(await database().apiKeys.listForUser(other.id), []);
    assert.equal(await database().apiKeys.deleteForUser(key.id, other.id), false);
    assert.equal(await database().apiKeys.deleteForUser(key.id, owner.id), true);
  });

  it('files belong to their user, and names de-duplicate per user', async () => {
    const [owner, other] = [await newUser(database()), await newUser(database())];
    const files = database().files;
    const file = await files.create(owner.id, { name: 'report', path: `${owner.id}/report.pdf`, size: 3_000_000_000 });
    assert.equal((await files.getForUser(file.id, owner.id))?.size, 3_000_000_000, 'sizes beyond 32 bits survive');
    assert.equal(await files.getForUser(file.id, other.id), undefined);
    assert.equal(await files.update(file.id, other.id, { name: 'mine' }), undefined);
    assert.deepEqual(await files.deleteMany([file.id], other.id), []);
    assert.deepEqual(await files.deleteAllForUser(other.id), []);
    assert.equal(await files.availableName(owner.id, 'report'), 'report (1)');
    assert.equal(await files.availableName(other.id, 'report'), 'report');
    assert.deepEqual((await files.deleteMany([file.id], owner.id)).map((f) => f.id), [file.id]);
  });

  it('projects belong to their user; deleting one removes its flows', async () => {
    const [owner, other] = [await newUser(database()), await newUser(database())];
    const folders = database().folders;
    const folder = await folders.create(owner.id, { name: 'Work' });
    assert.equal((await folders.create(owner.id, { name: 'Work' })).name, 'Work (1)');
    assert.equal(await folders.getForUser(folder.id, other.id), undefined);
    assert.equal(await folders.update(folder.id, other.id, { name: 'Taken' }), undefined);
    assert.equal(await folders.delete(folder.id, other.id), false);
    const flow = await database().flows.create(owner.id, { name: 'in work', folder_id: folder.id });
    assert.equal(await folders.delete(folder.id, owner.id), true);
    assert.equal(await database().flows.getForUser(flow.id, owner.id), undefined);
    const first = await folders.ensureDefault(owner.id, 'Starter Project');
    assert.equal((await folders.ensureDefault(owner.id, 'Starter Project')).id, first.id);
  });

  it("messages, builds and transactions are visible only through the caller's flows", async () => {
    const [owner, other] = [await newUser(database()), await newUser(database())];
    const flow = await database().flows.create(owner.id, { name: 'chat' });
    await database().db.insertInto('message').values({
      id: randomUUID(), flow_id: flow.id, timestamp: new Date().toISOString(), sender: 'User', sender_name: 'User',
      session_id: 'sess', context_id: null, text: 'hello', files: '[]', error: 0, edit: 0, properties: '{}', category: 'message', content_blocks: '[]',
    }).execute();
    await database().vertexBuilds.insert({ id: 'ChatOutput-1', flowId: flow.id, valid: true });
    await database().transactions.insert({ flowId: flow.id, vertexId: 'ChatOutput-1', status: 'success' });
    const [message] = await database().messages.listForUser(owner.id);
    assert.equal(message.text, 'hello');

    assert.deepEqual(await database().messages.listForUser(other.id, { flowId: flow.id }), []);
    assert.deepEqual(await database().messages.sessionsForUser(other.id), []);
    assert.equal(await database().messages.updateForUser(message.id, other.id, { text: 'x' }), undefined);
    assert.equal(await database().messages.deleteForUser([message.id], other.id), 0);
    assert.equal(await database().messages.deleteSession(other.id, 'sess'), 0);
    assert.deepEqual(await database().messages.renameSession(other.id, 'sess', 'stolen'), []);
    assert.deepEqual(await database().vertexBuilds.listByFlow(flow.id, other.id), {});
    assert.equal(await database().vertexBuilds.deleteByFlow(flow.id, other.id), 0);
    assert.equal((await database().transactions.listByFlow(flow.id, other.id, { page: 1, size: 5 })).total, 0);
    assert.deepEqual(await database().messages.sessionsForUser(owner.id), ['sess']);
  });
});
