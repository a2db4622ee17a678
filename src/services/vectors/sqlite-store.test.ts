import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { axisVector, vectorStoreContract } from '../../../test-utils/vector-store-contract.js';
import { SqliteVectorService } from './sqlite-store.js';
import { maximalMarginalRelevance } from './math.js';

vectorStoreContract('SQLite + sqlite-vec', async () => new SqliteVectorService(mkdtempSync(join(tmpdir(), 'weft-vectors-'))));

test('collections persist across a restart, in owner-only files under the root', async () => {
  const root = mkdtempSync(join(tmpdir(), 'weft-vectors-'));
  const first = new SqliteVectorService(root);
  const user = '00000000-0000-4000-8000-000000000001';
  await first.forUser(user, 'knowledge_bases').ingest('kb', [{ text: 'persisted', metadata: {}, vector: axisVector(3, 0) }]);
  await first.close();
  const second = new SqliteVectorService(root);
  const hits = await second.forUser(user, 'knowledge_bases').search('kb', axisVector(3, 0), { k: 1 });
  assert.deepEqual(hits.map((h) => h.text), ['persisted']);
  const { statSync } = await import('node:fs');
  assert.equal(statSync(join(root, 'knowledge_bases', user, 'kb.sqlite')).mode & 0o777, 0o600);
  assert.throws(() => second.forUser('../etc', 'knowledge_bases'), /Invalid file name/);
  await second.close();
});

test('MMR with lambda 1 is plain relevance order', () => {
  const q = [1, 0];
  assert.deepEqual(maximalMarginalRelevance(q, [[0, 1], [1, 0], [1, 1]], 3, 1), [1, 2, 0]);
});
