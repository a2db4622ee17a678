import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import BetterSqlite3 from 'better-sqlite3';
import { makePdf } from '../test-utils/document-fixtures.js';
import { startPgliteServer } from '../test-utils/pglite-server.js';
import { parseFile } from '../src/components/shared/file-parsers.js';
import type { VectorRecord, VectorStoreService } from '../src/engine/vector-store.js';
import { cosineSimilarity, PgVectorService, SqliteVectorService } from '../src/services/vectors/index.js';
import type { BenchRow } from './table.js';

const DIMS = 384;
const USER = '00000000-0000-4000-8000-00000000be0c';
const SEARCHES = 200;

/** Deterministic pseudo-random unit vectors (xorshift), as Float32Arrays: 1.5 KB each at 384 dims. */
function vectors(count: number, seed: number): Float32Array[] {
  let state = seed >>> 0 || 1;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return ((state >>> 0) / 0xffffffff) * 2 - 1;
  };
  return Array.from({ length: count }, () => {
    const v = new Float32Array(DIMS);
    let norm = 0;
    for (let i = 0; i < DIMS; i++) {
      v[i] = next();
      norm += v[i] * v[i];
    }
    norm = Math.sqrt(norm);
    for (let i = 0; i < DIMS; i++) v[i] /= norm;
    return v;
  });
}

