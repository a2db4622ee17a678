import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { fromBit, nowIso } from '../codec.js';
import { mapUniqueViolation } from '../errors.js';
import type { ApiKeyTable } from '../schema.js';
import type { Db } from './types.js';

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
  constructor(private readonly db: Db) {}

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
    const rows = await this.db.selectFrom('apikey').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toRecord);
  }

  async findActiveByHash(keyHash: string): Promise<ApiKeyRecord | undefined> {
    const row = await this.db
      .selectFrom('apikey')
      .selectAll()
      .where('key_hash', '=', keyHash)
      .where('is_active', '=', 1)
      .executeTakeFirst();
    return row && toRecord(row);
  }

  /** Counted in SQL so concurrent uses are not lost. */
  async recordUse(id: string): Promise<void> {
    await this.db
      .updateTable('apikey')
      .set((eb) => ({ total_uses: eb('total_uses', '+', 1), last_used_at: nowIso() }))
      .where('id', '=', id)
      .execute();
  }

  async deleteForUser(id: string, userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('apikey').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
