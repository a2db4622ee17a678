import { randomUUID } from 'node:crypto';
import { sql, type Selectable } from 'kysely';
import { fromBit, fromJson, nowIso, toBit, toJson } from '../codec.js';
import { mapUniqueViolation } from '../errors.js';
import type { UserTable } from '../schema.js';
import { deleteMonitorRowsOfFlows } from './monitor-cleanup.js';
import { countOf, nothingPending, type Db, type Settle } from './types.js';

export interface UserRecord {
  id: string;
  username: string;
  /** bcrypt hash; never send it out (see `toUserRead`). */
  password_hash: string;
  profile_image: string | null;
  is_active: boolean;
  is_superuser: boolean;
  create_at: string;
  updated_at: string;
  last_login_at: string | null;
  optins: Record<string, unknown> | null;
  store_api_key: string | null;
  /** Raised by every password change; tokens carry it (see auth/tokens.ts). Never sent out. */
  token_version: number;
}

export type UserRead = Omit<UserRecord, 'password_hash' | 'token_version'>;

export interface NewUser {
  username: string;
  passwordHash: string;
  isActive: boolean;
  isSuperuser: boolean;
  profileImage?: string | null;
  optins?: Record<string, unknown> | null;
}

export interface UserPatch {
  username?: string;
  passwordHash?: string;
  profileImage?: string | null;
  isActive?: boolean;
  isSuperuser?: boolean;
  lastLoginAt?: string | null;
  optins?: Record<string, unknown> | null;
  storeApiKey?: string | null;
}

export const DEFAULT_OPTINS = { github_starred: false, dialog_dismissed: false, discord_clicked: false };

export function userFromRow(row: Selectable<UserTable>): UserRecord {
  return {
    id: row.id,
    username: row.username,
    password_hash: row.password,
    profile_image: row.profile_image,
    is_active: fromBit(row.is_active),
    is_superuser: fromBit(row.is_superuser),
    create_at: row.create_at,
    updated_at: row.updated_at,
    last_login_at: row.last_login_at,
    optins: fromJson(row.optins, null),
    store_api_key: row.store_api_key,
    token_version: Number(row.token_version ?? 0),
  };
}

export function toUserRead(user: UserRecord): UserRead {
  const { password_hash: _hash, token_version: _version, ...read } = user;
  return read;
}

export class UsersRepository {
  constructor(
    private readonly db: Db,
    private readonly settle: Settle = nothingPending,
  ) {}

  async create(input: NewUser): Promise<UserRecord> {
    const now = nowIso();
    const row = {
      id: randomUUID(),
      username: input.username,
      password: input.passwordHash,
      profile_image: input.profileImage ?? null,
      is_active: toBit(input.isActive),
      is_superuser: toBit(input.isSuperuser),
      create_at: now,
      updated_at: now,
      last_login_at: null,
      optins: toJson(input.optins ?? DEFAULT_OPTINS),
      store_api_key: null,
      token_version: 0,
    };
    await mapUniqueViolation(() => this.db.insertInto('user').values(row).execute());
    return userFromRow(row);
  }

  async getById(id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('user').selectAll().where('id', '=', id).executeTakeFirst();
    return row && userFromRow(row);
  }

  async getByUsername(username: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('user').selectAll().where('username', '=', username).executeTakeFirst();
    return row && userFromRow(row);
  }

  /** A page of users; `search` keeps usernames containing it, case-insensitively, taken literally (% and _ too). */
  async list(skip = 0, limit = 10, search?: string): Promise<{ total: number; users: UserRecord[] }> {
    const pattern = search === undefined ? undefined : `%${search.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    const matching = () => {
      const all = this.db.selectFrom('user');
      return pattern === undefined ? all : all.where(sql<boolean>`lower(username) like ${pattern} escape '\\'`);
    };
    const total = countOf(await matching().select((eb) => eb.fn.countAll().as('count')).executeTakeFirst());
    const rows = await matching().selectAll().orderBy('create_at').orderBy('id').offset(skip).limit(limit).execute();
    return { total, users: rows.map(userFromRow) };
  }

  async update(id: string, patch: UserPatch): Promise<UserRecord | undefined> {
    const changes = {
      ...(patch.username !== undefined && { username: patch.username }),
      ...(patch.passwordHash !== undefined && { password: patch.passwordHash }),
      ...(patch.profileImage !== undefined && { profile_image: patch.profileImage }),
      ...(patch.isActive !== undefined && { is_active: toBit(patch.isActive) }),
      ...(patch.isSuperuser !== undefined && { is_superuser: toBit(patch.isSuperuser) }),
      ...(patch.lastLoginAt !== undefined && { last_login_at: patch.lastLoginAt }),
      ...(patch.optins !== undefined && { optins: toJson(patch.optins) }),
      ...(patch.storeApiKey !== undefined && { store_api_key: patch.storeApiKey }),
      updated_at: nowIso(),
    };
    await mapUniqueViolation(() =>
      this.db
        .updateTable('user')
        // A new password ends every session: tokens issued before it carry an older version.
        .set((eb) => (patch.passwordHash !== undefined ? { ...changes, token_version: eb('token_version', '+', 1) } : changes))
        .where('id', '=', id)
        .execute(),
    );
    return this.getById(id);
  }

  async recordLogin(id: string): Promise<void> {
    await this.db.updateTable('user').set({ last_login_at: nowIso() }).where('id', '=', id).execute();
  }

  /** Deletes the user; keys, variables, files, projects and flows go with it (foreign keys cascade). */
  /** Deletes the user; their projects and flows go by cascade, the monitor rows of those flows explicitly. */
  async delete(id: string): Promise<boolean> {
    await this.settle();
    return this.db.transaction().execute(async (trx) => {
      const flows = await trx.selectFrom('flow').select('id').where('user_id', '=', id).execute();
      await deleteMonitorRowsOfFlows(trx, flows.map((f) => f.id));
      const result = await trx.deleteFrom('user').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }
}
