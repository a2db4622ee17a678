import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { fromJson, toJson } from '../codec.js';
import { mapUniqueViolation, UniqueViolationError } from '../errors.js';
import type { FolderTable } from '../schema.js';
import { deleteMonitorRowsOfFlows } from './monitor-cleanup.js';
import { nextCopyName, startsWith } from './naming.js';
import { nothingPending, type Db, type Settle } from './types.js';

export interface FolderRecord {
  id: string;
  name: string;
  description: string | null;
  parent_id: string | null;
  user_id: string | null;
  auth_settings: Record<string, unknown> | null;
}

export interface NewFolder {
  name: string;
  description?: string | null;
  parentId?: string | null;
  authSettings?: Record<string, unknown> | null;
}

export interface FolderPatch {
  name?: string;
  description?: string | null;
  parentId?: string | null;
  authSettings?: Record<string, unknown> | null;
}

function toRecord(row: Selectable<FolderTable>): FolderRecord {
  return { ...row, auth_settings: fromJson(row.auth_settings, null) };
}

const MAX_NAME_ATTEMPTS = 5;

/** Projects (Langflow's `folder` table). */
export class FoldersRepository {
  constructor(
    private readonly db: Db,
    private readonly settle: Settle = nothingPending,
  ) {}

  /** Creates a project; a clashing name becomes `Name (n)` as Langflow's POST /projects does. */
  async create(userId: string, input: NewFolder): Promise<FolderRecord> {
    for (let attempt = 1; ; attempt++) {
      const name = await this.availableName(userId, input.name);
      const row = {
        id: randomUUID(),
        name,
        description: input.description ?? null,
        parent_id: input.parentId ?? null,
        user_id: userId,
        auth_settings: toJson(input.authSettings ?? null),
      };
      try {
        await mapUniqueViolation(() => this.db.insertInto('folder').values(row).execute());
        return toRecord(row);
      } catch (error) {
        // A concurrent create took the name between our check and insert: pick again.
        if (!(error instanceof UniqueViolationError) || attempt >= MAX_NAME_ATTEMPTS) throw error;
      }
    }
  }

  private async availableName(userId: string, name: string): Promise<string> {
    const rows = await this.db
      .selectFrom('folder')
      .select('name')
      .where('user_id', '=', userId)
      .where(startsWith('name', name))
      .execute();
    const names = rows.map((r) => r.name);
    return names.includes(name) ? nextCopyName(name, names) : name;
  }

  async listForUser(userId: string): Promise<FolderRecord[]> {
    const rows = await this.db.selectFrom('folder').selectAll().where('user_id', '=', userId).orderBy('name').execute();
    return rows.map(toRecord);
  }

  async getForUser(id: string, userId: string): Promise<FolderRecord | undefined> {
    const row = await this.db.selectFrom('folder').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return row && toRecord(row);
  }

  /** Unscoped lookup, for callers that check ownership themselves (MCP project servers answer 404 after auth). */
  async getById(id: string): Promise<FolderRecord | undefined> {
    const row = await this.db.selectFrom('folder').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  async getByName(userId: string, name: string): Promise<FolderRecord | undefined> {
    const row = await this.db.selectFrom('folder').selectAll().where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
    return row && toRecord(row);
  }

  /** The user's default project, created on first need. */
  async ensureDefault(userId: string, name: string): Promise<FolderRecord> {
    const existing = await this.getByName(userId, name);
    if (existing) return existing;
    const row = { id: randomUUID(), name, description: 'Manage your own projects. Download and upload projects.', parent_id: null, user_id: userId, auth_settings: null };
    try {
      await mapUniqueViolation(() => this.db.insertInto('folder').values(row).execute());
      return toRecord(row);
    } catch (error) {
      const raced = error instanceof UniqueViolationError ? await this.getByName(userId, name) : undefined;
      if (raced) return raced;
      throw error;
    }
  }

  /** Renames do not de-duplicate (as Langflow's PATCH): a clash throws `UniqueViolationError`. */
  async update(id: string, userId: string, patch: FolderPatch): Promise<FolderRecord | undefined> {
    const changes = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.description !== undefined && { description: patch.description }),
      ...(patch.parentId !== undefined && { parent_id: patch.parentId }),
      ...(patch.authSettings !== undefined && { auth_settings: toJson(patch.authSettings) }),
    };
    if (Object.keys(changes).length > 0) {
      await mapUniqueViolation(() => this.db.updateTable('folder').set(changes).where('id', '=', id).where('user_id', '=', userId).execute());
    }
    return this.getForUser(id, userId);
  }

  /** Deletes the project with its flows (and their messages, builds and transactions). */
  async delete(id: string, userId: string): Promise<boolean> {
    await this.settle();
    return this.db.transaction().execute(async (trx) => {
      // Sub-projects and their flows go by cascade: their monitor rows must go too.
      const folderIds = [id];
      for (let level = [id]; level.length > 0; ) {
        level = (await trx.selectFrom('folder').select('id').where('parent_id', 'in', level).where('user_id', '=', userId).execute()).map((f) => f.id).filter((f) => !folderIds.includes(f));
        folderIds.push(...level);
      }
      const flows = await trx.selectFrom('flow').select('id').where('folder_id', 'in', folderIds).where('user_id', '=', userId).execute();
      await deleteMonitorRowsOfFlows(trx, flows.map((f) => f.id));
      await trx.deleteFrom('flow').where('folder_id', 'in', folderIds).where('user_id', '=', userId).execute();
      const result = await trx.deleteFrom('folder').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }
}
