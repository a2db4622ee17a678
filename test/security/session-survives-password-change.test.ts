import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, createUser, loginAs, multiUserServer, refreshWith, whoami } from './auth-session.js';

/**
 * Attack: a stolen session outlives the password change its owner makes to lock the thief out (issue 10).
 * Every token issued before a password change or reset stops working, access and refresh alike.
 */
test('session survives password change: reset and admin change both end every earlier session', async () => {
  const server = await multiUserServer();
  try {
    const admin = (await loginAs(server, ADMIN.username, ADMIN.password)).session!;
    const userId = await createUser(server, admin, 'victim', 'old-password-1');
    const thief = (await loginAs(server, 'victim', 'old-password-1')).session!;
    const owner = (await loginAs(server, 'victim', 'old-password-1')).session!;

    const reset = await server.call(`/api/v1/users/${userId}/reset-password`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${owner.access}` },
      json: { password: 'new-password-2' },
    });
    assert.equal(reset.status, 200);
    for (const session of [thief, owner]) {
      assert.equal(await whoami(server, session.access), 401, 'access token from before the reset');
      assert.equal((await refreshWith(server, session.refresh)).status, 401, 'refresh token from before the reset');
    }
    assert.equal((await loginAs(server, 'victim', 'old-password-1')).status, 401);
    const fresh = (await loginAs(server, 'victim', 'new-password-2')).session!;
    assert.equal(await whoami(server, fresh.access), 200);

    // A superuser setting the password (PATCH /users/{id}) ends the sessions too.
    const patched = await server.call(`/api/v1/users/${userId}`, { method: 'PATCH', headers: { authorization: `Bearer ${admin.access}` }, json: { password: 'third-password-3' } });
    assert.equal(patched.status, 200);
    assert.equal(await whoami(server, fresh.access), 401);
    assert.equal((await refreshWith(server, fresh.refresh)).status, 401);
    assert.equal(await whoami(server, admin.access), 200, "the admin's own session is untouched");
  } finally {
    await server.stop();
  }
});
