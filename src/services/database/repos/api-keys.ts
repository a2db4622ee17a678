import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { fromBit, nowIso } from '../codec.js';
import { mapUniqueViolation } from '../errors.js';
import type { ApiKeyTable } from '../schema.js';
import { nothingPending, type CountKeyUse, type Db, type Settle } from './types.js';
import { userFromRow, type UserRecord } from './users.js';

export interface ApiKeyRecord {
  id: string;
  name: string | null;
  key_hash: string;
  key_prefix: string;
  user_id: string;
  created_at: string;
  last_used_at: string | null;
  total_uses: number;
  is_active: boolean;
}

export interface NewApiKey {
  userId: string;
  name: string | null;
  keyHash: string;
  keyPrefix: string;
}

function toRecord(row: Selectable<ApiKeyTable>): ApiKeyRecord {
  return { ...row, total_uses: Number(row.total_uses), is_active: fromBit(row.is_active) };
}

export class ApiKeysRepository {
  constructor(
    private readonly db: Db,
    private readonly settle: Settle = nothingPending,
    /** Every /run authenticates: with the database's recorder, uses are counted behind instead of an UPDATE each. */
    private readonly countBehind?: CountKeyUse,
  ) {}

  async create(input: NewApiKey): Promise<ApiKeyRecord> {
    const row = {
      id: randomUUID(),
      name: input.name,
      key_hash: input.keyHash,
      key_prefix: input.keyPrefix,
      user_id: input.userId,
      created_at: nowIso(),
      last_used_at: null,
      total_uses: 0,
      is_active: 1 as const,
    };
    await mapUniqueViolation(() => this.db.insertInto('apikey').values(row).execute());
    return toRecord(row);
  }

  async listForUser(userId: string): Promise<ApiKeyRecord[]> {
    await this.settle();
    const rows = await this.db.selectFrom('apikey').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toRecord);
  }

  /** The active key's id and its owner, in one query: every /run authenticates this way. */
  async findActiveOwnerByHash(keyHash: string): Promise<{ keyId: string; owner: UserRecord } | undefined> {
    const row = await this.db
      .selectFrom('apikey')
      .innerJoin('user', 'user.id', 'apikey.user_id')
      .selectAll('user')
      .select('apikey.id as key_id')
      .where('apikey.key_hash', '=', keyHash)
      .where('apikey.is_active', '=', 1)
      .executeTakeFirst();
    if (!row) return undefined;
    const { key_id: keyId, ...user } = row;
    return { keyId, owner: userFromRow(user) };
  }

  /** Counts a use of the key: behind, when the database has a recorder, else at once. */
  async recordUse(id: string): Promise<void> {
    if (this.countBehind) this.countBehind(id);
    else await this.addUses(id, 1, nowIso());
  }

  /** Added in SQL, so uses counted by other replicas are not lost. */
  async addUses(id: string, count: number, lastUsedAt: string): Promise<void> {
    await this.db
      .updateTable('apikey')
      .set((eb) => ({ total_uses: eb('total_uses', '+', count), last_used_at: lastUsedAt }))
      .where('id', '=', id)
      .execute();
  }

  async deleteForUser(id: string, userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('apikey').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
