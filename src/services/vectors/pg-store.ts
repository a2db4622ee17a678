import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { assertSafeName } from '../files/names.js';
import { filterKey, maximalMarginalRelevance, recordKey, validateRecords, wordCount } from './math.js';
import {
  assertCollectionName,
  VectorStoreError,
  type CollectionInfo,
  type IngestOptions,
  type IngestResult,
  type SearchHit,
  type SearchOptions,
  type StoredChunk,
  type VectorRecord,
  type VectorSpace,
  type VectorStore,
  type VectorStoreService,
} from '../../engine/vector-store.js';

/** How pgvector compares vectors: `<=>` cosine (default), `<->` L2, `<#>` negative inner product. */
export type PgDistance = 'cosine' | 'l2' | 'inner';

const OPERATOR: Record<PgDistance, { op: string; ops: string }> = {
  cosine: { op: '<=>', ops: 'vector_cosine_ops' },
  l2: { op: '<->', ops: 'vector_l2_ops' },
  inner: { op: '<#>', ops: 'vector_ip_ops' },
};

/** The score a distance gives, higher is closer (LangChain's relevance functions for pgvector). */
function scoreOf(distance: PgDistance, value: number): number {
  if (distance === 'cosine') return 1 - value;
  if (distance === 'l2') return 1 - value / Math.SQRT2;
  return -value;
}

const ROWS_PER_INSERT = 500;
/** HNSW's largest `ef_search`: past it (or with a filter) searches scan exactly. */
const MAX_EF_SEARCH = 1000;

const vectorText = (vector: ArrayLike<number>): string => `[${Array.from(vector as ArrayLike<number>).join(',')}]`;
const parseVector = (text: string): number[] => text.slice(1, -1).split(',').map(Number);

interface CollectionRow {
  id: string;
  name: string;
  dimensions: number | null;
  metadata: Record<string, unknown>;
  created_at: string | Date;
}

export interface PgVectorOptions {
  pool: pg.Pool;
  distance?: PgDistance;
  /** Close the pool with the service (when the service made it). */
  ownsPool?: boolean;
}

/**
 * Collections in PostgreSQL with pgvector: a catalogue table, and one table per collection with a
 * fixed-dimension `vector` column and an HNSW index (so each collection has its own dimensions).
 * Writes to a collection are serialised by a transaction-scoped advisory lock; readers (other
 * connections) see committed batches only. The database needs `CREATE EXTENSION vector` (done here
 * when the role may).
 */
export class PgVectorService implements VectorStoreService {
  readonly backend = 'pgvector' as const;
  readonly distance: PgDistance;
  private ready: Promise<void> | null = null;

  constructor(private readonly options: PgVectorOptions) {
    this.distance = options.distance ?? 'cosine';
  }

  get pool(): pg.Pool {
    return this.options.pool;
  }

  /** Creates the extension (if missing) and the catalogue once. */
  prepare(): Promise<void> {
    this.ready ??= (async () => {
      try {
        await this.pool.query('CREATE EXTENSION IF NOT EXISTS vector');
      } catch (error) {
        const exists = await this.pool.query("SELECT 1 FROM pg_extension WHERE extname = 'vector'").then((r) => r.rowCount! > 0, () => false);
        if (!exists) {
          throw new VectorStoreError('unavailable', `PostgreSQL has no pgvector: run CREATE EXTENSION vector as a superuser (${error instanceof Error ? error.message : String(error)})`);
        }
      }
      await this.pool.query(`CREATE TABLE IF NOT EXISTS weft_vector_collections (
        id BIGSERIAL PRIMARY KEY, owner TEXT NOT NULL, space TEXT NOT NULL, name TEXT NOT NULL,
        dimensions INTEGER, metadata JSONB NOT NULL DEFAULT '{}', created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
        UNIQUE (owner, space, name))`);
    })();
    this.ready.catch(() => {
      this.ready = null;
    });
    return this.ready;
  }

  forUser(userId: string, space: VectorSpace): VectorStore {
    assertSafeName(userId);
    return new PgUserStore(this, userId, space);
  }

  async close(): Promise<void> {
    if (this.options.ownsPool) await this.pool.end();
  }
}

const table = (id: string): string => `weft_vectors_${id.replace(/\D/g, '')}`;

class PgUserStore implements VectorStore {
  constructor(
    private readonly service: PgVectorService,
    private readonly owner: string,
    private readonly space: VectorSpace,
  ) {}

