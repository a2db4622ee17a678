import { PGlite } from '@electric-sql/pglite';
// pglite-socket's own dependency: PGlite's pgvector build.
import { vector } from '@electric-sql/pglite-pgvector';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import pg from 'pg';

export interface PgliteServer {
  /** `postgresql://postgres@127.0.0.1:<port>/postgres` */
  url: string;
  /** A `pg` pool on it. PGlite is one session: one connection at a time, so the pool has one. */
  pool(): pg.Pool;
  stop(): Promise<void>;
}

/**
 * A real PostgreSQL with pgvector for tests: PGlite (PostgreSQL compiled to WebAssembly) with its
 * vector extension, served over the PostgreSQL wire protocol on loopback by pglite-socket, and
 * reached with the same `pg` client production uses.
 */
export async function startPgliteServer(): Promise<PgliteServer> {
  const db = await PGlite.create({ extensions: { vector } });
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 4 });
  await server.start();
  const [host, port] = server.getServerConn().split(':');
  const url = `postgresql://postgres@${host}:${port}/postgres`;
  const pools: pg.Pool[] = [];
  return {
    url,
    pool() {
      const pool = new pg.Pool({ connectionString: url, max: 1 });
      pools.push(pool);
      return pool;
    },
    async stop() {
      await Promise.all(pools.map((p) => p.end().catch(() => undefined)));
      await server.stop();
      await db.close();
    },
  };
}
