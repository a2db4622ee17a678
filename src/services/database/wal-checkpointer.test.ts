import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { sql } from 'kysely';
import { sqlitePathFromUrl } from './connection.js';
import { openDatabase, type Database } from './index.js';
import { freshDatabaseUrl, type FreshDatabase } from '../../../test-utils/database.js';

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  return true;
}

describe('SQLite WAL checkpoints in a worker thread', () => {
  let fresh: FreshDatabase;
  let database: Database;
  let path: string;

  before(async () => {
    fresh = await freshDatabaseUrl('sqlite');
    database = await openDatabase(fresh.url);
    path = sqlitePathFromUrl(fresh.url);
  });
  after(async () => {
    await fresh.cleanup();
  });

  it('leaves no checkpoint to the server connection, yet the database file receives the commits', async () => {
    const setting = await sql<{ wal_autocheckpoint: number }>`PRAGMA wal_autocheckpoint`.execute(database.db);
    assert.equal(setting.rows[0].wal_autocheckpoint, 0);
    const before = statSync(path).size;
    const user = await database.users.create({ username: 'wal', passwordHash: 'hash', isActive: true, isSuperuser: false });
    const flow = await database.flows.create(user.id, { name: 'big', data: { nodes: [], edges: [], note: 'x'.repeat(2_000_000) } });
    // Only a checkpoint (the worker's, every 200 ms) copies the committed pages into the file.
    assert.ok(await waitFor(() => statSync(path).size > before + 1_000_000, 5000), 'the WAL was not checkpointed');
    assert.equal((await database.flows.getById(flow.id))?.name, 'big');
  });

  it('close stops the worker first, so the server connection is the last one and removes the WAL', async () => {
    assert.ok(existsSync(`${path}-wal`));
    await database.close();
    assert.equal(existsSync(`${path}-wal`), false);
    const reopened = await openDatabase(fresh.url);
    try {
      assert.equal((await reopened.flows.list((await reopened.users.getByUsername('wal'))!.id)).length, 1);
    } finally {
      await reopened.close();
    }
  });
});

describe('the WAL checkpointer runs only while the server writes', () => {
  it('starts on a write, ends after its idle checkpoints, and starts again on the next write', async () => {
    const { default: BetterSqlite3 } = await import('better-sqlite3');
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const { startWalCheckpointer } = await import('./wal-checkpointer.js');
    const dir = mkdtempSync(join(tmpdir(), 'weft-wal-'));
    const file = join(dir, 'db.sqlite');
    const db = new BetterSqlite3(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (x TEXT)');
    const errors: string[] = [];
    const checkpointer = startWalCheckpointer(file, () => errors.push('restored'), (message) => errors.push(message), { idleTicks: 3 });
    try {
      assert.equal(checkpointer.running, false, 'nothing written yet: no thread');
      const write = (rows: number) => {
        checkpointer.noteWrite();
        const insert = db.prepare('INSERT INTO t VALUES (?)');
        db.transaction(() => {
          for (let i = 0; i < rows; i++) insert.run('y'.repeat(1000));
        })();
      };
      const size = () => statSync(file).size;
      let before = size();
      write(1000);
      assert.equal(checkpointer.running, true);
      assert.ok(await waitFor(() => size() > before + 500_000, 5000), 'checkpointed into the file');
      assert.ok(await waitFor(() => !checkpointer.running, 5000), 'ended once idle');
      before = size();
      write(1000);
      assert.equal(checkpointer.running, true, 'the next write starts it again');
      assert.ok(await waitFor(() => size() > before + 500_000, 5000));
      assert.deepEqual(errors, [], 'an idle end is not a failure');
    } finally {
      await checkpointer.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
