import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TestServer } from '../../test-utils/api-server.js';
import { ADMIN, loginAs, multiUserServer, whoami, type Session } from './auth-session.js';

async function sessionRows(server: TestServer): Promise<{ live: string[]; revoked: string[] }> {
  const { db } = server.app.weft.database;
  const live = await db.selectFrom('auth_session').select('session_id').orderBy('session_id').execute();
  const revoked = await db.selectFrom('revoked_session').select('session_id').orderBy('session_id').execute();
  return { live: live.map((row) => row.session_id), revoked: revoked.map((row) => row.session_id) };
}

function sessionIdOf(session: Session): string {
  return (JSON.parse(Buffer.from(session.access.split('.')[1], 'base64url').toString()) as { sid: string }).sid;
}

/** Time passing for one session: its rows expire (as they would once its tokens' lifetime is over). */
async function expire(server: TestServer, session: Session): Promise<void> {
  const { db } = server.app.weft.database;
  const past = new Date(Date.now() - 1000).toISOString();
  for (const table of ['auth_session', 'revoked_session'] as const) {
    await db.updateTable(table).set({ expires_at: past }).where('session_id', '=', sessionIdOf(session)).execute();
  }
}

const sorted = (ids: string[]) => [...ids].sort();

/**
 * Issue 10: every login left an `auth_session` row and every logout a `revoked_session` row, and none was ever
 * deleted, so both tables (read on every authenticated request and refresh) grew with each login for ever. Rows
 * whose tokens have expired are now deleted whenever sessions are written (login, logout); live ones stay.
 */
test('expired session rows are deleted when sessions are written; live rows stay', async () => {
  const server = await multiUserServer();
  try {
    const logIn = async () => (await loginAs(server, ADMIN.username, ADMIN.password)).session!;
    const logOut = async (session: Session) => {
      const response = await server.call('/api/v1/logout', { method: 'POST', headers: { authorization: `Bearer ${session.access}` } });
      assert.equal(response.status, 200, response.text);
    };
    const [abandoned, kept, loggedOut, revokedLive] = [await logIn(), await logIn(), await logIn(), await logIn()];
    await logOut(loggedOut);
    await logOut(revokedLive);
    assert.deepEqual(await sessionRows(server), { live: sorted([sessionIdOf(abandoned), sessionIdOf(kept)]), revoked: sorted([sessionIdOf(loggedOut), sessionIdOf(revokedLive)]) });

    await expire(server, abandoned);
    await expire(server, loggedOut);
    const fresh = await logIn();
    assert.deepEqual(await sessionRows(server), {
      live: sorted([sessionIdOf(kept), sessionIdOf(fresh)]),
      revoked: [sessionIdOf(revokedLive)],
    });
    // The revocation still in force still refuses its token; live sessions work.
    assert.equal(await whoami(server, revokedLive.access), 401);
    assert.equal(await whoami(server, kept.access), 200);

    // A logout prunes as well.
    await expire(server, kept);
    await expire(server, revokedLive);
    await logOut(fresh);
    assert.deepEqual(await sessionRows(server), { live: [], revoked: [sessionIdOf(fresh)] });
  } finally {
    await server.stop();
  }
});
