import { defineComponent } from '../../engine/component.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { storeFor, textParam } from '../vector_stores/shared.js';
import { connectedEmbedder, embedderFromMetadata } from './knowledge-shared.js';

/**
 * Langflow's Knowledge Retrieval (later renamed Knowledge Base): searches one of the user's knowledge
 * bases with the embedding model it was built with. Rows are `content`, `_score` (minus the cosine
 * distance: higher is closer) when there is a query, and the chunk's metadata when `include_metadata`.
 * `include_embeddings` is not available in Weft.
 */
export const knowledgeRetrieval = defineComponent({
  type: 'KnowledgeRetrieval',
  aliases: ['KnowledgeBase'],
  displayName: 'Knowledge Retrieval',
  description: 'Search and retrieve data from knowledge.',
  category: 'files_and_knowledge',
  icon: 'download',
  inputs: [
    { name: 'knowledge_base', displayName: 'Knowledge', kind: 'text', default: null, required: true, info: 'Select the knowledge to load data from.' },
    { name: 'api_key', displayName: 'Embedding Provider API Key', kind: 'secret', default: '', password: true, advanced: true },
    { name: 'search_query', displayName: 'Search Query', kind: 'text', default: '', inputTypes: ['Message'], toolMode: true, info: 'Optional search query to filter knowledge base data.' },
    { name: 'top_k', displayName: 'Top K Results', kind: 'int', default: 5, advanced: true },
    { name: 'include_metadata', displayName: 'Include Metadata', kind: 'bool', default: true },
    { name: 'include_embeddings', displayName: 'Include Embeddings', kind: 'bool', default: false, advanced: true, info: 'Not available in Weft.' },
    { name: 'embedding', displayName: 'Embedding', kind: 'handle', inputTypes: ['Embeddings'], advanced: true, info: 'Overrides the model the knowledge base recorded.' },
  ],
  outputs: [{ name: 'retrieve_data', displayName: 'Results', types: ['DataFrame'], method: 'retrieve_data' }],
  compute: {
    retrieve_data: async (ctx) => {
      const p = ctx.params;
      const name = String(p.knowledge_base ?? '').trim();
      const store = storeFor(ctx, 'knowledge_bases');
      const info = name ? await store.info(name).catch(() => undefined) : undefined;
      if (!info) throw new Error(`Metadata not found for knowledge base: ${name}. Ensure it has been indexed.`);
      const k = Math.max(0, Number(p.top_k ?? 5));
      const query = textParam(p.search_query);
      const includeMetadata = p.include_metadata !== false;
      const rows: Record<string, unknown>[] = [];
      if (query) {
        const embedder = connectedEmbedder(ctx) ?? (await embedderFromMetadata(ctx, name, info.metadata, p.api_key));
        const hits = await store.search(name, await embedder.embed(query, ctx.signal), { k });
        for (const hit of hits) rows.push({ content: hit.text, _score: -(1 - hit.score), ...(includeMetadata ? hit.metadata : {}) });
      } else {
        for (const chunk of await store.chunks(name, k)) rows.push({ content: chunk.text, ...(includeMetadata ? chunk.metadata : {}) });
      }
      return new DataFrame(rows);
    },
  },
});
