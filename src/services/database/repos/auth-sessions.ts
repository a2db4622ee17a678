import { nowIso, toIso } from '../codec.js';
import type { Db } from './types.js';

/**
 * Login sessions and their refresh-token families. A refresh token can be used once: rotating it replaces the
 * session's `refresh_jti`, so presenting an older one (a stolen or replayed token) finds no match.
 */
export class AuthSessionsRepository {
  constructor(private readonly db: Db) {}

  async start(session: { sessionId: string; userId: string; refreshJti: string; expiresAt: string }): Promise<void> {
    await this.db
      .insertInto('auth_session')
      .values({ session_id: session.sessionId, user_id: session.userId, refresh_jti: session.refreshJti, expires_at: toIso(session.expiresAt) })
      .execute();
  }

  /** Swaps the session's refresh token `from` for `to`; false if `from` is not the session's current one. */
  async rotate(sessionId: string, from: string, to: string, expiresAt: string): Promise<boolean> {
    const result = await this.db
      .updateTable('auth_session')
      .set({ refresh_jti: to, expires_at: toIso(expiresAt) })
      .where('session_id', '=', sessionId)
      .where('refresh_jti', '=', from)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1;
  }

  async exists(sessionId: string): Promise<boolean> {
    const row = await this.db.selectFrom('auth_session').select('session_id').where('session_id', '=', sessionId).executeTakeFirst();
    return row !== undefined;
  }

  async end(sessionId: string): Promise<void> {
    await this.db.deleteFrom('auth_session').where('session_id', '=', sessionId).execute();
  }

  /** Every session of the user (a password change ends them all). */
  async endAllOf(userId: string): Promise<void> {
    await this.db.deleteFrom('auth_session').where('user_id', '=', userId).execute();
  }

  async pruneExpired(now = nowIso()): Promise<number> {
    const result = await this.db.deleteFrom('auth_session').where('expires_at', '<', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
