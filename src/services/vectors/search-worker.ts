import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Runs in the worker: read connections to collection files, and one search per message, inside a read
 * transaction (one WAL snapshot for the candidates and their documents). Plain CommonJS evaluated from
 * this string, so it needs no file of its own beside the compiled modules or a bundle.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const sqliteVec = require(workerData.vec);
const dbs = new Map();
const open = (path) => {
  let db = dbs.get(path);
  if (!db) {
    db = new Database(path, { fileMustExist: true });
    sqliteVec.load(db);
    db.pragma('busy_timeout = 5000');
    db.pragma('mmap_size = ' + workerData.mmap);
    dbs.set(path, db);
  }
  return db;
};
const forget = (path) => {
  const db = dbs.get(path);
  if (db) db.close();
  dbs.delete(path);
};
const bindable = (value) => (value instanceof Uint8Array ? Buffer.from(value.buffer, value.byteOffset, value.byteLength) : value);
parentPort.on('message', (m) => {
  if (m.type === 'forget') {
    forget(m.path);
    parentPort.postMessage({ id: m.id, result: null });
    return;
  }
  try {
    const db = open(m.path);
    const result = db.transaction(() => {
      const candidates = db.prepare(m.sql).all(...m.params.map(bindable));
      const byId = db.prepare('SELECT id, text, metadata FROM docs WHERE id = ?');
      const rows = [];
      for (const c of candidates) {
        const row = byId.get(c.rowid);
        if (row) rows.push({ id: row.id, text: row.text, metadata: row.metadata, distance: c.distance, embedding: c.embedding });
      }
      return rows;
    })();
    parentPort.postMessage({ id: m.id, result });
  } catch (error) {
    parentPort.postMessage({ id: m.id, error: error && error.message ? error.message : String(error) });
  }
});
`;

export interface SearchRow {
  id: number;
  text: string;
  metadata: string;
  distance: number;
  embedding?: Uint8Array;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * Embedded searches run on this worker thread, so a scan over a large collection (sqlite-vec is exact)
 * never holds the event loop. Referenced only while a search is pending.
 */
export class SearchWorker {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private next = 0;

  constructor(private readonly mmapBytes: number) {}

  private start(): Worker {
    if (this.worker) return this.worker;
    const require = createRequire(import.meta.url);
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { driver: require.resolve('better-sqlite3'), vec: require.resolve('sqlite-vec'), mmap: this.mmapBytes } });
    worker.unref();
    worker.on('message', (message: { id: number; result?: unknown; error?: string }) => {
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (!waiting) return;
      if (message.error !== undefined) waiting.reject(new Error(message.error));
      else waiting.resolve(message.result);
    });
    const fail = (error: Error) => {
      this.worker = null;
      for (const waiting of this.pending.values()) waiting.reject(error);
      this.pending.clear();
    };
    worker.on('error', fail);
    worker.on('exit', () => fail(new Error('The vector search worker stopped')));
    this.worker = worker;
    return worker;
  }

  private request<T>(message: Record<string, unknown>): Promise<T> {
    const worker = this.start();
    const id = this.next++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ ...message, id });
    });
  }

  search(path: string, sql: string, params: unknown[]): Promise<SearchRow[]> {
    return this.request<SearchRow[]>({ type: 'search', path, sql, params });
  }

  /** Closes the worker's connection to `path` (before the file is deleted or replaced). */
  async forget(path: string): Promise<void> {
    if (this.worker) await this.request({ type: 'forget', path });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    if (worker) await worker.terminate();
  }
}
