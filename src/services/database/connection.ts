import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import type pg from 'pg';
import { asUnstorableText } from './errors.js';
import type { DatabaseSchema } from './schema.js';
import { startWalCheckpointer } from './wal-checkpointer.js';

export type DialectName = 'sqlite' | 'postgres';

export interface Connection {
  db: Kysely<DatabaseSchema>;
  dialect: DialectName;
  /** The PostgreSQL schema from `?schema=`, or null for the default search path. */
  schema: string | null;
  /** Stops what the connection runs beside the database (the SQLite WAL checkpointer); call before `db.destroy()`. */
  stopHelpers(): Promise<void>;
}

const noHelpers = async (): Promise<void> => {};

export interface PostgresTarget {
  connectionString: string;
  schema: string | null;
}

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isPostgresUrl(url: string): boolean {
  return url.startsWith('postgresql://') || url.startsWith('postgres://');
}

/** Splits our `?schema=NAME` extension off the URL; pg itself would reject or ignore it. */
export function parsePostgresUrl(url: string): PostgresTarget {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema');
  parsed.searchParams.delete('schema');
  if (schema !== null && !SCHEMA_NAME.test(schema)) throw new Error(`Invalid PostgreSQL schema name "${schema}"`);
  return { connectionString: parsed.toString(), schema };
}

/** Accepts SQLAlchemy-style `sqlite:///relative` / `sqlite:////absolute` URLs, a bare path or `:memory:`. */
export function sqlitePathFromUrl(url: string): string {
  const match = /^sqlite(?:\+\w+)?:\/\/\/(.*)$/.exec(url);
  const path = match ? match[1] : url;
  if (path === '' || path === ':memory:') return ':memory:';
  return resolve(path.split('?')[0]);
}

/**
 * The database file is created owner-only (0600, like the secret key) before SQLite opens it; SQLite
 * gives its -wal and -shm files the database file's mode. Files of an older install are tightened too.
 */
function createOwnerOnly(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (!existsSync(file)) continue;
    try {
      chmodSync(file, 0o600);
    } catch (error) {
      // A database file owned by another account (a shared path set up by an administrator) keeps its mode.
      if ((error as NodeJS.ErrnoException).code !== 'EPERM') throw error;
    }
  }
}

function openSqlite(url: string): Connection {
  const path = sqlitePathFromUrl(url);
  if (path !== ':memory:') createOwnerOnly(path);
  const database = new BetterSqlite3(path);
  database.pragma('journal_mode = WAL');
  // WAL with NORMAL sync survives a process crash and only risks the last commits on power loss;
  // FULL would fsync every message and build record, several per run.
  database.pragma('synchronous = NORMAL');
  database.pragma('foreign_keys = ON');
  // Concurrent writers from other processes wait instead of failing with SQLITE_BUSY.
  database.pragma('busy_timeout = 5000');
  if (path === ':memory:') {
    return { db: new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) }), dialect: 'sqlite', schema: null, stopHelpers: noHelpers };
  }
  database.pragma('wal_autocheckpoint = 0');
  const checkpointer = startWalCheckpointer(
    path,
    () => database.open && database.pragma('wal_autocheckpoint = 1000'),
    (message) => process.stderr.write(`weft: ${message}\n`),
  );
  const db = new Kysely<DatabaseSchema>({ dialect: new SqliteDialect({ database: withStatementCache(database, () => checkpointer.noteWrite()) }) });
  return { db, dialect: 'sqlite', schema: null, stopHelpers: () => checkpointer.close() };
}

/** The PostgreSQL driver is loaded only when a PostgreSQL URL is configured: SQLite start-ups skip it. */
async function loadPg(): Promise<typeof pg> {
  return (await import('pg')).default;
}

/**
 * Kysely prepares every query anew; better-sqlite3 statements are reusable, and preparing was a
 * third of a `/run`'s database time. The same SQL text reuses its statement (bounded cache).
 */
function withStatementCache(database: BetterSqlite3.Database, beforeWrite: () => void = () => {}): BetterSqlite3.Database {
  // Each statement with whether it writes (INSERT … RETURNING reads rows back, so `reader` alone does not say).
  const cache = new Map<string, { statement: BetterSqlite3.Statement; writes: boolean }>();
  const prepare = database.prepare.bind(database);
  return new Proxy(database, {
    get(target, property, receiver) {
      if (property !== 'prepare') {
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      }
      return (sql: string) => {
        let cached = cache.get(sql);
        if (!cached) {
          const statement = prepare(sql);
          cached = { statement, writes: !statement.reader || /^\s*(insert|update|delete|replace)\b/i.test(sql) };
          if (cache.size >= 1000) cache.delete(cache.keys().next().value!);
          cache.set(sql, cached);
        }
        if (cached.writes) beforeWrite();
        return cached.statement;
      };
    },
  });
}

/** The pool as Kysely uses it, with PostgreSQL's refusals of user text turned into typed errors (asUnstorableText). */
function withTypedErrors(pool: pg.Pool): PostgresPool {
  return {
    async connect() {
      const client = await pool.connect();
      const query = client.query.bind(client) as (...args: unknown[]) => unknown;
      return {
        query: ((...args: unknown[]) => {
          const result = query(...args);
          // A cursor (streamed query) is returned as is; a promise gets its error typed.
          return result instanceof Promise ? result.catch((error: unknown) => Promise.reject(asUnstorableText(error) ?? error)) : result;
        }) as PostgresPoolClient['query'],
        release: () => client.release(),
      };
    },
    end: () => pool.end(),
  };
}

async function ensurePostgresSchema(driver: typeof pg, target: PostgresTarget): Promise<void> {
  if (!target.schema) return;
  const client = new driver.Client({ connectionString: target.connectionString });
  await client.connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${target.schema}"`);
  } finally {
    await client.end();
  }
}

async function openPostgres(url: string): Promise<Connection> {
  const target = parsePostgresUrl(url);
  const driver = await loadPg();
  await ensurePostgresSchema(driver, target);
  const pool = new driver.Pool({
    connectionString: target.connectionString,
    ...(target.schema ? { options: `-c search_path=${target.schema}` } : {}),
  });
  return { db: new Kysely<DatabaseSchema>({ dialect: new PostgresDialect({ pool: withTypedErrors(pool) }) }), dialect: 'postgres', schema: target.schema, stopHelpers: noHelpers };
}

export async function connect(url: string): Promise<Connection> {
  return isPostgresUrl(url) ? openPostgres(url) : openSqlite(url);
}
