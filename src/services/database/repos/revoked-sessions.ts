import { nowIso, toIso } from '../codec.js';
import type { Db } from './types.js';

/** Sessions ended by logout; tokens carrying a revoked `sid` are refused until they would have expired anyway. */
export class RevokedSessionsRepository {
  constructor(private readonly db: Db) {}

  async revoke(sessionId: string, expiresAt: string): Promise<void> {
    const expires = toIso(expiresAt);
    await this.db
      .insertInto('revoked_session')
      .values({ session_id: sessionId, expires_at: expires })
      .onConflict((oc) => oc.column('session_id').doUpdateSet({ expires_at: expires }))
      .execute();
  }

  async isRevoked(sessionId: string): Promise<boolean> {
    const row = await this.db.selectFrom('revoked_session').select('session_id').where('session_id', '=', sessionId).executeTakeFirst();
    return row !== undefined;
  }

  /** Drops entries whose tokens have expired on their own; returns how many. */
  async pruneExpired(now = nowIso()): Promise<number> {
    const result = await this.db.deleteFrom('revoked_session').where('expires_at', '<', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
