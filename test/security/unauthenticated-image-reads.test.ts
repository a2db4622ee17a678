import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { bearer, createFlow, multipartFile, startTwoUsers, type Json, type TwoUsers } from './two-users.js';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 7, 7, 7]);

/**
 * Attack: `/api/v1/files/images/{flow_id}/{file_name}` answered anyone who knew a flow id and a
 * file name, without credentials. Langflow closed it (PR #12234): the flow's owner only, other users
 * get 404, and only image types are served.
 */
describe('attack: unauthenticated image reads', () => {
  let env: TwoUsers;
  let flowId: string;
  let imageName: string;
  before(async () => {
    env = await startTwoUsers();
    flowId = (await createFlow(env.server, env.alice, { name: 'Pictures', data: { nodes: [], edges: [] } })).id as string;
    const upload = await env.server.call(`/api/v1/files/upload/${flowId}`, { method: 'POST', headers: bearer(env.alice), body: multipartFile('scan.png', PNG, 'image/png') });
    assert.equal(upload.status, 201, upload.text);
    imageName = String((upload.body as Json).file_path).split('/')[1];
  });
  after(async () => env?.stop());

  test('no credentials: refused, no bytes', async () => {
    const response = await fetch(`${env.server.url}/api/v1/files/images/${flowId}/${encodeURIComponent(imageName)}`);
    assert.equal(response.status, 403);
    assert.notEqual(response.headers.get('content-type'), 'image/png');
  });

  test('another user: 404 Flow not found', async () => {
    const response = await env.server.call(`/api/v1/files/images/${flowId}/${encodeURIComponent(imageName)}`, { headers: bearer(env.bob) });
    assert.equal(response.status, 404);
    assert.deepEqual(response.body, { detail: 'Flow not found' });
  });

  test('the owner gets the image, by token or API key', async () => {
    for (const headers of [bearer(env.alice), { 'x-api-key': env.alice.key }]) {
      const response = await fetch(`${env.server.url}/api/v1/files/images/${flowId}/${encodeURIComponent(imageName)}`, { headers });
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'image/png');
      assert.deepEqual(new Uint8Array(await response.arrayBuffer()), PNG);
    }
  });

  test('the owner still gets no non-image file through the image route', async () => {
    const upload = await env.server.call(`/api/v1/files/upload/${flowId}`, { method: 'POST', headers: bearer(env.alice), body: multipartFile('page.html', '<script>alert(1)</script>') });
    const name = String((upload.body as Json).file_path).split('/')[1];
    const response = await env.server.call(`/api/v1/files/images/${flowId}/${encodeURIComponent(name)}`, { headers: bearer(env.alice) });
    assert.equal(response.status, 400);
    assert.deepEqual(response.body, { detail: 'Content type text/html is not an image' });
  });
});
