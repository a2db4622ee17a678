import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import BetterSqlite3 from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { assertSafeName } from '../files/names.js';
import { SearchWorker } from './search-worker.js';
import { filterKey, maximalMarginalRelevance, recordKey, validateRecords, wordCount } from './math.js';
import {
  assertCollectionName,
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

type Db = BetterSqlite3.Database;

/** Rows written between yields to the event loop during one ingest (one transaction throughout). */
const INGEST_BATCH = 500;
/** sqlite-vec's largest `k`. */
const MAX_K = 4096;
const SUFFIX = '.sqlite';

/** Reads map the file (address space only, not memory): searches scan vectors without copying pages through SQLite's cache. */
const MMAP_BYTES = 1024 * 1024 * 1024;

function open(path: string): Db {
  const db = new BetterSqlite3(path);
  sqliteVec.load(db);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  db.pragma('synchronous = NORMAL');
  db.pragma(`mmap_size = ${MMAP_BYTES}`);
  return db;
}

function toBlob(vector: ArrayLike<number>): Buffer {
  const f32 = vector instanceof Float32Array ? vector : Float32Array.from(vector as ArrayLike<number>);
  return Buffer.from(f32.buffer, f32.byteOffset, f32.byteLength);
}

function fromBlob(blob: Uint8Array): Float32Array {
  const copy = new Uint8Array(blob.byteLength);
  copy.set(blob);
  return new Float32Array(copy.buffer);
}

/** The dedup key as 16 bytes (half a SHA-256): a small index, and collisions out of reach. */
function dedupBlob(key: string): Buffer {
  return /^[0-9a-f]{64}$/.test(key) ? Buffer.from(key.slice(0, 32), 'hex') : createHash('sha256').update(key).digest().subarray(0, 16);
}

function hasVectors(db: Db): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'vectors'").get() !== undefined;
}

/**
 * One collection file: a writer connection (one transaction at a time, serialised by `lock`) and a
 * reader connection. In WAL mode the reader sees only committed transactions, so a search running
 * while a batch is being written sees the collection as it was before that batch.
 */
class CollectionFile {
  private writerDb: Db | null = null;
  private readerDb: Db | null = null;
  private lock: Promise<unknown> = Promise.resolve();

  constructor(readonly path: string) {}

  exists(): boolean {
    return existsSync(this.path);
  }

  writer(): Db {
    if (!this.writerDb) {
      const db = open(this.path);
      chmodSync(this.path, 0o600);
      db.exec(`CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS docs (id INTEGER PRIMARY KEY, dedup BLOB NOT NULL,
          text TEXT NOT NULL, metadata TEXT NOT NULL, words INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS docs_dedup ON docs(dedup);
        INSERT OR IGNORE INTO meta(key, value) VALUES ('created_at', '${new Date().toISOString()}'), ('metadata', '{}');`);
      this.writerDb = db;
    }
    return this.writerDb;
  }

  /** The reader, or null while the file does not exist. */
  reader(): Db | null {
    if (!this.readerDb) {
      if (!this.exists()) return null;
      this.writer();
      this.readerDb = open(this.path);
    }
    return this.readerDb;
  }

  /** Runs `work` after every earlier write to this file has finished. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.lock.then(work, work);
    this.lock = run.catch(() => undefined);
    return run;
  }

  close(): void {
    this.readerDb?.close();
    this.writerDb?.close();
    this.readerDb = null;
    this.writerDb = null;
  }
}

function metaOf(db: Db): { dimensions: number | null; metadata: Record<string, unknown>; createdAt: string } {
  const rows = db.prepare('SELECT key, value FROM meta').all() as { key: string; value: string }[];
  const map = new Map(rows.map((r) => [r.key, r.value]));
  const dims = map.get('dimensions');
  return { dimensions: dims ? Number(dims) : null, metadata: JSON.parse(map.get('metadata') ?? '{}') as Record<string, unknown>, createdAt: map.get('created_at') ?? '' };
}

/** The embedded vector store: one SQLite file per collection under `<root>/<space>/<user id>/`, searched with sqlite-vec. */
export class SqliteVectorService implements VectorStoreService {
  readonly backend = 'sqlite-vec' as const;
  private readonly files = new Map<string, CollectionFile>();
  readonly worker = new SearchWorker(MMAP_BYTES);

