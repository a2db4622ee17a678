import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { fromBit, fromJson, nowIso, toBit, toJson } from '../codec.js';
import { ValidationError } from '../../../engine/errors.js';
import { mapUniqueViolation, UniqueViolationError } from '../errors.js';
import type { FlowTable } from '../schema.js';
import { FlowDataCache } from './flow-data-cache.js';
import { deleteMonitorRowsOfFlows } from './monitor-cleanup.js';
import { isValidEndpointName, nextCopyName, nextEndpointName, startsWith } from './naming.js';
import { countOf, nothingPending, pageOf, pageOffset, type Db, type Page, type PageRequest, type Settle } from './types.js';

export type AccessType = 'PRIVATE' | 'PUBLIC';

export interface FlowRecord {
  id: string;
  name: string;
  description: string | null;
  icon: string | null;
  icon_bg_color: string | null;
  gradient: string | null;
  data: Record<string, unknown> | null;
  is_component: boolean;
  updated_at: string;
  webhook: boolean;
  endpoint_name: string | null;
  tags: string[];
  locked: boolean;
  mcp_enabled: boolean;
  action_name: string | null;
  action_description: string | null;
  access_type: AccessType;
  user_id: string | null;
  folder_id: string | null;
  fs_path: string | null;
}

/** FlowCreate's fields. */
export interface FlowInput {
  id?: string;
  name: string;
  description?: string | null;
  icon?: string | null;
  icon_bg_color?: string | null;
  gradient?: string | null;
  data?: Record<string, unknown> | null;
  is_component?: boolean;
  endpoint_name?: string | null;
  tags?: string[];
  locked?: boolean;
  mcp_enabled?: boolean;
  action_name?: string | null;
  action_description?: string | null;
  access_type?: AccessType;
  folder_id?: string | null;
  fs_path?: string | null;
}

/** FlowUpdate's fields; only those present are applied. */
export type FlowPatch = Partial<Omit<FlowInput, 'id'>>;

export interface FlowListFilter {
  folderId?: string;
  componentsOnly?: boolean;
  /** With AUTO_LOGIN Langflow also lists flows that have no owner. */
  includeUnowned?: boolean;
  /** Leaves out flows in this folder (the read-only examples). */
  excludeFolderId?: string;
}

/**
 * How a lookup's `data` is parsed: 'own' (the default) gives the caller its own copy to change; 'shared-read-only'
 * returns the parse shared by every run of the same stored version (see FlowDataCache), for callers that only run it.
 */
export type FlowDataAccess = 'own' | 'shared-read-only';

