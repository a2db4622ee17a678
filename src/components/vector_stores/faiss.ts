import { defineComponent } from '../../engine/component.js';
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
  storeFor,
  textParam,
  vectorStoreCompute,
  vectorStoreOutputs,
} from './shared.js';

/**
 * Langflow's FAISS, served by Weft's embedded store: as Langflow rebuilds and saves the index from the
 * ingested documents on each build, ingesting replaces the collection `index_name` (in one transaction);
 * a build with no documents searches what was saved. Exact search; nothing is ever unpickled.
 */
export const faissVectorStore = defineComponent({
  type: 'FAISS',
  displayName: 'FAISS',
  description: 'FAISS Vector Store with search capabilities',
  category: 'FAISS',
  icon: 'FAISS',
  inputs: [
    { name: 'index_name', displayName: 'Index Name', kind: 'text', default: 'langflow' },
    { name: 'persist_directory', displayName: 'Persist Directory', kind: 'text', default: '', info: "Accepted for compatibility: Weft keeps each user's indexes in its own store." },
    ingestInput,
    searchQueryInput,
    cacheInput,
    { name: 'allow_dangerous_deserialization', displayName: 'Allow Dangerous Deserialization', kind: 'bool', default: true, advanced: true, info: 'Not needed in Weft: its indexes are never pickled.' },
    embeddingInput,
    numberOfResultsInput(4),
  ],
  outputs: vectorStoreOutputs,
  compute: vectorStoreCompute(async (ctx) => {
    const p = ctx.params;
    const collection = String(p.index_name || 'langflow');
    const store = storeFor(ctx);
    const embedder = embedderOf(ctx);
    await ingestDocuments(ctx, store, collection, embedder, documentsOf(p.ingest_data), { allowDuplicates: true, replace: true });
    return searchDocuments(ctx, store, collection, embedder, textParam(p.search_query), searchOptions('Similarity', Number(p.number_of_results ?? 4), 0));
  }),
});
