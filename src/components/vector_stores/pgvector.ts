import { lookup } from 'node:dns/promises';
import { defineComponent, type ComponentContext } from '../../engine/component.js';
import type { VectorStoreService } from '../../engine/vector-store.js';
import { allowListFrom, isBlockedAddress } from '../shared/safe-fetch.js';
import {
  cacheInput,
  documentsOf,
  embedderOf,
  embeddingInput,
  ingestDocuments,
  ingestInput,
  numberOfResultsInput,
  searchDocuments,
  searchOptions,
  searchQueryInput,
  textParam,
  vectorStoreCompute,
  vectorStoreOutputs,
} from './shared.js';

declare module '../../engine/component.js' {
  interface EngineServices {
    /** A pgvector store on the PostgreSQL server at this connection string (the host pools one per URL). */
    pgVectorStores?: (connectionString: string) => VectorStoreService;
  }
}

/** The server must be public, or on `LANGFLOW_ALLOWED_HOSTS`, like every address a component reaches. */
async function checkServer(ctx: ComponentContext, connectionString: string): Promise<void> {
  let host: string;
  try {
    host = new URL(connectionString).hostname.replace(/^\[|\]$/g, '');
  } catch {
    throw new Error('PostgreSQL Server Connection String is not a URL (postgresql://user:password@host:5432/database)');
  }
  if (!host) throw new Error('PostgreSQL Server Connection String has no host');
  const allow = allowListFrom(ctx.services);
  if (allow.allowsHost(host)) return;
  const addresses = await lookup(host, { all: true }).catch(() => {
    throw new Error(`PostgreSQL server ${host} cannot be resolved`);
  });
  for (const { address } of addresses) {
    if (isBlockedAddress(address) && !allow.allowsAddress(address)) throw new Error(`Refusing to connect to ${host}: ${address} is a private or reserved address (allow it with LANGFLOW_ALLOWED_HOSTS)`);
  }
}

/** Langflow's PGVector: collections in the given PostgreSQL with pgvector (an HNSW index per collection), per user. */
export const pgVectorStore = defineComponent({
  type: 'pgvector',
  displayName: 'PGVector',
  description: 'PGVector Vector Store with search capabilities',
  category: 'pgvector',
  icon: 'cpu',
  inputs: [
    { name: 'pg_server_url', displayName: 'PostgreSQL Server Connection String', kind: 'secret', default: '', required: true, password: true },
    { name: 'collection_name', displayName: 'Table', kind: 'text', default: '', required: true },
    ingestInput,
    searchQueryInput,
    cacheInput,
    embeddingInput,
    numberOfResultsInput(4),
  ],
  outputs: vectorStoreOutputs,
  compute: vectorStoreCompute(async (ctx) => {
    const p = ctx.params;
    const url = textParam(p.pg_server_url).trim();
    if (!url) throw new Error('PostgreSQL Server Connection String is required');
    const factory = ctx.services.pgVectorStores;
    if (!factory) throw new Error('PGVector is not available to this run');
    const userId = ctx.run.userId;
    if (!userId) throw new Error('Vector stores belong to a user: run the flow as a signed-in user, with an API key, or with `weft run --user`');
    const collection = textParam(p.collection_name).trim();
    if (!collection) throw new Error('Table (collection name) is required');
    await checkServer(ctx, url);
    const store = factory(url).forUser(userId, 'vector_stores');
    const embedder = embedderOf(ctx);
    await ingestDocuments(ctx, store, collection, embedder, documentsOf(p.ingest_data), { allowDuplicates: true });
    return searchDocuments(ctx, store, collection, embedder, textParam(p.search_query), searchOptions('Similarity', Number(p.number_of_results ?? 4), 0));
  }),
});
