import { defineComponent } from '../../engine/component.js';
import type { Embedder } from '../shared/embedder.js';

const WORD = /[\p{L}\p{N}]+/gu;

/** FNV-1a, 32 bits: stable across runs and machines. */
function fnv1a(text: string, seed: number): number {
  let hash = 0x811c9dc5 ^ seed;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/**
 * Lexical feature hashing: each lower-cased word and each pair of adjacent words adds ±1 (the sign from
 * a second hash) at a hashed index, counts are log-scaled, and the vector is L2-normalised. Texts that
 * share words get close vectors; it knows nothing about meaning (synonyms, paraphrase). Deterministic
 * and offline, for tests, demos and air-gapped use.
 */
export class HashingEmbeddings implements Embedder {
  readonly kind = 'Embeddings';

  constructor(readonly dimensions: number) {
    if (!Number.isInteger(dimensions) || dimensions < 2 || dimensions > 8192) throw new Error(`Dimensions must be a whole number from 2 to 8192, got ${dimensions}`);
  }

  vector(text: string): number[] {
    const words = text.toLowerCase().match(WORD) ?? [];
    const counts = new Float64Array(this.dimensions);
    const add = (feature: string, weight: number) => {
      const index = fnv1a(feature, 0) % this.dimensions;
      counts[index] += (fnv1a(feature, 0x9e3779b9) & 1 ? 1 : -1) * weight;
    };
    for (let i = 0; i < words.length; i++) {
      add(words[i], 1);
      if (i > 0) add(`${words[i - 1]} ${words[i]}`, 0.5);
    }
    let norm = 0;
    for (let i = 0; i < counts.length; i++) {
      counts[i] = Math.sign(counts[i]) * Math.log1p(Math.abs(counts[i]));
      norm += counts[i] * counts[i];
    }
    norm = Math.sqrt(norm) || 1;
    return Array.from(counts, (v) => v / norm);
  }

  async embed(text: string): Promise<number[]> {
    return this.vector(text);
  }

  async embedMany(texts: string[]): Promise<number[][]> {
    return texts.map((t) => this.vector(t));
  }

  toJSON(): Record<string, unknown> {
    return { provider: 'Hashing (lexical)', model: `hashing-${this.dimensions}` };
  }
}

export const hashingEmbeddings = defineComponent({
  type: 'HashingEmbeddings',
  displayName: 'Hashing Embeddings (lexical)',
  description:
    'Deterministic, offline embeddings by feature hashing of words and word pairs. Lexical only: texts match when they share words, not when they mean the same thing. For tests, demos and air-gapped use; use a real embedding model for semantic search.',
  category: 'models_and_agents',
  icon: 'binary',
  inputs: [{ name: 'dimensions', displayName: 'Dimensions', kind: 'int', default: 384, info: 'Length of each vector (2-8192).' }],
  outputs: [{ name: 'embeddings', displayName: 'Embedding Model', types: ['Embeddings'], method: 'build_embeddings' }],
  compute: { embeddings: (ctx) => new HashingEmbeddings(Number(ctx.params.dimensions ?? 384)) },
});
