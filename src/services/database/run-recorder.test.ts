import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toIso } from './codec.js';
import { openDatabase, type Database } from './index.js';
import { RunRecorder } from './run-recorder.js';
import { describeEachDialect, freshDatabaseUrl, TEST_DIALECTS, uniqueName } from '../../../test-utils/database.js';

async function userWithFlow(database: Database, name = 'recorded') {
  const user = await database.users.create({ username: uniqueName('rec'), passwordHash: 'hash', isActive: true, isSuperuser: false });
  const flow = await database.flows.create(user.id, { name });
  return { user, flow };
}

function runRows(flowId: string, run: number, vertices = ['ChatInput-1', 'ChatOutput-1']) {
  const timestamp = new Date(Date.UTC(2026, 0, 1, 0, 0, run)).toISOString();
  return {
    builds: vertices.map((id) => ({ id, flowId, valid: true, data: { run }, params: null, timestamp })),
    transactions: vertices.map((vertexId) => ({ flowId, vertexId, status: 'success' as const, outputs: { run }, timestamp })),
  };
}

async function storedCounts(database: Database, flowId: string) {
  const count = async (table: 'transaction' | 'vertex_build') =>
    Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll().as('n')).where('flow_id', '=', flowId).executeTakeFirst())?.n ?? 0);
  return { transactions: await count('transaction'), builds: await count('vertex_build') };
}

