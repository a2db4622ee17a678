import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { bearer, createFlow, multipartFile, startTwoUsers, type Json, type TwoUsers } from './two-users.js';

/**
 * Attack: v1 flow files live in `<folder>/<name>` like v2 user files, keyed by a flow id the client
 * may choose. A flow whose id is another user's id opened that user's file manager; a flow id reused
 * after a delete found the old flow's files; the public-flow response told anyone the owner's id.
 */
describe('attack: cross-user files through a chosen flow id', () => {
  let env: TwoUsers;
  before(async () => {
    env = await startTwoUsers();
  });
  after(async () => env?.stop());

  test("a flow whose id is another user's id does not open that user's v2 files", async () => {
    const { server, alice, bob } = env;
    const upload = await server.call('/api/v2/files/', { method: 'POST', headers: bearer(bob), body: multipartFile('bank.txt', "bob's bank password") });
    assert.equal(upload.status, 201, upload.text);
    assert.equal((upload.body as Json).path, `${bob.id}/bank.txt`);

    // Alice creates a flow whose id is Bob's user id (Langflow keeps a client-chosen id that is free).
    await createFlow(server, alice, { id: bob.id, name: 'Trap', data: { nodes: [], edges: [] } });
    const list = await server.call(`/api/v1/files/list/${bob.id}`, { headers: bearer(alice) });
    assert.equal(list.status, 200, list.text);
    assert.deepEqual((list.body as Json).files, []);
    const read = await server.call(`/api/v1/files/download/${bob.id}/bank.txt`, { headers: bearer(alice) });
    assert.equal(read.status, 404, read.text);
    assert.doesNotMatch(read.text, /bank password/);
    const remove = await server.call(`/api/v1/files/delete/${bob.id}/bank.txt`, { method: 'DELETE', headers: bearer(alice) });
    assert.ok(remove.status === 200 || remove.status === 404, remove.text);
    const own = await server.call(`/api/v2/files/${(upload.body as Json).id}?return_content=true`, { headers: bearer(bob) });
    assert.equal(own.status, 200, 'Bob still has his file');
    assert.equal(own.body, "bob's bank password");
  });

  test("a client-chosen id that is another user's flow id is refused", async () => {
    const { server, alice, bob } = env;
    const bobs = await createFlow(server, bob, { name: 'Bob flow', data: { nodes: [], edges: [] } });
    const clash = await server.call('/api/v1/flows/', { method: 'POST', headers: bearer(alice), json: { id: bobs.id, name: 'Clash', data: { nodes: [], edges: [] } } });
    assert.equal(clash.status, 400, clash.text);
    assert.deepEqual(clash.body, { detail: 'Id must be unique' });
    const stillBobs = await server.call(`/api/v1/flows/${bobs.id}`, { headers: bearer(bob) });
    assert.equal(stillBobs.status, 200);
    assert.equal((stillBobs.body as Json).name, 'Bob flow');
  });

  test("a deleted flow's files are removed with it, not inherited by the next flow with that id", async () => {
    const { server, alice, bob } = env;
    const flowId = randomUUID();
    await createFlow(server, alice, { id: flowId, name: 'Short-lived', data: { nodes: [], edges: [] } });
    const upload = await server.call(`/api/v1/files/upload/${flowId}`, { method: 'POST', headers: bearer(alice), body: multipartFile('notes.txt', 'alice private notes') });
    assert.equal(upload.status, 201, upload.text);
    const deleted = await server.call(`/api/v1/flows/${flowId}`, { method: 'DELETE', headers: bearer(alice) });
    assert.equal(deleted.status, 200, deleted.text);

    await createFlow(server, bob, { id: flowId, name: 'Squatter', data: { nodes: [], edges: [] } });
    const list = await server.call(`/api/v1/files/list/${flowId}`, { headers: bearer(bob) });
    assert.deepEqual((list.body as Json).files, []);
    const fileName = String((upload.body as Json).file_path).split('/')[1];
    const read = await server.call(`/api/v1/files/download/${flowId}/${encodeURIComponent(fileName)}`, { headers: bearer(bob) });
    assert.equal(read.status, 404, read.text);
  });

  test('bulk and project deletes remove the flows\' files too', async () => {
    const { server, alice } = env;
    const project = await server.call('/api/v1/projects/', { method: 'POST', headers: bearer(alice), json: { name: 'Doomed', description: '' } });
    assert.equal(project.status, 201, project.text);
    const inProject = await createFlow(server, alice, { name: 'In project', folder_id: (project.body as Json).id, data: { nodes: [], edges: [] } });
    const loose = await createFlow(server, alice, { name: 'Loose', data: { nodes: [], edges: [] } });
    for (const flow of [inProject, loose]) {
      const upload = await server.call(`/api/v1/files/upload/${flow.id}`, { method: 'POST', headers: bearer(alice), body: multipartFile('a.txt', 'x') });
      assert.equal(upload.status, 201, upload.text);
    }
    assert.equal((await server.call(`/api/v1/projects/${(project.body as Json).id}`, { method: 'DELETE', headers: bearer(alice) })).status, 204);
    assert.equal((await server.call('/api/v1/flows/', { method: 'DELETE', headers: bearer(alice), json: [loose.id] })).status, 200);
    for (const flow of [inProject, loose]) {
      await createFlow(server, alice, { id: flow.id, name: `Again ${flow.name}`, data: { nodes: [], edges: [] } });
      const list = await server.call(`/api/v1/files/list/${flow.id}`, { headers: bearer(alice) });
      assert.deepEqual((list.body as Json).files, [], `files of ${flow.name} outlived it`);
    }
  });

  test("the unauthenticated public-flow response does not name the owner's user id", async () => {
    const { server, alice } = env;
    const flow = await createFlow(server, alice, { name: 'Shared', access_type: 'PUBLIC', data: { nodes: [], edges: [] } });
    const anonymous = await server.call(`/api/v1/flows/public_flow/${flow.id}`);
    assert.equal(anonymous.status, 200, anonymous.text);
    assert.equal((anonymous.body as Json).id, flow.id);
    assert.doesNotMatch(anonymous.text, new RegExp(alice.id));
  });
});
