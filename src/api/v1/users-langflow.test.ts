import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../../test-utils/api-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** /api/v1/users as Langflow's tests/unit/api/v1/test_users.py expects it (sign-up, self-deactivation, search). */
for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`users routes as Langflow's test_users (${dialect})`, () => {
    let server: TestServer;
    let admin: Record<string, string>;

    before(async () => {
      server = await startTestServer(dialect, { LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass' });
      const login = await server.call('/api/v1/login', {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=admin-pass',
      });
      admin = { authorization: `Bearer ${(login.body as Json).access_token}` };
    });
    after(async () => server?.stop());

    test('anonymous sign-up creates an inactive user; a duplicate name is a 400', async () => {
      const created = await server.call('/api/v1/users/', { method: 'POST', json: { username: 'newuser', password: 'newpassword123' } });
      assert.equal(created.status, 201, created.text);
      const user = created.body as Json;
      assert.equal(user.username, 'newuser');
      assert.equal(user.is_superuser, false);
      assert.equal(user.is_active, false);
      assert.ok('store_api_key' in user);
      const again = await server.call('/api/v1/users/', { method: 'POST', json: { username: 'newuser', password: 'newpassword123' } });
      assert.equal(again.status, 400);
      assert.match((again.body as Json).detail, /unavailable/);
    });

    test('a user cannot deactivate their own account, even a superuser', async () => {
      const me = (await server.call('/api/v1/users/whoami', { headers: admin })).body as Json;
      const response = await server.call(`/api/v1/users/${me.id}`, { method: 'PATCH', headers: admin, json: { is_active: false } });
      assert.equal(response.status, 403);
      assert.match((response.body as Json).detail, /can't deactivate your own user account/);
      assert.equal(((await server.call('/api/v1/users/whoami', { headers: admin })).body as Json).is_active, true);
    });

    test('search filters usernames case-insensitively and literally, total_count counts every match', async () => {
      for (const username of ['alice_search', 'bob_search', 'charlie_search', 'bobXsearch']) {
        assert.equal((await server.call('/api/v1/users/', { method: 'POST', headers: admin, json: { username, password: 'password123' } })).status, 201);
      }
      const list = async (query: string) => (await server.call(`/api/v1/users/?${query}`, { headers: admin })).body as Json;
      assert.deepEqual((await list('search=ALICE')).users.map((u: Json) => u.username), ['alice_search']);
      const all = await list('search=_search');
      assert.equal(all.total_count, 3, 'the underscore is literal');
      assert.equal((await list('search=_search&limit=1')).users.length, 1);
      assert.equal((await list('search=_search&limit=1')).total_count, 3);
      assert.deepEqual(await list('search=nonexistentuser'), { total_count: 0, users: [] });
    });
  });
}

describe('sign-up refused as Langflow refuses it', () => {
  test('with AUTO_LOGIN on, or ENABLE_SIGNUP off, an anonymous sign-up is a 403', async () => {
    const refusing: Record<string, string>[] = [{}, { LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_ENABLE_SIGNUP: 'false' }];
    for (const env of refusing) {
      const server = await startTestServer('sqlite', env);
      try {
        const response = await server.call('/api/v1/users/', { method: 'POST', json: { username: 'blocked', password: 'newpassword123' } });
        assert.equal(response.status, 403, JSON.stringify(env));
        assert.equal((response.body as Json).detail, 'Public user registration is disabled.');
      } finally {
        await server.stop();
      }
    }
  });
});