/** An endpoint name Langflow's validator refuses (a 422 naming `endpoint_name`). */
export class InvalidEndpointNameError extends ValidationError {
  constructor(readonly endpointName: string) {
    super(`Invalid endpoint name "${endpointName}": use letters, digits, "_" and "-" only`);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A `flow_id_or_name` path value that is looked up as a flow id (a UUID) rather than an endpoint name. */
export function isFlowIdLike(idOrName: string): boolean {
  return UUID.test(idOrName);
}
const MAX_NAME_ATTEMPTS = 5;

function toRecord(row: Selectable<FlowTable>): FlowRecord {
  return recordOf(row);
}

function recordOf(row: Selectable<FlowTable>, sharedData?: FlowDataCache): FlowRecord {
  return {
    ...row,
    data: sharedData ? sharedData.parse(row.id, row.data) : fromJson(row.data, null),
    is_component: fromBit(row.is_component),
    webhook: fromBit(row.webhook),
    tags: fromJson<string[]>(row.tags, []),
    locked: fromBit(row.locked),
    mcp_enabled: fromBit(row.mcp_enabled),
    access_type: row.access_type === 'PUBLIC' ? 'PUBLIC' : 'PRIVATE',
  };
}

/** Langflow's `get_webhook_component_in_flow`: a node whose id names the Webhook component. */
export function containsWebhook(data: Record<string, unknown> | null | undefined): boolean {
  const nodes = data?.nodes;
  if (!Array.isArray(nodes)) return false;
  return nodes.some((node: { id?: unknown; data?: { type?: unknown } }) =>
    (typeof node?.id === 'string' && node.id.includes('Webhook')) || node?.data?.type === 'Webhook');
}

function checkEndpointName(name: string | null | undefined): void {
  if (name && !isValidEndpointName(name)) throw new InvalidEndpointNameError(name);
}

function patchColumns(patch: FlowPatch): Partial<Selectable<FlowTable>> {
  return {
    ...(patch.name !== undefined && { name: patch.name }),
    ...(patch.description !== undefined && { description: patch.description }),
    ...(patch.icon !== undefined && { icon: patch.icon }),
    ...(patch.icon_bg_color !== undefined && { icon_bg_color: patch.icon_bg_color }),
    ...(patch.gradient !== undefined && { gradient: patch.gradient }),
    ...(patch.data !== undefined && { data: toJson(patch.data), webhook: toBit(containsWebhook(patch.data)) }),
    ...(patch.is_component !== undefined && { is_component: toBit(patch.is_component) }),
    ...(patch.endpoint_name !== undefined && { endpoint_name: patch.endpoint_name || null }),
    ...(patch.tags !== undefined && { tags: toJson(patch.tags) }),
    ...(patch.locked !== undefined && { locked: toBit(patch.locked) }),
    ...(patch.mcp_enabled !== undefined && { mcp_enabled: toBit(patch.mcp_enabled) }),
    ...(patch.action_name !== undefined && { action_name: patch.action_name }),
    ...(patch.action_description !== undefined && { action_description: patch.action_description }),
    ...(patch.access_type !== undefined && { access_type: patch.access_type }),
    ...(patch.folder_id !== undefined && { folder_id: patch.folder_id }),
    ...(patch.fs_path !== undefined && { fs_path: patch.fs_path }),
  };
}

export class FlowsRepository {
  private readonly sharedData = new FlowDataCache();

  constructor(
    private readonly db: Db,
    private readonly settle: Settle = nothingPending,
  ) {}

  /**
   * Creates a flow owned by `userId`, de-duplicating as Langflow's POST /flows does:
   * a clashing name becomes `Name (n)`, a clashing endpoint name `name-n`.
   */
  async create(userId: string | null, input: FlowInput): Promise<FlowRecord> {
    checkEndpointName(input.endpoint_name);
    for (let attempt = 1; ; attempt++) {
      const row = {
        id: input.id ?? randomUUID(),
        name: await this.availableName(userId, input.name),
        description: input.description ?? null,
        icon: input.icon ?? null,
        icon_bg_color: input.icon_bg_color ?? null,
        gradient: input.gradient ?? null,
        data: toJson(input.data ?? null),
        is_component: toBit(input.is_component),
        updated_at: nowIso(),
        webhook: toBit(containsWebhook(input.data)),
        endpoint_name: input.endpoint_name ? await this.availableEndpointName(userId, input.endpoint_name) : null,
        tags: toJson(input.tags ?? []),
        locked: toBit(input.locked),
        mcp_enabled: toBit(input.mcp_enabled),
        action_name: input.action_name ?? null,
        action_description: input.action_description ?? null,
        access_type: input.access_type ?? 'PRIVATE',
        user_id: userId,
        folder_id: input.folder_id ?? null,
        fs_path: input.fs_path ?? null,
      };
      try {
        await mapUniqueViolation(() => this.db.insertInto('flow').values(row).execute());
        return toRecord(row);
      } catch (error) {
        // A concurrent create took the name between our check and insert: pick again.
        const nameRace = error instanceof UniqueViolationError && error.column !== 'id';
        if (!nameRace || attempt >= MAX_NAME_ATTEMPTS) throw error;
      }
    }
  }

  private ownedBy(userId: string | null) {
    return this.db.selectFrom('flow').where((eb) => (userId === null ? eb('user_id', 'is', null) : eb('user_id', '=', userId)));
  }

  private async availableName(userId: string | null, name: string): Promise<string> {
    const rows = await this.ownedBy(userId).select('name').where(startsWith('name', name)).execute();
    const names = rows.map((r) => r.name);
    return names.includes(name) ? nextCopyName(name, names) : name;
  }

  private async availableEndpointName(userId: string | null, endpointName: string): Promise<string> {
    const rows = await this.ownedBy(userId).select('endpoint_name').where(startsWith('endpoint_name', endpointName)).execute();
    const names = rows.map((r) => r.endpoint_name).filter((n): n is string => n !== null);
    return names.includes(endpointName) ? nextEndpointName(endpointName, names) : endpointName;
  }

  private filtered(userId: string, filter: FlowListFilter) {
    let query = this.db
      .selectFrom('flow')
      .where((eb) => (filter.includeUnowned ? eb.or([eb('user_id', '=', userId), eb('user_id', 'is', null)]) : eb('user_id', '=', userId)));
    if (filter.folderId !== undefined) query = query.where('folder_id', '=', filter.folderId);
    if (filter.excludeFolderId !== undefined) {
      const excluded = filter.excludeFolderId;
      query = query.where((eb) => eb.or([eb('folder_id', 'is', null), eb('folder_id', '!=', excluded)]));
    }
    if (filter.componentsOnly) query = query.where('is_component', '=', 1);
    return query;
  }

  async list(userId: string, filter: FlowListFilter = {}): Promise<FlowRecord[]> {
    const rows = await this.filtered(userId, filter).selectAll().orderBy('updated_at', 'desc').orderBy('id').execute();
    return rows.map(toRecord);
  }

  async listPage(userId: string, filter: FlowListFilter, request: PageRequest): Promise<Page<FlowRecord>> {
    const offset = pageOffset(request);
    const total = countOf(await this.filtered(userId, filter).select((eb) => eb.fn.countAll().as('count')).executeTakeFirst());
    const rows = await this.filtered(userId, filter).selectAll().orderBy('updated_at', 'desc').orderBy('id').offset(offset).limit(request.size).execute();
    return pageOf(rows.map(toRecord), total, request);
  }

  async getForUser(id: string, userId: string): Promise<FlowRecord | undefined> {
    const row = await this.db.selectFrom('flow').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();
    return row && toRecord(row);
  }

  /** Unscoped lookup, for callers that check access themselves (public flows, webhooks). */
  async getById(id: string): Promise<FlowRecord | undefined> {
    const row = await this.db.selectFrom('flow').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toRecord(row);
  }

  /**
   * Langflow's `get_flow_by_id_or_endpoint_name`: a UUID is looked up by primary key (no user filter);
   * anything else by endpoint name, filtered by user only when one is given.
   */
  async getByIdOrEndpointName(idOrName: string, userId?: string, access: FlowDataAccess = 'own'): Promise<FlowRecord | undefined> {
    const byId = UUID.test(idOrName);
    let query = this.db.selectFrom('flow').selectAll();
    query = byId ? query.where('id', '=', idOrName.toLowerCase()) : query.where('endpoint_name', '=', idOrName);
    if (!byId && userId !== undefined) query = query.where('user_id', '=', userId);
    const row = await query.orderBy('updated_at').orderBy('id').executeTakeFirst();
    return row && recordOf(row, access === 'shared-read-only' ? this.sharedData : undefined);
  }

  /**
   * Flows with this endpoint name across all users (at most `limit`), oldest first: an endpoint name
   * is unique per user only, so a caller without a user must find exactly one to use it.
   */
  async listByEndpointName(endpointName: string, limit = 2): Promise<FlowRecord[]> {
    const rows = await this.db.selectFrom('flow').selectAll().where('endpoint_name', '=', endpointName).orderBy('updated_at').orderBy('id').limit(limit).execute();
    return rows.map(toRecord);
  }

  /** Applies the patch; clashes are not renamed (Langflow's PATCH) and throw `UniqueViolationError`. */
  async update(id: string, userId: string, patch: FlowPatch): Promise<FlowRecord | undefined> {
    checkEndpointName(patch.endpoint_name);
    const changes = { ...patchColumns(patch), updated_at: nowIso() };
    await mapUniqueViolation(() => this.db.updateTable('flow').set(changes).where('id', '=', id).where('user_id', '=', userId).execute());
    return this.getForUser(id, userId);
  }

  async delete(id: string, userId: string): Promise<boolean> {
    return (await this.deleteMany([id], userId)) > 0;
  }

  /** Deletes the user's flows among `ids` with their messages, builds and transactions; returns how many. */
  async deleteMany(ids: string[], userId: string): Promise<number> {
    if (ids.length === 0) return 0;
    // Pending run records of these flows must land before their rows are deleted, or they would outlive them.
    await this.settle();
    return this.db.transaction().execute(async (trx) => {
      const owned = await trx.selectFrom('flow').select('id').where('id', 'in', ids).where('user_id', '=', userId).execute();
      const ownedIds = owned.map((f) => f.id);
      if (ownedIds.length === 0) return 0;
      await deleteMonitorRowsOfFlows(trx, ownedIds);
      const result = await trx.deleteFrom('flow').where('id', 'in', ownedIds).executeTakeFirst();
      return Number(result.numDeletedRows);
    });
  }
}
