import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, loginAs, multiUserServer, refreshWith, whoami } from './auth-session.js';

/**
 * Attack: a copied refresh token keeps minting access tokens alongside its owner for a week (issue 10).
 * Refresh tokens are single-use; presenting a spent one ends the whole session (reuse detection).
 */
test('refresh token replay: a spent refresh token is refused and ends the session', async () => {
  const server = await multiUserServer();
  try {
    const first = (await loginAs(server, ADMIN.username, ADMIN.password)).session!;
    const second = await refreshWith(server, first.refresh);
    assert.equal(second.status, 200);
    assert.notEqual(second.session!.refresh, first.refresh, 'rotated');
    assert.equal(await whoami(server, second.session!.access), 200);

    const replay = await refreshWith(server, first.refresh);
    assert.equal(replay.status, 401);
    assert.deepEqual(replay.body, { detail: 'Invalid refresh token' });
    // The replay revoked the family: the legitimate holder's newer tokens stop too.
    assert.equal((await refreshWith(server, second.session!.refresh)).status, 401);
    assert.equal(await whoami(server, second.session!.access), 401);

    const other = (await loginAs(server, ADMIN.username, ADMIN.password)).session!;
    assert.equal(await whoami(server, other.access), 200, 'other sessions live on');
  } finally {
    await server.stop();
  }
});