describeEachDialect('run recorder', (database) => {
  it('reads right after a run see its rows: the monitor reads settle pending writes first', async () => {
    const { user, flow } = await userWithFlow(database());
    const rows = runRows(flow.id, 1);
    database().recorder.record(rows.builds, rows.transactions);
    const page = await database().transactions.listByFlow(flow.id, user.id, { page: 1, size: 50 });
    assert.deepEqual(page.items.map((t) => t.vertex_id).sort(), ['ChatInput-1', 'ChatOutput-1']);
    const builds = await database().vertexBuilds.listByFlow(flow.id, user.id);
    assert.deepEqual(Object.keys(builds).sort(), ['ChatInput-1', 'ChatOutput-1']);
  });

  it('many runs share one write; each vertex keeps its newest builds, as Langflow prunes them', async () => {
    const { user, flow } = await userWithFlow(database());
    for (let run = 1; run <= 40; run++) {
      const rows = runRows(flow.id, run);
      database().recorder.record(rows.builds, rows.transactions);
    }
    await database().recorder.flush();
    assert.deepEqual(await storedCounts(database(), flow.id), { transactions: 80, builds: 4 });
    const builds = await database().vertexBuilds.listByFlow(flow.id, user.id);
    assert.deepEqual(builds['ChatOutput-1'].map((b) => (b.data as { run: number }).run), [39, 40]);
  });

  it('deleting a flow right after a run leaves none of its rows behind', async () => {
    const { user, flow } = await userWithFlow(database());
    const rows = runRows(flow.id, 1);
    database().recorder.record(rows.builds, rows.transactions);
    assert.equal(await database().flows.delete(flow.id, user.id), true);
    await database().recorder.flush();
    assert.deepEqual(await storedCounts(database(), flow.id), { transactions: 0, builds: 0 });
  });

  it('transactions_storage_enabled / vertex_builds_storage_enabled off: those rows are dropped, the others kept', async () => {
    const { flow } = await userWithFlow(database());
    const noTransactions = new RunRecorder(database().db, { storeTransactions: false });
    assert.equal(noTransactions.storesTransactions, false);
    assert.equal(noTransactions.storesBuilds, true);
    const first = runRows(flow.id, 1);
    noTransactions.record(first.builds, first.transactions);
    await noTransactions.close();
    assert.deepEqual(await storedCounts(database(), flow.id), { transactions: 0, builds: 2 });
    const noBuilds = new RunRecorder(database().db, { storeBuilds: false });
    const second = runRows(flow.id, 2, ['Prompt-1']);
    noBuilds.record(second.builds, second.transactions);
    await noBuilds.close();
    assert.deepEqual(await storedCounts(database(), flow.id), { transactions: 1, builds: 2 });
  });

  it('max_vertex_builds_per_vertex and max_vertex_builds_to_keep are the recorder\'s to set', async () => {
    const { flow } = await userWithFlow(database());
    const recorder = new RunRecorder(database().db, { buildsKeptPerVertex: 1 });
    for (let run = 1; run <= 3; run++) {
      const rows = runRows(flow.id, run);
      recorder.record(rows.builds, []);
      await recorder.flush();
    }
    await recorder.close();
    const kept = await database().db.selectFrom('vertex_build').select(['id', 'data']).where('flow_id', '=', flow.id).execute();
    assert.deepEqual(kept.map((b) => `${b.id}:${String(b.data)}`).sort(), ['ChatInput-1:{"run":3}', 'ChatOutput-1:{"run":3}']);
  });

  it("keeps each flow's newest transactions (max_transactions_to_keep), other flows untouched", async () => {
    const { flow } = await userWithFlow(database());
    const { flow: other } = await userWithFlow(database(), 'other');
    const recorder = new RunRecorder(database().db, { transactionsKeptPerFlow: 5, pruneEvery: 1 });
    const idsOfRun = async (run: number) =>
      (await database().db.selectFrom('transaction').select('id').where('flow_id', '=', flow.id).where('timestamp', '=', toIso(runRows(flow.id, run).transactions[0].timestamp)).execute()).map((t) => t.id).sort();
    let run4Ids: string[] = [];
    for (let run = 1; run <= 6; run++) {
      const rows = runRows(flow.id, run);
      recorder.record([], rows.transactions);
      await recorder.flush();
      if (run === 5) run4Ids = await idsOfRun(4);
    }
    const otherRows = runRows(other.id, 1);
    recorder.record([], otherRows.transactions);
    await recorder.close();
    const kept = await database().db.selectFrom('transaction').select(['outputs', 'vertex_id']).where('flow_id', '=', flow.id).execute();
    const runs = kept.map((t) => (typeof t.outputs === 'string' ? (JSON.parse(t.outputs) as { run: number }) : (t.outputs as unknown as { run: number })).run).sort();
    // Newest first: both rows of runs 6 and 5, and one of run 4's two.
    assert.deepEqual(runs, [4, 5, 5, 6, 6]);
    // Of two rows with the same timestamp, the one with the smaller id is the newer (ORDER BY timestamp DESC, id).
    assert.equal(run4Ids.length, 2);
    assert.deepEqual(await idsOfRun(4), [run4Ids[0]]);
    assert.equal((await storedCounts(database(), other.id)).transactions, 2);
  });
});

describe('closing the database writes pending run records and API key uses', () => {
  for (const dialect of TEST_DIALECTS) {
    it(dialect, async () => {
      const fresh = await freshDatabaseUrl(dialect);
      try {
        const first = await openDatabase(fresh.url);
        const { user, flow } = await userWithFlow(first);
        const rows = runRows(flow.id, 1);
        first.recorder.record(rows.builds, rows.transactions);
        const key = await first.apiKeys.create({ userId: user.id, name: 'k', keyHash: uniqueName('hash'), keyPrefix: 'sk-abcde' });
        await first.apiKeys.recordUse(key.id);
        await first.apiKeys.recordUse(key.id);
        await first.close();
        const second = await openDatabase(fresh.url);
        try {
          assert.deepEqual(await storedCounts(second, flow.id), { transactions: 2, builds: 2 });
          const [stored] = await second.apiKeys.listForUser(user.id);
          assert.equal(stored.total_uses, 2, 'API key uses counted in memory are written too');
          assert.ok(stored.last_used_at);
        } finally {
          await second.close();
        }
      } finally {
        await fresh.cleanup();
      }
    });
  }
});