  private async collection(client: pg.Pool | pg.PoolClient, name: string): Promise<CollectionRow | undefined> {
    assertCollectionName(name);
    await this.service.prepare();
    const result = await client.query<CollectionRow>('SELECT id, name, dimensions, metadata, created_at FROM weft_vector_collections WHERE owner = $1 AND space = $2 AND name = $3', [this.owner, this.space, name]);
    return result.rows[0];
  }

  /** Runs `work` in a transaction holding this collection's write lock. */
  private async writing<T>(name: string, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    assertCollectionName(name);
    await this.service.prepare();
    const client = await this.service.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`weft-vectors:${this.owner}:${this.space}:${name}`]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async create(client: pg.PoolClient, name: string): Promise<CollectionRow> {
    const inserted = await client.query<CollectionRow>(
      'INSERT INTO weft_vector_collections (owner, space, name) VALUES ($1, $2, $3) RETURNING id, name, dimensions, metadata, created_at',
      [this.owner, this.space, name],
    );
    return inserted.rows[0];
  }

  async ingest(name: string, records: VectorRecord[], options: IngestOptions = {}): Promise<IngestResult> {
    if (records.length === 0) return { added: 0, skipped: 0 };
    const { op: _op, ops } = OPERATOR[this.service.distance];
    return this.writing(name, async (client) => {
      let row = await this.collection(client, name);
      const dims = validateRecords(name, records, options.replace ? null : (row?.dimensions ?? null));
      row ??= await this.create(client, name);
      const t = table(row.id);
      if (options.replace || row.dimensions !== dims) {
        await client.query(`DROP TABLE IF EXISTS ${t}`);
        await client.query(`CREATE TABLE ${t} (id BIGSERIAL PRIMARY KEY, uid TEXT NOT NULL UNIQUE, dedup TEXT NOT NULL, text TEXT NOT NULL, metadata JSONB NOT NULL, words INTEGER NOT NULL, embedding vector(${dims}) NOT NULL)`);
        await client.query(`CREATE INDEX ON ${t} (dedup)`);
        await client.query(`CREATE INDEX ON ${t} USING hnsw (embedding ${ops})`);
        await client.query('UPDATE weft_vector_collections SET dimensions = $1 WHERE id = $2', [dims, row.id]);
      }
      const fresh: VectorRecord[] = [];
      const keys: string[] = [];
      const seen = new Set<string>();
      const candidates = records.map(recordKey);
      const stored = options.allowDuplicates
        ? new Set<string>()
        : new Set((await client.query<{ dedup: string }>(`SELECT dedup FROM ${t} WHERE dedup = ANY($1)`, [candidates])).rows.map((r) => r.dedup));
      records.forEach((record, i) => {
        const key = candidates[i];
        if (!options.allowDuplicates && (seen.has(key) || stored.has(key))) return;
        seen.add(key);
        fresh.push(record);
        keys.push(key);
      });
      for (let start = 0; start < fresh.length; start += ROWS_PER_INSERT) {
        const values: unknown[] = [];
        const tuples = fresh.slice(start, start + ROWS_PER_INSERT).map((record, j) => {
          const b = j * 6;
          values.push(randomUUID(), keys[start + j], record.text, JSON.stringify(record.metadata), wordCount(record.text), vectorText(record.vector));
          return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}::jsonb, $${b + 5}, $${b + 6}::vector)`;
        });
        await client.query(`INSERT INTO ${t} (uid, dedup, text, metadata, words, embedding) VALUES ${tuples.join(',')}`, values);
      }
      return { added: fresh.length, skipped: records.length - fresh.length };
    });
  }

  async search(name: string, query: ArrayLike<number>, options: SearchOptions): Promise<SearchHit[]> {
    const row = await this.collection(this.service.pool, name);
    if (!row || row.dimensions === null || options.k <= 0) return [];
    validateRecords(name, [{ text: '', metadata: {}, vector: query }], row.dimensions);
    const { op } = OPERATOR[this.service.distance];
    const mmr = options.type === 'mmr';
    const wanted = mmr ? Math.max(options.fetchK ?? 20, options.k) : options.k;
    const filter = Object.entries(options.filter ?? {});
    for (const [key] of filter) filterKey(key);
    const where = filter.length > 0 ? 'WHERE metadata @> $3::jsonb' : '';
    const params: unknown[] = [vectorText(query), wanted, ...(filter.length > 0 ? [JSON.stringify(Object.fromEntries(filter))] : [])];
    const sql = `SELECT uid, text, metadata, embedding ${op} $1::vector AS distance${mmr ? ', embedding::text AS embedding' : ''} FROM ${table(row.id)} ${where} ORDER BY embedding ${op} $1::vector LIMIT $2`;
    const client = await this.service.pool.connect();
    let rows: { uid: string; text: string; metadata: Record<string, unknown>; distance: number; embedding?: string }[];
    try {
      await client.query('BEGIN');
      // HNSW returns at most ef_search rows, and filters apply after it: past that, scan exactly.
      if (wanted > MAX_EF_SEARCH || filter.length > 0) await client.query('SET LOCAL enable_indexscan = off');
      else await client.query(`SET LOCAL hnsw.ef_search = ${Math.max(40, wanted)}`);
      rows = (await client.query(sql, params)).rows;
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
    if (mmr) {
      const order = maximalMarginalRelevance(query, rows.map((r) => parseVector(r.embedding!)), options.k, options.lambda ?? 0.5);
      rows = order.map((i) => rows[i]);
    }
    const hits: SearchHit[] = [];
    for (const r of rows) {
      const score = scoreOf(this.service.distance, Number(r.distance));
      if (options.scoreThreshold !== undefined && score < options.scoreThreshold) continue;
      hits.push({ id: r.uid, text: r.text, metadata: r.metadata, score });
    }
    return hits;
  }

  async chunks(name: string, limit?: number): Promise<StoredChunk[]> {
    const row = await this.collection(this.service.pool, name);
    if (!row || row.dimensions === null) return [];
    const result = await this.service.pool.query<StoredChunk & { uid: string }>(`SELECT uid, text, metadata FROM ${table(row.id)} ORDER BY id ${limit && limit > 0 ? 'LIMIT $1' : ''}`, limit && limit > 0 ? [limit] : []);
    return result.rows.map((r) => ({ id: r.uid, text: r.text, metadata: r.metadata }));
  }

  async info(name: string): Promise<CollectionInfo | undefined> {
    const row = await this.collection(this.service.pool, name);
    return row && this.describe(row);
  }

  private async describe(row: CollectionRow): Promise<CollectionInfo> {
    const base = { name: row.name, dimensions: row.dimensions, metadata: row.metadata, createdAt: new Date(row.created_at).toISOString() };
    if (row.dimensions === null) return { ...base, count: 0, words: 0, characters: 0, sizeBytes: 0 };
    const t = table(row.id);
    const totals = await this.service.pool.query<{ count: string; words: string; characters: string; size: string }>(
      `SELECT count(*) AS count, coalesce(sum(words), 0) AS words, coalesce(sum(length(text)), 0) AS characters, pg_total_relation_size('${t}') AS size FROM ${t}`,
    );
    const r = totals.rows[0];
    return { ...base, count: Number(r.count), words: Number(r.words), characters: Number(r.characters), sizeBytes: Number(r.size) };
  }

  async list(): Promise<CollectionInfo[]> {
    await this.service.prepare();
    const rows = await this.service.pool.query<CollectionRow>('SELECT id, name, dimensions, metadata, created_at FROM weft_vector_collections WHERE owner = $1 AND space = $2 ORDER BY name', [this.owner, this.space]);
    const infos: CollectionInfo[] = [];
    for (const row of rows.rows) infos.push(await this.describe(row));
    return infos;
  }

  async setMetadata(name: string, metadata: Record<string, unknown>): Promise<void> {
    await this.writing(name, async (client) => {
      const row = (await this.collection(client, name)) ?? (await this.create(client, name));
      await client.query('UPDATE weft_vector_collections SET metadata = metadata || $1::jsonb WHERE id = $2', [JSON.stringify(metadata), row.id]);
    });
  }

  async delete(name: string): Promise<boolean> {
    return this.writing(name, async (client) => {
      const row = await this.collection(client, name);
      if (!row) return false;
      await client.query(`DROP TABLE IF EXISTS ${table(row.id)}`);
      await client.query('DELETE FROM weft_vector_collections WHERE id = $1', [row.id]);
      return true;
    });
  }
}

/** A service with its own pool on the server at `connectionString` (closed with the service). */
export function createPgVectorService(connectionString: string, options: { max?: number; distance?: PgDistance } = {}): PgVectorService {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 4, idleTimeoutMillis: 30_000 });
  pool.on('error', () => undefined);
  return new PgVectorService({ pool, distance: options.distance, ownsPool: true });
}
