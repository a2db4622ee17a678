import { defineComponent } from '../../engine/component.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import {
  allowDuplicatesInput,
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
} from './shared.js';

/**
 * Langflow's Local DB (a local Chroma there), served by Weft's embedded store: collections are the
 * run's user's own, under `config_dir`. `persist_directory` is accepted and not used as a path.
 */
export const localDB = defineComponent({
  type: 'LocalDB',
  displayName: 'Local DB',
  description: 'Local Vector Store with search capabilities',
  category: 'vectorstores',
  icon: 'database',
  inputs: [
    { name: 'mode', displayName: 'Mode', kind: 'text', default: 'Ingest', options: ['Ingest', 'Retrieve'], info: 'Select the operation mode' },
    { name: 'collection_name', displayName: 'Collection Name', kind: 'text', default: 'langflow', required: true },
    { name: 'persist_directory', displayName: 'Persist Directory', kind: 'text', default: '', advanced: true, info: "Accepted for compatibility: Weft keeps each user's collections in its own store." },
    { name: 'existing_collections', displayName: 'Existing Collections', kind: 'text', default: '', info: 'Select a previously created collection to search through its stored data.' },
    embeddingInput,
    allowDuplicatesInput,
    searchTypeInput,
    ingestInput,
    searchQueryInput,
    numberOfResultsInput(10),
    scoreThresholdInput,
    { name: 'limit', displayName: 'Limit', kind: 'int', default: null, advanced: true, info: 'Limit the number of records to compare when Allow Duplicates is False.' },
  ],
  outputs: [{ name: 'dataframe', displayName: 'DataFrame', types: ['DataFrame'], method: 'perform_search' }],
  compute: {
    dataframe: async (ctx) => {
      const p = ctx.params;
      const collection = String(p.existing_collections || p.collection_name || 'langflow');
      const store = storeFor(ctx);
      const embedder = embedderOf(ctx);
      await ingestDocuments(ctx, store, collection, embedder, documentsOf(p.ingest_data), { allowDuplicates: Boolean(p.allow_duplicates) });
      const results = await searchDocuments(ctx, store, collection, embedder, textParam(p.search_query), searchOptions(p.search_type, Number(p.number_of_results ?? 10), p.search_score_threshold));
      ctx.setStatus(results);
      return DataFrame.fromData(results);
    },
  },
});
