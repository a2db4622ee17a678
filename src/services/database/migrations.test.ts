import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { parsePostgresUrl, sqlitePathFromUrl } from './connection.js';
import { openDatabase } from './index.js';
import { migrateToLatest } from './migrate.js';
import { freshDatabaseUrl, TEST_DIALECTS } from '../../../test-utils/database.js';

const TABLES = ['apikey', 'auth_session', 'file', 'flow', 'folder', 'mcp_server', 'message', 'revoked_session', 'trace', 'transaction', 'user', 'user_preference', 'variable', 'vertex_build'];

for (const dialect of TEST_DIALECTS) {
  test(`migrations create every table once and are idempotent [${dialect}]`, async () => {
    const fresh = await freshDatabaseUrl(dialect);
    try {
      const first = await openDatabase(fresh.url);
      assert.equal(first.dialect, dialect);
      assert.deepEqual(await migrateToLatest(first.db, first.schema), [], 'a second run applies nothing');
      const tables = (await first.db.introspection.getTables())
        .filter((t) => first.schema === null || t.schema === first.schema)
        .map((t) => t.name);
      assert.deepEqual(tables.sort(), TABLES);
      await first.users.create({ username: 'kept', passwordHash: 'h', isActive: true, isSuperuser: false });
      await first.close();

      const reopened = await openDatabase(fresh.url);
      assert.ok(await reopened.users.getByUsername('kept'), 'data survives reopening');
      await reopened.close();
    } finally {
      await fresh.cleanup();
    }
  });
}

test('PostgreSQL ?schema= keeps the tables inside that schema', async () => {
  const fresh = await freshDatabaseUrl('postgres');
  try {
    const database = await openDatabase(fresh.url);
    const schema = new URL(fresh.url).searchParams.get('schema');
    const rows = await sql<{ table_schema: string }>`select table_schema from information_schema.tables where table_name = 'flow' and table_schema = ${schema}`.execute(database.db);
    assert.equal(rows.rows.length, 1);
    await database.close();
  } finally {
    await fresh.cleanup();
  }
});

test('SQLite runs with WAL and foreign keys on', async () => {
  const fresh = await freshDatabaseUrl('sqlite');
  try {
    const database = await openDatabase(fresh.url);
    const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(database.db);
    const keys = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(database.db);
    assert.equal(mode.rows[0].journal_mode, 'wal');
    assert.equal(keys.rows[0].foreign_keys, 1);
    await database.close();
  } finally {
    await fresh.cleanup();
  }
});

test('database URLs: schema stripped for pg, SQLAlchemy sqlite forms understood', () => {
  assert.deepEqual(parsePostgresUrl('postgresql://u@h:5432/db?schema=abc&sslmode=disable'), {
    connectionString: 'postgresql://u@h:5432/db?sslmode=disable',
    schema: 'abc',
  });
  assert.deepEqual(parsePostgresUrl('postgres://u@h/db'), { connectionString: 'postgres://u@h/db', schema: null });
  assert.throws(() => parsePostgresUrl('postgres://u@h/db?schema=x;drop'), /Invalid PostgreSQL schema/);
  assert.equal(sqlitePathFromUrl('sqlite:////tmp/a/weft.db'), '/tmp/a/weft.db');
  assert.equal(sqlitePathFromUrl('sqlite+aiosqlite:////tmp/b.db'), '/tmp/b.db');
  assert.equal(sqlitePathFromUrl('sqlite:///:memory:'), ':memory:');
  assert.equal(sqlitePathFromUrl(':memory:'), ':memory:');
});
