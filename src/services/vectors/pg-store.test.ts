import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pg from 'pg';
import { TEST_POSTGRES_URL } from '../../../test-utils/database.js';
import { startPgliteServer, type PgliteServer } from '../../../test-utils/pglite-server.js';
import { axisVector, vectorStoreContract } from '../../../test-utils/vector-store-contract.js';
import { PgVectorService } from './pg-store.js';

let server: PgliteServer;
before(async () => {
  server = await startPgliteServer();
});
after(async () => {
  await server?.stop();
});

vectorStoreContract('PostgreSQL + pgvector (PGlite over the wire)', async () => new PgVectorService({ pool: server.pool() }));

test('pgvector collections have an HNSW index, and L2 / inner product distances give their own scores', async () => {
  const pool = server.pool();
  for (const distance of ['l2', 'inner'] as const) {
    const service = new PgVectorService({ pool, distance });
    const store = service.forUser('00000000-0000-4000-8000-0000000000d1', 'vector_stores');
    const name = `dist-${distance}`;
    await store.ingest(name, [
      { text: 'near', metadata: {}, vector: axisVector(3, 0) },
      { text: 'far', metadata: {}, vector: axisVector(3, 1) },
    ]);
    const hits = await store.search(name, axisVector(3, 0), { k: 2 });
    assert.deepEqual(hits.map((h) => h.text), ['near', 'far']);
    if (distance === 'l2') assert.ok(Math.abs(hits[0].score - 1) < 1e-6 && Math.abs(hits[1].score) < 1e-6, JSON.stringify(hits));
    else assert.deepEqual(hits.map((h) => Math.round(h.score * 1e6) / 1e6), [1, 0]);
  }
  const indexes = await pool.query("SELECT indexdef FROM pg_indexes WHERE tablename LIKE 'weft_vectors_%' AND indexdef LIKE '%hnsw%'");
  assert.ok(indexes.rowCount! >= 2, 'each collection table has an HNSW index');
  assert.match(indexes.rows.map((r) => r.indexdef).join('\n'), /vector_l2_ops[\s\S]*vector_ip_ops|vector_ip_ops[\s\S]*vector_l2_ops/);
});

test('a PostgreSQL without pgvector is a clear error naming CREATE EXTENSION vector', async (t) => {
  const pool = new pg.Pool({ connectionString: TEST_POSTGRES_URL, max: 1 });
  try {
    const has = await pool.query("SELECT 1 FROM pg_available_extensions WHERE name = 'vector'").catch(() => null);
    if (has === null) return t.skip(`no PostgreSQL at ${TEST_POSTGRES_URL}`);
    if (has.rowCount! > 0) return t.skip('this PostgreSQL has pgvector');
    const store = new PgVectorService({ pool }).forUser('00000000-0000-4000-8000-0000000000d2', 'vector_stores');
    await assert.rejects(store.ingest('x', [{ text: 'a', metadata: {}, vector: [1, 0] }]), /PostgreSQL has no pgvector: run CREATE EXTENSION vector/);
  } finally {
    await pool.end();
  }
});
