/**
 * What a vector store needs from an `Embeddings` input: every embeddings component (a provider's
 * `EmbeddingsHandle`, Hashing Embeddings) gives one.
 */
export interface Embedder {
  readonly kind: 'Embeddings';
  embed(text: string, signal?: AbortSignal): Promise<number[]>;
  embedMany(texts: string[], signal?: AbortSignal): Promise<number[][]>;
}

export function asEmbedder(value: unknown, field = 'Embedding'): Embedder {
  const candidate = Array.isArray(value) ? value[0] : value;
  const e = candidate as Partial<Embedder> | null | undefined;
  if (e && typeof e === 'object' && typeof e.embed === 'function' && typeof e.embedMany === 'function') return e as Embedder;
  throw new Error(`${field} is required: connect an embeddings component (OpenAI Embeddings, Embedding Model, Hashing Embeddings...)`);
}
