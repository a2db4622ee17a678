import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { fromJson, nowIso, toJson } from '../codec.js';
import { mapUniqueViolation } from '../errors.js';
import type { VariableTable } from '../schema.js';
import type { Db } from './types.js';

/** As stored: `value` is ciphertext for Credential variables (see services/variables). */
export interface VariableRecord {
  id: string;
  name: string;
  value: string;
  type: string;
  default_fields: string[];
  user_id: string;
  created_at: string;
  updated_at: string;
}

export interface NewVariable {
  name: string;
  value: string;
  type: string;
  defaultFields?: string[];
}

export interface VariablePatch {
  name?: string;
  value?: string;
  type?: string;
  defaultFields?: string[];
}

function toRecord(row: Selectable<VariableTable>): VariableRecord {
  return { ...row, default_fields: fromJson<string[]>(row.default_fields, []) };
}

export class VariablesRepository {
  constructor(private readonly db: Db) {}

  async create(userId: string, input: NewVariable): Promise<VariableRecord> {
    const now = nowIso();
    const row = {
      id: randomUUID(),
      name: input.name,
      value: input.value,
      type: input.type,
      default_fields: toJson(input.defaultFields ?? []),
      user_id: userId,
      created_at: now,
      updated_at: now,
    };
    await mapUniqueViolation(() => this.db.insertInto('variable').values(row).execute());
    return toRecord(row);
  }

  async listForUser(userId: string): Promise<VariableRecord[]> {
    const rows = await this.db.selectFrom('variable').selectAll().where('user_id', '=', userId).orderBy('name').execute();
    return rows.map(toRecord);
  }

  async getForUser(id: string, userId: string): Promise<VariableRecord | undefined> {
    const row = await this.db.selectFrom('variable').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return row && toRecord(row);
  }

  async getByName(userId: string, name: string): Promise<VariableRecord | undefined> {
    const row = await this.db.selectFrom('variable').selectAll().where('user_id', '=', userId).where('name', '=', name).executeTakeFirst();
    return row && toRecord(row);
  }

  async update(id: string, userId: string, patch: VariablePatch): Promise<VariableRecord | undefined> {
    const changes = {
      ...(patch.name !== undefined && { name: patch.name }),
      ...(patch.value !== undefined && { value: patch.value }),
      ...(patch.type !== undefined && { type: patch.type }),
      ...(patch.defaultFields !== undefined && { default_fields: toJson(patch.defaultFields) }),
      updated_at: nowIso(),
    };
    await mapUniqueViolation(() => this.db.updateTable('variable').set(changes).where('id', '=', id).where('user_id', '=', userId).execute());
    return this.getForUser(id, userId);
  }

  async delete(id: string, userId: string): Promise<boolean> {
    const result = await this.db.deleteFrom('variable').where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
