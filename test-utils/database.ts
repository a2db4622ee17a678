import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import type { DialectName } from '../src/services/database/connection.js';
import { openDatabase, type Database } from '../src/services/database/index.js';

/** The PostgreSQL server used by tests; CI provides it, so being unreachable fails the run. */
export const TEST_POSTGRES_URL = process.env.WEFT_TEST_POSTGRES_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';

export interface FreshDatabase {
  url: string;
  cleanup(): Promise<void>;
}

/** A new SQLite file in a temp dir, or a new random PostgreSQL schema; `cleanup` removes it. */
export async function freshDatabaseUrl(dialect: DialectName): Promise<FreshDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'weft-db-'));
    return { url: `sqlite:///${join(dir, 'weft.db')}`, cleanup: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const schema = `weft_test_${randomBytes(6).toString('hex')}`;
  return {
    url: `${TEST_POSTGRES_URL}?schema=${schema}`,
    cleanup: async () => {
      const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

export const TEST_DIALECTS: readonly DialectName[] = ['sqlite', 'postgres'];

/** Declares the suite once per dialect, each against its own fresh database. */
export function describeEachDialect(title: string, body: (database: () => Database) => void): void {
  for (const dialect of TEST_DIALECTS) {
    describe(`${title} [${dialect}]`, () => {
      let database: Database | undefined;
      let fresh: FreshDatabase | undefined;
      before(async () => {
        fresh = await freshDatabaseUrl(dialect);
        database = await openDatabase(fresh.url);
      });
      after(async () => {
        await database?.close();
        await fresh?.cleanup();
      });
      body(() => {
        if (!database) throw new Error('database not open');
        return database;
      });
    });
  }
}

let counter = 0;

/** A unique username for a test, so tests sharing a database never collide. */
export function uniqueName(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}-${randomBytes(3).toString('hex')}`;
}
