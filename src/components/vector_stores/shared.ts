import type { ComponentContext, InputDecl, OutputDecl } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import type { SearchHit, SearchOptions, VectorSpace, VectorStore, VectorStoreService } from '../../engine/vector-store.js';
import { asEmbedder, type Embedder } from '../shared/embedder.js';

declare module '../../engine/component.js' {
  interface EngineServices {
    /** Weft's embedded vector store (or PostgreSQL's), scoped per user by the component through `run.userId`. */
    vectorStores?: VectorStoreService;
  }
}

/** The run's user's store in `space`; a run with no user (or no store) cannot use one. */
export function storeFor(ctx: ComponentContext, space: VectorSpace = 'vector_stores'): VectorStore {
  const service = ctx.services.vectorStores;
  if (!service) throw new Error('No vector store is available to this run');
  const userId = ctx.run.userId;
  if (!userId) throw new Error('Vector stores belong to a user: run the flow as a signed-in user, with an API key, or with `weft run --user`');
  return service.forUser(userId, space);
}

export interface Document {
  text: string;
  metadata: Record<string, unknown>;
}

function fromData(data: Data): Document {
  const { [data.textKey]: _text, ...metadata } = data.data;
  return { text: data.text, metadata };
}

/** `ingest_data` as documents (Langflow's `_prepare_ingest_data` then `to_lc_document`). */
export function documentsOf(value: unknown): Document[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null || value === '' ? [] : [value];
  const docs: Document[] = [];
  for (const item of items) {
    if (item instanceof DataFrame) docs.push(...item.toData().map(fromData));
    else if (item instanceof Message) docs.push({ text: item.text, metadata: {} });
    else if (item instanceof Data) docs.push(fromData(item));
    else if (item !== undefined && item !== null && item !== '') throw new Error('Vector Store Inputs must be Data objects.');
  }
  return docs;
}

export function hitsToData(hits: SearchHit[]): Data[] {
  return hits.map((hit) => new Data({ ...hit.metadata, text: hit.text }));
}

/** Embeds and stores the documents in one transaction; embedding failures store nothing. */
export async function ingestDocuments(
  ctx: ComponentContext,
  store: VectorStore,
  collection: string,
  embedder: Embedder,
  docs: Document[],
  options: { allowDuplicates?: boolean; replace?: boolean } = {},
): Promise<{ added: number; skipped: number }> {
  if (docs.length === 0) return { added: 0, skipped: 0 };
  const vectors = await embedder.embedMany(docs.map((d) => d.text), ctx.signal);
  if (vectors.length !== docs.length) throw new Error(`The embedding model returned ${vectors.length} vectors for ${docs.length} documents`);
  const result = await store.ingest(collection, docs.map((d, i) => ({ ...d, vector: vectors[i] })), options);
  ctx.log(result.added > 0 ? `Adding ${result.added} documents to the Vector Store.` : 'No documents to add to the Vector Store.');
  return result;
}

/** Langflow's search type labels as the store's options. */
export function searchOptions(searchType: unknown, k: number, threshold: unknown): SearchOptions {
  const type = String(searchType ?? 'Similarity').toLowerCase();
  const scoreThreshold = Number(threshold ?? 0);
  return {
    k: Math.max(0, Math.trunc(k)),
    type: type.startsWith('mmr') ? 'mmr' : 'similarity',
    ...(scoreThreshold > 0 || type.includes('threshold') ? { scoreThreshold } : {}),
  };
}

export async function searchDocuments(ctx: ComponentContext, store: VectorStore, collection: string, embedder: Embedder, query: string, options: SearchOptions): Promise<Data[]> {
  if (!query.trim()) return [];
  ctx.log(`Search input: ${query}`);
  const vector = await embedder.embed(query, ctx.signal);
  return hitsToData(await store.search(collection, vector, options));
}

/** Langflow's vector store inputs that every store shares. */
export const ingestInput: InputDecl = {
  name: 'ingest_data',
  displayName: 'Ingest Data',
  kind: 'handle',
  inputTypes: ['Data', 'DataFrame'],
  list: true,
  info: 'Data to store. It will be embedded and indexed for semantic search.',
};
export const searchQueryInput: InputDecl = { name: 'search_query', displayName: 'Search Query', kind: 'text', default: '', multiline: true, toolMode: true, inputTypes: ['Message'], info: 'Enter a query to run a similarity search.' };
export const cacheInput: InputDecl = { name: 'should_cache_vector_store', displayName: 'Cache Vector Store', kind: 'bool', default: true, advanced: true };
export const embeddingInput: InputDecl = { name: 'embedding', displayName: 'Embedding', kind: 'handle', inputTypes: ['Embeddings'], required: true };
export const allowDuplicatesInput: InputDecl = { name: 'allow_duplicates', displayName: 'Allow Duplicates', kind: 'bool', default: false, advanced: true, info: 'If false, will not add documents that are already in the Vector Store.' };
export const searchTypeInput: InputDecl = { name: 'search_type', displayName: 'Search Type', kind: 'text', default: 'Similarity', options: ['Similarity', 'MMR'], advanced: true };
export const scoreThresholdInput: InputDecl = { name: 'search_score_threshold', displayName: 'Search Score Threshold', kind: 'float', default: 0, advanced: true, info: 'Minimum similarity score (cosine similarity) for a result.' };

export function numberOfResultsInput(value: number): InputDecl {
  return { name: 'number_of_results', displayName: 'Number of Results', kind: 'int', default: value, advanced: true, info: 'Number of results to return.' };
}

export const vectorStoreOutputs: OutputDecl[] = [
  { name: 'search_results', displayName: 'Search Results', types: ['Data'], method: 'search_documents' },
  { name: 'dataframe', displayName: 'DataFrame', types: ['DataFrame'], method: 'as_dataframe' },
];

/**
 * The two outputs over one build: ingest (if data is connected), then search (if there is a query),
 * done once per build however many outputs are read.
 */
export function vectorStoreCompute(build: (ctx: ComponentContext) => Promise<Data[]>) {
  const results = (ctx: ComponentContext) => ctx.memo('vector-store-build', () => build(ctx));
  return {
    search_results: async (ctx: ComponentContext) => {
      const data = await results(ctx);
      ctx.setStatus(data);
      return data;
    },
    dataframe: async (ctx: ComponentContext) => DataFrame.fromData(await results(ctx)),
  };
}

export function embedderOf(ctx: ComponentContext): Embedder {
  return asEmbedder(ctx.params.embedding ?? ctx.params.embedding_model, 'Embedding');
}

export function textParam(value: unknown): string {
  if (value instanceof Message) return value.text;
  if (value instanceof Data) return value.text;
  return value === undefined || value === null ? '' : String(value);
}
