import { Migrator } from 'kysely';
import { inCodeMigrations } from './migrations.js';
import type { Db } from './repos/types.js';

/** Applies pending migrations; running it again is a no-op. Returns the names applied now. */
export async function migrateToLatest(db: Db, schema: string | null = null): Promise<string[]> {
  // Kysely looks for its bookkeeping tables in every schema; naming ours keeps parallel test schemas apart.
  const migrator = new Migrator({ db, provider: inCodeMigrations, ...(schema ? { migrationTableSchema: schema } : {}) });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
