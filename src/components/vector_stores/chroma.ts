import { defineComponent } from '../../engine/component.js';
import {
  allowDuplicatesInput,
  cacheInput,
  documentsOf,
  embedderOf,
  embeddingInput,
  ingestDocuments,
  ingestInput,
  numberOfResultsInput,
  scoreThresholdInput,
  searchDocuments,
  searchOptions,
  searchQueryInput,
  searchTypeInput,
  storeFor,
  textParam,
  vectorStoreCompute,
  vectorStoreOutputs,
} from './shared.js';

/**
 * Langflow's Chroma DB in its local mode, served by Weft's embedded store (the run's user's
 * collections). A Chroma server (`chroma_server_host`) is refused: Weft has no Chroma client.
 */
export const chromaDB = defineComponent({
  type: 'Chroma',
  displayName: 'Chroma DB',
  description: 'Chroma Vector Store with search capabilities',
  category: 'chroma',
  icon: 'Chroma',
  inputs: [
    { name: 'collection_name', displayName: 'Collection Name', kind: 'text', default: 'langflow' },
    { name: 'persist_directory', displayName: 'Persist Directory', kind: 'text', default: '', info: "Accepted for compatibility: Weft keeps each user's collections in its own store." },
    ingestInput,
    searchQueryInput,
    cacheInput,
    embeddingInput,
    { name: 'chroma_server_cors_allow_origins', displayName: 'Server CORS Allow Origins', kind: 'text', default: '', advanced: true },
    { name: 'chroma_server_host', displayName: 'Server Host', kind: 'text', default: '', advanced: true },
    { name: 'chroma_server_http_port', displayName: 'Server HTTP Port', kind: 'int', default: null, advanced: true },
    { name: 'chroma_server_grpc_port', displayName: 'Server gRPC Port', kind: 'int', default: null, advanced: true },
    { name: 'chroma_server_ssl_enabled', displayName: 'Server SSL Enabled', kind: 'bool', default: false, advanced: true },
    allowDuplicatesInput,
    searchTypeInput,
    numberOfResultsInput(10),
    scoreThresholdInput,
    { name: 'limit', displayName: 'Limit', kind: 'int', default: null, advanced: true, info: 'Limit the number of records to compare when Allow Duplicates is False.' },
  ],
  outputs: vectorStoreOutputs,
  compute: vectorStoreCompute(async (ctx) => {
    const p = ctx.params;
    const host = String(p.chroma_server_host ?? '').trim();
    if (host) {
      throw new Error(
        `Chroma server mode is not available in Weft (Server Host "${host}"): leave Server Host empty to use Weft's embedded vector store, where this collection is kept for your user`,
      );
    }
    const collection = String(p.collection_name || 'langflow');
    const store = storeFor(ctx);
    const embedder = embedderOf(ctx);
    await ingestDocuments(ctx, store, collection, embedder, documentsOf(p.ingest_data), { allowDuplicates: Boolean(p.allow_duplicates) });
    return searchDocuments(ctx, store, collection, embedder, textParam(p.search_query), searchOptions(p.search_type, Number(p.number_of_results ?? 10), p.search_score_threshold));
  }),
});
