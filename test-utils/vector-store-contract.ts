import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { VectorRecord, VectorStoreService } from '../src/engine/vector-store.js';

/** A unit vector along `axis` with a little of `noise` on the next axis. */
export function axisVector(dims: number, axis: number, noise = 0): number[] {
  const v = new Array<number>(dims).fill(0);
  v[axis % dims] = 1;
  v[(axis + 1) % dims] = noise;
  return v;
}

function record(text: string, vector: number[], metadata: Record<string, unknown> = {}): VectorRecord {
  return { text, vector, metadata };
}

/**
 * The behaviour every vector store backend must have, run against a real backend (SQLite + sqlite-vec,
 * PostgreSQL + pgvector). `make` builds a fresh service; `cleanup` releases what it made.
 */
export function vectorStoreContract(name: string, make: () => Promise<VectorStoreService>, options: { skip?: string | false } = {}): void {
  describe(`vector store contract: ${name}`, { skip: options.skip ?? false }, () => {
    let service: VectorStoreService;
    before(async () => {
      service = await make();
    });
    after(async () => {
      await service?.close();
    });
    const user = () => service.forUser(randomUUID(), 'vector_stores');

    test('ingest then similarity search returns the nearest chunks with scores, best first', async () => {
      const store = user();
      const result = await store.ingest('docs', [
        record('alpha', axisVector(4, 0), { source: 'a.txt' }),
        record('beta', axisVector(4, 1), { source: 'b.txt' }),
        record('gamma', axisVector(4, 2), { source: 'c.txt' }),
      ]);
      assert.deepEqual(result, { added: 3, skipped: 0 });
      const hits = await store.search('docs', axisVector(4, 1, 0.2), { k: 2 });
      assert.deepEqual(hits.map((h) => h.text), ['beta', 'gamma']);
      assert.deepEqual(hits[0].metadata, { source: 'b.txt' });
      assert.ok(hits[0].score > 0.9 && hits[0].score <= 1.0001, `score ${hits[0].score}`);
      assert.ok(hits[1].score < hits[0].score);
      const info = await store.info('docs');
      assert.equal(info?.count, 3);
      assert.equal(info?.dimensions, 4);
      assert.equal(info?.words, 3);
      assert.equal(info?.characters, 14);
      assert.ok((info?.sizeBytes ?? 0) > 0);
    });

    test('re-ingesting the same chunks with allow_duplicates off adds nothing; on, adds them again', async () => {
      const store = user();
      const batch = [record('one', axisVector(3, 0)), record('two', axisVector(3, 1)), record('one', axisVector(3, 0))];
      assert.deepEqual(await store.ingest('c', batch), { added: 2, skipped: 1 });
      assert.deepEqual(await store.ingest('c', batch), { added: 0, skipped: 3 });
      assert.deepEqual(await store.ingest('c', batch.slice(0, 1), { allowDuplicates: true }), { added: 1, skipped: 0 });
      assert.equal((await store.info('c'))?.count, 3);
      // Same text, other metadata: a different record.
      assert.deepEqual(await store.ingest('c', [record('one', axisVector(3, 0), { page: 2 })]), { added: 1, skipped: 0 });
    });

    test('a failure mid-batch leaves the collection as it was and names the cause', async () => {
      const store = user();
      await store.ingest('t', [record('kept', axisVector(4, 0))]);
      const before = await store.chunks('t');
      await assert.rejects(store.ingest('t', [record('new1', axisVector(4, 1)), record('bad', [1, 2, 3])]), /Dimension mismatch in record 1 .*'t': 3 dimensions, the collection has 4/);
      await assert.rejects(store.ingest('t', [record('new2', axisVector(4, 1)), record('nan', [0, Number.NaN, 0, 0])]), /record 1 .*non-finite/);
      await assert.rejects(store.ingest('t', [record('new3', axisVector(4, 1)), { text: 42 as unknown as string, metadata: {}, vector: axisVector(4, 1) }]), /record 1 .*text is not a string/);
      assert.deepEqual(await store.chunks('t'), before);
      // A batch that fails on a new collection does not leave it behind.
      await assert.rejects(store.ingest('fresh', [record('a', [1, 0]), record('b', [1, 0, 0])]), /Dimension mismatch/);
      assert.equal(await store.info('fresh'), undefined);
    });

    test('MMR picks diverse results; the score threshold drops weak hits', async () => {
      const store = user();
      await store.ingest('m', [record('x1', axisVector(4, 0, 0.01)), record('x2', axisVector(4, 0, 0.02)), record('y', [0.7, 0, 0.7, 0])]);
      const query = [1, 0, 0.3, 0];
      const similar = await store.search('m', query, { k: 2 });
      assert.deepEqual(similar.map((h) => h.text), ['x1', 'x2']);
      const diverse = await store.search('m', query, { k: 2, type: 'mmr', lambda: 0.5 });
      assert.deepEqual(diverse.map((h) => h.text).sort(), ['x1', 'y'].sort());
      const strong = await store.search('m', query, { k: 3, scoreThreshold: 0.95 });
      assert.deepEqual(strong.map((h) => h.text).sort(), ['x1', 'x2']);
    });

    test('metadata filter keeps only matching chunks', async () => {
      const store = user();
      await store.ingest('f', [record('a', axisVector(3, 0), { lang: 'en', n: 1 }), record('b', axisVector(3, 0, 0.1), { lang: 'fr', n: 2 })]);
      const hits = await store.search('f', axisVector(3, 0), { k: 5, filter: { lang: 'fr' } });
      assert.deepEqual(hits.map((h) => h.text), ['b']);
      assert.deepEqual((await store.search('f', axisVector(3, 0), { k: 5, filter: { n: 1 } })).map((h) => h.text), ['a']);
      await assert.rejects(store.search('f', axisVector(3, 0), { k: 5, filter: { "x') OR 1=1 --": 'y' } }), /Invalid metadata filter key/);
    });

    test("another user's collection of the same name is invisible; names are checked", async () => {
      const owner = randomUUID();
      const mine = service.forUser(owner, 'vector_stores');
      await mine.ingest('shared-name', [record('private text', axisVector(3, 0))]);
      const other = user();
      assert.deepEqual(await other.search('shared-name', axisVector(3, 0), { k: 5 }), []);
      assert.equal(await other.info('shared-name'), undefined);
      assert.deepEqual(await other.list(), []);
      assert.equal(await other.delete('shared-name'), false);
      assert.equal((await mine.info('shared-name'))?.count, 1);
      // Knowledge bases are another space.
      assert.equal(await service.forUser(owner, 'knowledge_bases').info('shared-name'), undefined);
      for (const bad of ['../x', 'a/b', '', '.hidden', 'x'.repeat(101), 'a b']) {
        await assert.rejects(mine.ingest(bad, [record('t', [1])]), /Invalid collection name/, bad);
      }
    });

    test('list, metadata and delete', async () => {
      const store = user();
      await store.setMetadata('kb1', { embedding_model: 'm1' });
      await store.ingest('kb1', [record('hello world', axisVector(2, 0))]);
      await store.ingest('kb2', [record('x', axisVector(2, 0))]);
      await store.setMetadata('kb1', { chunk_size: 10 });
      const list = await store.list();
      assert.deepEqual(list.map((c) => [c.name, c.count]), [['kb1', 1], ['kb2', 1]]);
      assert.deepEqual(list[0].metadata, { embedding_model: 'm1', chunk_size: 10 });
      assert.equal(await store.delete('kb1'), true);
      assert.equal(await store.delete('kb1'), false);
      assert.deepEqual((await store.list()).map((c) => c.name), ['kb2']);
    });

    test('replace swaps the whole collection in one transaction, dimensions included', async () => {
      const store = user();
      await store.ingest('r', [record('old1', axisVector(3, 0)), record('old2', axisVector(3, 1))]);
      await assert.rejects(store.ingest('r', [record('new', axisVector(5, 0)), record('bad', [1])], { replace: true }), /Dimension mismatch/);
      assert.equal((await store.info('r'))?.count, 2);
      assert.deepEqual(await store.ingest('r', [record('new', axisVector(5, 0))], { replace: true }), { added: 1, skipped: 0 });
      const info = await store.info('r');
      assert.equal(info?.count, 1);
      assert.equal(info?.dimensions, 5);
      assert.deepEqual((await store.search('r', axisVector(5, 0), { k: 3 })).map((h) => h.text), ['new']);
    });

    test('searches running during an ingest never see a half-written batch', async () => {
      const store = user();
      await store.ingest('live', [record('seed', axisVector(8, 0))]);
      const big = Array.from({ length: 6000 }, (_, i) => record(`chunk ${i}`, axisVector(8, i % 8, (i % 97) / 100)));
      const ingest = store.ingest('live', big);
      const counts = new Set<number>();
      for (let i = 0; i < 20; i++) {
        const hits = await store.search('live', axisVector(8, 0), { k: 4096 });
        counts.add(hits.length);
        await new Promise((resolve) => setImmediate(resolve));
      }
      await ingest;
      const final = await store.search('live', axisVector(8, 0), { k: 4096 });
      counts.add(final.length);
      for (const count of counts) assert.ok(count === 1 || count === Math.min(4096, 6001), `a search saw ${count} chunks`);
      assert.equal((await store.info('live'))?.count, 6001);
    });
  });
}