  constructor(readonly root: string) {}

  file(path: string): CollectionFile {
    let file = this.files.get(path);
    if (!file) {
      file = new CollectionFile(path);
      this.files.set(path, file);
    }
    return file;
  }

  async forget(path: string): Promise<void> {
    this.files.get(path)?.close();
    this.files.delete(path);
    await this.worker.forget(path);
  }

  forUser(userId: string, space: VectorSpace): VectorStore {
    assertSafeName(userId);
    return new SqliteUserStore(this, join(this.root, space, userId));
  }

  async close(): Promise<void> {
    for (const file of this.files.values()) await file.exclusive(async () => file.close());
    this.files.clear();
    await this.worker.close();
  }
}

class SqliteUserStore implements VectorStore {
  constructor(
    private readonly service: SqliteVectorService,
    private readonly dir: string,
  ) {}

  private file(collection: string): CollectionFile {
    assertCollectionName(collection);
    return this.service.file(join(this.dir, collection + SUFFIX));
  }

  private ensureDir(): void {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
  }

  async ingest(collection: string, records: VectorRecord[], options: IngestOptions = {}): Promise<IngestResult> {
    const file = this.file(collection);
    if (records.length === 0) return { added: 0, skipped: 0 };
    return file.exclusive(async () => {
      const isNew = !file.exists();
      const existing = isNew || options.replace ? null : metaOf(file.writer()).dimensions;
      const dims = validateRecords(collection, records, existing);
      this.ensureDir();
      const db = file.writer();
      const dedup = db.prepare('SELECT 1 FROM docs WHERE dedup = ?').pluck();
      const insertDoc = db.prepare('INSERT INTO docs(dedup, text, metadata, words) VALUES (?, ?, ?, ?)');
      db.exec('BEGIN IMMEDIATE');
      try {
        if (options.replace && hasVectors(db)) {
          db.exec("DELETE FROM docs; DROP TABLE vectors; DELETE FROM meta WHERE key = 'dimensions'");
        }
        if (!hasVectors(db)) {
          db.exec(`CREATE VIRTUAL TABLE vectors USING vec0(embedding float[${dims}] distance_metric=cosine)`);
          db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('dimensions', ?)").run(String(dims));
        }
        const insertVector = db.prepare('INSERT INTO vectors(rowid, embedding) VALUES (?, ?)');
        // Into an empty collection only the batch itself can hold duplicates: no index lookups.
        const lookup = db.prepare('SELECT 1 FROM docs LIMIT 1').get() !== undefined;
        const seen = new Set<string>();
        const seenKey = (key: Buffer) => key.toString('latin1');
        let added = 0;
        for (let start = 0; start < records.length; start += INGEST_BATCH) {
          for (const record of records.slice(start, start + INGEST_BATCH)) {
            const key = dedupBlob(recordKey(record));
            if (!options.allowDuplicates) {
              if (seen.has(seenKey(key)) || (lookup && dedup.get(key) !== undefined)) continue;
              seen.add(seenKey(key));
            }
            const info = insertDoc.run(key, record.text, JSON.stringify(record.metadata), wordCount(record.text));
            insertVector.run(BigInt(info.lastInsertRowid), toBlob(record.vector));
            added++;
          }
          if (start + INGEST_BATCH < records.length) await yieldToLoop();
        }
        db.exec('COMMIT');
        return { added, skipped: records.length - added };
      } catch (error) {
        if (db.inTransaction) db.exec('ROLLBACK');
        // A collection this batch would have created does not stay behind empty.
        if (isNew) await this.removeFiles(file);
        throw error;
      }
    });
  }

