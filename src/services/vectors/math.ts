import { createHash } from 'node:crypto';
import { VectorStoreError, type VectorRecord } from '../../engine/vector-store.js';

/** Stable JSON: object keys sorted, so equal metadata hash equally. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as Record<string, unknown>)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function recordKey(record: VectorRecord): string {
  return record.key ?? createHash('sha256').update(record.text).update('\0').update(canonicalJson(record.metadata)).digest('hex');
}

export function wordCount(text: string): number {
  let count = 0;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    const space = text.charCodeAt(i) <= 32;
    if (!space && !inWord) count++;
    inWord = !space;
  }
  return count;
}

/**
 * Checks every record before anything is written: text a string, metadata an object, a vector of
 * finite numbers with the collection's dimensions (or, for a new collection, the first record's).
 * Returns the dimensions. The error names the record.
 */
export function validateRecords(collection: string, records: VectorRecord[], dimensions: number | null): number {
  let dims = dimensions;
  records.forEach((record, index) => {
    const where = `record ${index} of the batch for collection '${collection}'`;
    if (typeof record.text !== 'string') throw new VectorStoreError('validation', `Invalid ${where}: its text is not a string`);
    if (record.text.includes('\0')) throw new VectorStoreError('validation', `Invalid ${where}: its text contains a NUL character`);
    if (!record.metadata || typeof record.metadata !== 'object' || Array.isArray(record.metadata)) {
      throw new VectorStoreError('validation', `Invalid ${where}: its metadata is not an object`);
    }
    const vector = record.vector;
    if (!vector || typeof vector.length !== 'number' || vector.length === 0) throw new VectorStoreError('validation', `Invalid ${where}: it has no embedding vector`);
    if (dims === null) dims = vector.length;
    if (vector.length !== dims) {
      const existing = dimensions === null ? 'the batch' : 'the collection';
      throw new VectorStoreError('validation', `Dimension mismatch in ${where}: ${vector.length} dimensions, ${existing} has ${dims}`);
    }
    for (let i = 0; i < vector.length; i++) {
      if (!Number.isFinite(vector[i])) throw new VectorStoreError('validation', `Invalid ${where}: its embedding has a non-finite value at ${i}`);
    }
  });
  if (dims === null) throw new VectorStoreError('validation', `Nothing to ingest into collection '${collection}'`);
  return dims;
}

export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i] * b[i];
    na += a[i] * a[i];
    nb += b[i] * b[i];
  }
  return na === 0 || nb === 0 ? 0 : dot / Math.sqrt(na * nb);
}

/**
 * Maximal marginal relevance (as LangChain's `maximal_marginal_relevance`): picks `k` of the
 * candidates, each time the one maximising `lambda * sim(query) - (1 - lambda) * max sim(selected)`.
 * Returns candidate indexes in the order picked.
 */
export function maximalMarginalRelevance(query: ArrayLike<number>, candidates: ArrayLike<number>[], k: number, lambda: number): number[] {
  if (k <= 0 || candidates.length === 0) return [];
  const relevance = candidates.map((c) => cosineSimilarity(query, c));
  const picked: number[] = [];
  const redundancy = new Array<number>(candidates.length).fill(-Infinity);
  const limit = Math.min(k, candidates.length);
  while (picked.length < limit) {
    let best = -1;
    let bestScore = -Infinity;
    for (let i = 0; i < candidates.length; i++) {
      if (picked.includes(i)) continue;
      const score = picked.length === 0 ? relevance[i] : lambda * relevance[i] - (1 - lambda) * redundancy[i];
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    picked.push(best);
    for (let i = 0; i < candidates.length; i++) redundancy[i] = Math.max(redundancy[i], cosineSimilarity(candidates[i], candidates[best]));
  }
  return picked;
}

/** A validated metadata filter key, usable in a JSON path. */
export function filterKey(key: string): string {
  if (!/^[A-Za-z0-9_ -]{1,100}$/.test(key)) throw new VectorStoreError('validation', `Invalid metadata filter key ${JSON.stringify(key.slice(0, 120))}: use letters, digits, '_', '-' or spaces`);
  return key;
}
