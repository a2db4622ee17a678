import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { nowIso } from '../codec.js';
import { mapUniqueViolation } from '../errors.js';
import type { FileTable } from '../schema.js';
import { nextCopyName, startsWith } from './naming.js';
import type { Db } from './types.js';

/** A v2 user file's metadata (the bytes live in file storage at `path`). */
export interface FileRecord {
  id: string;
  user_id: string;
  name: string;
  path: string;
  size: number;
  provider: string | null;
  created_at: string;
  updated_at: string;
}

export interface NewFile {
  id?: string;
  name: string;
  path: string;
  size: number;
  provider?: string | null;
}

function toRecord(row: Selectable<FileTable>): FileRecord {
  return { ...row, size: Number(row.size) };
}

export class FilesRepository {
  constructor(private readonly db: Db) {}

  async create(userId: string, input: NewFile): Promise<FileRecord> {
    const now = nowIso();
    const row = {
      id: input.id ?? randomUUID(),
      user_id: userId,
      name: input.name,
      path: input.path,
      size: input.size,
      provider: input.provider ?? null,
      created_at: now,
      updated_at: now,
    };
    await mapUniqueViolation(() => this.db.insertInto('file').values(row).execute());
    return toRecord(row);
  }

  /** `name` if free for this user, else Langflow's `name (n)`. */
  async availableName(userId: string, name: string): Promise<string> {
    const rows = await this.db.selectFrom('file').select('name').where('user_id', '=', userId).where(startsWith('name', name)).execute();
    const names = rows.map((r) => r.name);
    return names.includes(name) ? nextCopyName(name, names) : name;
  }

  async listForUser(userId: string): Promise<FileRecord[]> {
    const rows = await this.db.selectFrom('file').selectAll().where('user_id', '=', userId).orderBy('created_at').orderBy('id').execute();
    return rows.map(toRecord);
  }

  async getForUser(id: string, userId: string): Promise<FileRecord | undefined> {
    const row = await this.db.selectFrom('file').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return row && toRecord(row);
  }

  async getByName(userId: string, name: string): Promise<FileRecord | undefined> {
    const row = await this.db.selectFrom('file').selectAll().where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
    return row && toRecord(row);
  }

  async update(id: string, userId: string, patch: { name?: string; size?: number; path?: string }): Promise<FileRecord | undefined> {
    const changes = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.size !== undefined && { size: patch.size }),
      ...(patch.path !== undefined && { path: patch.path }),
      updated_at: nowIso(),
    };
    await mapUniqueViolation(() => this.db.updateTable('file').set(changes).where('id', '=', id).where('user_id', '=', userId).execute());
    return this.getForUser(id, userId);
  }

  /** Deletes the user's files among `ids` and returns their records, so the caller can remove the bytes. */
  async deleteMany(ids: string[], userId: string): Promise<FileRecord[]> {
    if (ids.length === 0) return [];
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('file').selectAll().where('id', 'in', ids).where('user_id', '=', userId).execute();
      if (rows.length > 0) await trx.deleteFrom('file').where('id', 'in', rows.map((r) => r.id)).execute();
      return rows.map(toRecord);
    });
  }

  async deleteAllForUser(userId: string): Promise<FileRecord[]> {
    return this.db.transaction().execute(async (trx) => {
      const rows = await trx.selectFrom('file').selectAll().where('user_id', '=', userId).execute();
      await trx.deleteFrom('file').where('user_id', '=', userId).execute();
      return rows.map(toRecord);
    });
  }
}