  async search(collection: string, query: ArrayLike<number>, options: SearchOptions): Promise<SearchHit[]> {
    const file = this.file(collection);
    const db = file.reader();
    if (!db || !hasVectors(db) || options.k <= 0) return [];
    const { dimensions } = metaOf(db);
    validateRecords(collection, [{ text: '', metadata: {}, vector: query }], dimensions);
    const mmr = options.type === 'mmr';
    const wanted = Math.min(MAX_K, mmr ? Math.max(options.fetchK ?? 20, options.k) : options.k);
    const blob = toBlob(query);
    const filter = Object.entries(options.filter ?? {});
    let sql: string;
    let params: unknown[];
    if (filter.length === 0) {
      sql = `SELECT rowid, distance${mmr ? ', embedding' : ''} FROM vectors WHERE embedding MATCH ? AND k = ? ORDER BY distance`;
      params = [blob, wanted];
    } else {
      const where = filter.map(([key]) => `json_extract(d.metadata, '$."${filterKey(key)}"') = ?`).join(' AND ');
      sql = `SELECT d.id AS rowid, vec_distance_cosine(v.embedding, ?) AS distance${mmr ? ', v.embedding AS embedding' : ''}
          FROM docs d JOIN vectors v ON v.rowid = d.id WHERE ${where} ORDER BY distance LIMIT ?`;
      params = [blob, ...filter.map(([, value]) => (typeof value === 'boolean' ? Number(value) : value)), wanted];
    }
    // The scan runs on the search worker: exact search over a large collection never holds the event loop.
    let rows = await this.service.worker.search(file.path, sql, params);
    if (mmr) {
      const order = maximalMarginalRelevance(query, rows.map((r) => fromBlob(r.embedding!)), options.k, options.lambda ?? 0.5);
      rows = order.map((i) => rows[i]);
    }
    const hits: SearchHit[] = [];
    for (const row of rows) {
      const score = 1 - row.distance;
      if (options.scoreThreshold !== undefined && score < options.scoreThreshold) continue;
      hits.push({ id: String(row.id), text: row.text, metadata: JSON.parse(row.metadata) as Record<string, unknown>, score });
    }
    return hits;
  }

  async chunks(collection: string, limit?: number): Promise<StoredChunk[]> {
    const db = this.file(collection).reader();
    if (!db) return [];
    const rows = db.prepare('SELECT id, text, metadata FROM docs ORDER BY id LIMIT ?').all(limit && limit > 0 ? limit : -1) as { id: number; text: string; metadata: string }[];
    return rows.map((r) => ({ id: String(r.id), text: r.text, metadata: JSON.parse(r.metadata) as Record<string, unknown> }));
  }

  async info(collection: string): Promise<CollectionInfo | undefined> {
    const file = this.file(collection);
    const db = file.reader();
    if (!db) return undefined;
    const meta = metaOf(db);
    const totals = db.prepare('SELECT count(*) AS count, coalesce(sum(words), 0) AS words, coalesce(sum(length(text)), 0) AS characters FROM docs').get() as {
      count: number;
      words: number;
      characters: number;
    };
    let sizeBytes = 0;
    for (const suffix of ['', '-wal']) sizeBytes += await stat(file.path + suffix).then((s) => s.size, () => 0);
    return { name: collection, ...meta, ...totals, sizeBytes };
  }

  async list(): Promise<CollectionInfo[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const infos: CollectionInfo[] = [];
    for (const name of names.filter((n) => n.endsWith(SUFFIX)).sort()) {
      const info = await this.info(name.slice(0, -SUFFIX.length)).catch(() => undefined);
      if (info) infos.push(info);
    }
    return infos;
  }

  async setMetadata(collection: string, metadata: Record<string, unknown>): Promise<void> {
    const file = this.file(collection);
    await file.exclusive(async () => {
      this.ensureDir();
      const db = file.writer();
      const merged = { ...metaOf(db).metadata, ...metadata };
      db.prepare("INSERT OR REPLACE INTO meta(key, value) VALUES ('metadata', ?)").run(JSON.stringify(merged));
    });
  }

  async delete(collection: string): Promise<boolean> {
    const file = this.file(collection);
    return file.exclusive(async () => {
      const existed = file.exists();
      await this.removeFiles(file);
      return existed;
    });
  }

  private async removeFiles(file: CollectionFile): Promise<void> {
    await this.service.forget(file.path);
    for (const suffix of ['', '-wal', '-shm']) await rm(file.path + suffix, { force: true });
  }
}