function records(vs: Float32Array[], offset = 0): VectorRecord[] {
  return vs.map((vector, i) => ({ text: `chunk number ${offset + i} of the benchmark corpus`, metadata: { source: 'bench', n: offset + i }, vector }));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

async function searchTimes(service: VectorStoreService, collection: string, queries: Float32Array[], k = 5): Promise<number[]> {
  const store = service.forUser(USER, 'vector_stores');
  const times: number[] = [];
  for (const q of queries) {
    const start = performance.now();
    await store.search(collection, q, { k });
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

/** Baseline for search: brute-force cosine in JavaScript over the same vectors. */
function bruteForceP50(corpus: Float32Array[], queries: Float32Array[]): number {
  const times: number[] = [];
  for (const q of queries.slice(0, 30)) {
    const start = performance.now();
    const scores = corpus.map((v, i) => [cosineSimilarity(q, v), i] as const);
    scores.sort((a, b) => b[0] - a[0]);
    scores.slice(0, 5);
    times.push(performance.now() - start);
  }
  return percentile(times.sort((a, b) => a - b), 0.5);
}

/** Baseline for ingest: the same rows into a plain SQLite table (no vector index), one transaction. */
function plainSqliteRate(rows: VectorRecord[], dir: string): number {
  const db = new BetterSqlite3(join(dir, 'plain.sqlite'));
  db.pragma('journal_mode = WAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, text TEXT, metadata TEXT, embedding BLOB)');
  const insert = db.prepare('INSERT INTO t (text, metadata, embedding) VALUES (?, ?, ?)');
  const start = performance.now();
  db.transaction(() => {
    for (const r of rows) {
      const v = r.vector as Float32Array;
      insert.run(r.text, JSON.stringify(r.metadata), Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    }
  })();
  const rate = rows.length / ((performance.now() - start) / 1000);
  db.close();
  return rate;
}

async function pdfPagesPerSecond(): Promise<number> {
  const pages = Array.from({ length: 100 }, (_, i) => `Page ${i + 1}\n${'Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(6)}`);
  const pdf = makePdf(pages);
  await parseFile('warm.pdf', pdf);
  const runs = 5;
  const start = performance.now();
  for (let i = 0; i < runs; i++) await parseFile('bench.pdf', pdf);
  return (runs * pages.length) / ((performance.now() - start) / 1000);
}

/**
 * The vector stores: ingest throughput (embedding excluded: vectors are made beforehand), top-5 search
 * p50/p99 at 10,000 and 100,000 384-dim vectors in the embedded store (sqlite-vec, exact), the same at
 * 10,000 in pgvector (PGlite over the wire, HNSW), PDF pages parsed per second, and memory during the
 * 100,000-vector ingest. Baselines in the same run: a plain SQLite insert of the same rows, and a
 * brute-force JavaScript cosine scan.
 */
export async function vectorsBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'weft-bench-vectors-'));
  const queries = vectors(SEARCHES, 99);
  try {
    const sqlite = new SqliteVectorService(dir);
    const store = sqlite.forUser(USER, 'vector_stores');

    const small = vectors(10_000, 1);
    const smallRecords = records(small);
    const plain = plainSqliteRate(smallRecords, dir);
    let start = performance.now();
    await store.ingest('c10k', smallRecords);
    const rate10k = 10_000 / ((performance.now() - start) / 1000);
    rows.push({ bench: 'vectors', case: 'ingest 10k×384 sqlite-vec', value: rate10k, unit: 'chunks/s', note: `plain SQLite insert ${plain.toFixed(0)}/s (×${(rate10k / plain).toFixed(2)})` });
    const t10k = await searchTimes(sqlite, 'c10k', queries);
    const brute10k = bruteForceP50(small, queries);
    rows.push({ bench: 'vectors', case: 'search top-5 @10k sqlite-vec p50', value: percentile(t10k, 0.5), unit: 'ms', note: `JS brute force ${brute10k.toFixed(1)} ms (×${(brute10k / percentile(t10k, 0.5)).toFixed(1)} faster)` });
    rows.push({ bench: 'vectors', case: 'search top-5 @10k sqlite-vec p99', value: percentile(t10k, 0.99), unit: 'ms' });

    // 100k: memory sampled while it ingests (the vectors exist before, as an embedder's output would).
    const big = [...small, ...vectors(90_000, 2)];
    const bigRecords = records(big);
    const vectorBytes = big.length * DIMS * 4;
    global.gc?.();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    start = performance.now();
    await store.ingest('c100k', bigRecords);
    const rate100k = 100_000 / ((performance.now() - start) / 1000);
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    rows.push({ bench: 'vectors', case: 'ingest 100k×384 sqlite-vec', value: rate100k, unit: 'chunks/s' });
    rows.push({ bench: 'vectors', case: 'RSS growth during 100k ingest', value: (peak - before) / 1024 / 1024, unit: 'MB', note: `the vectors themselves: ${(vectorBytes / 1024 / 1024).toFixed(0)} MB (already in memory before)` });
    const loop = monitorEventLoopDelay({ resolution: 5 });
    loop.enable();
    const t100k = await searchTimes(sqlite, 'c100k', queries.slice(0, 60));
    loop.disable();
    const brute100k = bruteForceP50(big, queries);
    rows.push({ bench: 'vectors', case: 'search top-5 @100k sqlite-vec p50', value: percentile(t100k, 0.5), unit: 'ms', note: `JS brute force ${brute100k.toFixed(0)} ms (×${(brute100k / percentile(t100k, 0.5)).toFixed(1)} faster)` });
    rows.push({ bench: 'vectors', case: 'search top-5 @100k sqlite-vec p99', value: percentile(t100k, 0.99), unit: 'ms' });
    rows.push({ bench: 'vectors', case: 'event-loop delay max during @100k searches', value: loop.max / 1e6, unit: 'ms', note: 'searches run on a worker thread' });
    const mmr = await (async () => {
      const times: number[] = [];
      for (const q of queries.slice(0, 30)) {
        const s = performance.now();
        await store.search('c10k', q, { k: 5, type: 'mmr' });
        times.push(performance.now() - s);
      }
      return percentile(times.sort((a, b) => a - b), 0.5);
    })();
    rows.push({ bench: 'vectors', case: 'search MMR top-5 of 20 @10k p50', value: mmr, unit: 'ms' });
    await sqlite.close();

    // pgvector in PGlite (PostgreSQL in WebAssembly, one session): a functional figure, not a production PostgreSQL one.
    const pglite = await startPgliteServer();
    try {
      const pgService = new PgVectorService({ pool: pglite.pool() });
      const pgStore = pgService.forUser(USER, 'vector_stores');
      const pgRecords = records(small.slice(0, 5_000));
      start = performance.now();
      await pgStore.ingest('c5k', pgRecords);
      rows.push({ bench: 'vectors', case: 'ingest 5k×384 pgvector (PGlite)', value: 5_000 / ((performance.now() - start) / 1000), unit: 'chunks/s', note: 'HNSW built as rows arrive; PGlite is WebAssembly' });
      const tpg = await searchTimes(pgService, 'c5k', queries.slice(0, 60));
      rows.push({ bench: 'vectors', case: 'search top-5 @5k pgvector HNSW p50', value: percentile(tpg, 0.5), unit: 'ms', note: `p99 ${percentile(tpg, 0.99).toFixed(1)} ms` });
    } finally {
      await pglite.stop();
    }

    rows.push({ bench: 'vectors', case: 'PDF parse (unpdf), 100-page file', value: await pdfPagesPerSecond(), unit: 'pages/s' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
