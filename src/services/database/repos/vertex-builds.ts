import { PostgresAdapter, sql, type Selectable } from 'kysely';
import { timeOrderedUuid } from '../../../engine/schema/ids.js';
import { DEFAULT_RUN_RECORDS } from '../../settings.js';
import { fromBit, fromJson, nowIso, toBit, toIso, toJson } from '../codec.js';
import type { VertexBuildTable } from '../schema.js';
import { countOf, nothingPending, type Db, type Settle } from './types.js';

export interface VertexBuildRecord {
  build_id: string;
  /** The vertex id. */
  id: string;
  flow_id: string;
  timestamp: string;
  data: Record<string, unknown> | null;
  artifacts: Record<string, unknown> | null;
  params: string | null;
  valid: boolean;
}

export interface NewVertexBuild {
  id: string;
  flowId: string;
  valid: boolean;
  data?: Record<string, unknown> | null;
  artifacts?: Record<string, unknown> | null;
  params?: string | null;
  timestamp?: string;
}


const WRITE_ATTEMPTS = 6;

/** PostgreSQL's deadlock_detected and serialization_failure, SQLite's busy/locked: safe to retry the whole transaction. */
function isTransientConflict(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001' || code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED';
}

function toRecord(row: Selectable<VertexBuildTable>): VertexBuildRecord {
  return {
    ...row,
    data: fromJson(row.data, null),
    artifacts: fromJson(row.artifacts, null),
    valid: fromBit(row.valid),
  };
}

export interface VertexBuildsOptions {
  keptPerVertex?: number;
  keptInTotal?: number;
  settle?: Settle;
}

export class VertexBuildsRepository {
  private readonly keptPerVertex: number;
  private readonly keptInTotal: number;
  private readonly settle: Settle;

  constructor(
    private readonly db: Db,
    options: VertexBuildsOptions = {},
  ) {
    this.keptPerVertex = options.keptPerVertex ?? DEFAULT_RUN_RECORDS.maxVertexBuildsPerVertex;
    this.keptInTotal = options.keptInTotal ?? DEFAULT_RUN_RECORDS.maxVertexBuildsToKeep;
    this.settle = options.settle ?? nothingPending;
  }

  /** Records a build and prunes old ones, as Langflow's `log_vertex_build` does. */
  async insert(build: NewVertexBuild): Promise<VertexBuildRecord> {
    const row = this.row(build);
    await this.write([row]);
    return toRecord(row);
  }

  /** Records one run's builds in one database transaction (the hot path of every run). */
  async insertMany(builds: NewVertexBuild[]): Promise<number> {
    if (builds.length > 0) await this.write(builds.map((build) => this.row(build)));
    return builds.length;
  }

  private async write(rows: ReturnType<VertexBuildsRepository['row']>[]): Promise<void> {
    // Pruning writers take turns (lockForPruning), but a delete of the same rows by another path can still make
    // PostgreSQL pick this transaction as a deadlock victim: it is safe to run again.
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.writeOnce(rows);
      } catch (error) {
        if (attempt >= WRITE_ATTEMPTS || !isTransientConflict(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  private async writeOnce(rows: ReturnType<VertexBuildsRepository['row']>[]): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('vertex_build').values(rows).execute();
      const repo = new VertexBuildsRepository(trx, { keptPerVertex: this.keptPerVertex, keptInTotal: this.keptInTotal });
      for (const flowId of [...new Set(rows.map((r) => r.flow_id))].sort()) {
        await repo.lockForPruning(flowId);
        await repo.prunePerVertex(flowId, [...new Set(rows.filter((r) => r.flow_id === flowId).map((r) => r.id))]);
      }
      await repo.pruneTotal();
    });
  }

  private row(build: NewVertexBuild) {
    return {
      build_id: timeOrderedUuid(),
      id: build.id,
      flow_id: build.flowId,
      timestamp: build.timestamp ? toIso(build.timestamp) : nowIso(),
      data: toJson(build.data ?? null),
      artifacts: toJson(build.artifacts ?? null),
      params: build.params ?? null,
      valid: toBit(build.valid),
    };
  }

  /** Keeps the newest builds of each of these vertices, in one statement (SQLite ≥ 3.25 and PostgreSQL window functions). */
  private async prunePerVertex(flowId: string, vertexIds: string[]): Promise<void> {
    await sql`
      DELETE FROM vertex_build WHERE build_id IN (
        SELECT build_id FROM (
          SELECT build_id, ROW_NUMBER() OVER (PARTITION BY id ORDER BY timestamp DESC, build_id) AS position
          FROM vertex_build WHERE flow_id = ${flowId} AND id IN (${sql.join(vertexIds)})
        ) ranked WHERE position > ${this.keptPerVertex}
      )`.execute(this.db);
  }

  /**
   * On PostgreSQL, concurrent runs of one flow would delete the same rows in different orders and deadlock;
   * a transaction-scoped advisory lock makes them take turns (locks are always taken flows first, in sorted order,
   * then the global one). SQLite serialises writers already.
   */
  private async lockForPruning(scope: string): Promise<void> {
    if (!(this.db.getExecutor().adapter instanceof PostgresAdapter)) return;
    await sql`SELECT pg_advisory_xact_lock(hashtext(${`weft.vertex_build:${scope}`}))`.execute(this.db);
  }

  private async countAll(): Promise<number> {
    return countOf(await this.db.selectFrom('vertex_build').select((eb) => eb.fn.countAll().as('count')).executeTakeFirst());
  }

  private async pruneTotal(): Promise<void> {
    if ((await this.countAll()) <= this.keptInTotal) return;
    await this.lockForPruning('*');
    const total = await this.countAll();
    if (total <= this.keptInTotal) return;
    const oldest = await this.db
      .selectFrom('vertex_build')
      .select('build_id')
      .orderBy('timestamp')
      .orderBy('build_id')
      .limit(total - this.keptInTotal)
      .execute();
    await this.db.deleteFrom('vertex_build').where('build_id', 'in', oldest.map((r) => r.build_id)).execute();
  }

  private ownedFlow(flowId: string, userId: string) {
    return this.db.selectFrom('flow').select('id').where('id', '=', flowId).where('user_id', '=', userId);
  }

  /** GET /monitor/builds: the user's flow's builds grouped by vertex id, oldest first. */
  async listByFlow(flowId: string, userId: string): Promise<Record<string, VertexBuildRecord[]>> {
    await this.settle();
    const rows = await this.db
      .selectFrom('vertex_build')
      .selectAll()
      .where('flow_id', 'in', this.ownedFlow(flowId, userId))
      .orderBy('timestamp')
      .orderBy('build_id')
      .execute();
    const grouped: Record<string, VertexBuildRecord[]> = {};
    for (const row of rows) (grouped[row.id] ??= []).push(toRecord(row));
    return grouped;
  }

  async deleteByFlow(flowId: string, userId: string): Promise<number> {
    await this.settle();
    const result = await this.db.deleteFrom('vertex_build').where('flow_id', 'in', this.ownedFlow(flowId, userId)).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
