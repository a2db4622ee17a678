import { createHash, randomUUID } from 'node:crypto';
import { defineComponent, type ComponentContext } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import type { VectorRecord } from '../../engine/vector-store.js';
import { pyStr } from '../shared/python-format.js';
import type { Embedder } from '../shared/embedder.js';
import { storeFor } from '../vector_stores/shared.js';
import { assertKnowledgeBaseName, connectedEmbedder, embedderFromMetadata, metadataOfEmbedder, metadataOfSelection, toDataFrame, type EmbeddingMetadata } from './knowledge-shared.js';

interface ColumnConfig {
  column_name: string;
  vectorize: boolean;
  identifier: boolean;
}

const truthy = (value: unknown): boolean => value === true || value === 'True' || value === 'true';

function columnConfig(raw: unknown, columns: string[]): ColumnConfig[] {
  const list = Array.isArray(raw) ? (raw as Record<string, unknown>[]) : [];
  if (list.length === 0) throw new Error('Column configuration cannot be empty');
  const available = new Set(columns);
  return list.map((entry) => {
    const name = String(entry.column_name ?? '');
    if (!available.has(name)) throw new Error(`Column '${name}' not found in DataFrame. Available columns: ${pyStr([...available].sort())}`);
    return { column_name: name, vectorize: truthy(entry.vectorize), identifier: truthy(entry.identifier) };
  });
}

const present = (value: unknown): boolean => value !== undefined && value !== null && !(typeof value === 'number' && Number.isNaN(value));
const asText = (value: unknown): string => (typeof value === 'string' ? value : pyStr(value));

/** Rows as records (Langflow's `_convert_df_to_data_objects`): vectorized columns are the text, the rest metadata, `_id` a content hash. */
function rowsToRecords(rows: Record<string, unknown>[], config: ColumnConfig[]): Omit<VectorRecord, 'vector'>[] {
  const content = config.filter((c) => c.vectorize).map((c) => c.column_name);
  const identifiers = config.filter((c) => !c.vectorize && c.identifier).map((c) => c.column_name);
  return rows.map((row) => {
    const text = content.filter((c) => present(row[c])).map((c) => asText(row[c])).join(' ');
    const metadata: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(row)) if (!content.includes(key) && present(value)) metadata[key] = asText(value);
    const idSource = identifiers.length > 0 ? identifiers.filter((c) => present(row[c])).map((c) => asText(row[c])).join(' ') : text;
    const id = createHash('sha256').update(idSource).digest('hex');
    metadata._id = id;
    return { text, metadata, key: id };
  });
}

async function embedInBatches(ctx: ComponentContext, embedder: Embedder, texts: string[], batch: number): Promise<number[][]> {
  const vectors: number[][] = [];
  for (let start = 0; start < texts.length; start += batch) vectors.push(...(await embedder.embedMany(texts.slice(start, start + batch), ctx.signal)));
  return vectors;
}

/**
 * Langflow's Knowledge Ingestion over Weft's embedded store. A knowledge base is created on its first
 * ingest with the embedding model connected to `embedding` or chosen in `embedding_model` (Langflow
 * creates it from a dialog in its editor); later ingests reuse the model it recorded. API keys are
 * never stored in the knowledge base: each run resolves them from the user's variables.
 */
export const knowledgeIngestion = defineComponent({
  type: 'KnowledgeIngestion',
  displayName: 'Knowledge Ingestion',
  description: 'Create or update knowledge in Langflow.',
  category: 'files_and_knowledge',
  icon: 'upload',
  inputs: [
    { name: 'knowledge_base', displayName: 'Knowledge', kind: 'text', default: null, required: true, info: 'Select the knowledge to load data from.' },
    { name: 'input_df', displayName: 'Input', kind: 'handle', inputTypes: ['Message', 'Data', 'JSON', 'DataFrame', 'Table'], required: true },
    { name: 'column_config', displayName: 'Column Configuration', kind: 'table', default: [{ column_name: 'text', vectorize: true, identifier: true }], required: true },
    { name: 'chunk_size', displayName: 'Chunk Size', kind: 'int', default: 1000, advanced: true, info: 'Batch size for processing embeddings' },
    { name: 'api_key', displayName: 'Embedding Provider API Key', kind: 'secret', default: '', password: true, advanced: true },
    { name: 'allow_duplicates', displayName: 'Allow Duplicates', kind: 'bool', default: false, advanced: true, info: 'Allow duplicate rows in the knowledge base' },
    { name: 'embedding_model', displayName: 'Embedding Model', kind: 'other', default: null, advanced: true, info: 'For a new knowledge base: the embedding model to build it with ([{name, provider}]).' },
    { name: 'embedding', displayName: 'Embedding', kind: 'handle', inputTypes: ['Embeddings'], advanced: true, info: 'An embeddings component to build a new knowledge base with.' },
  ],
  outputs: [{ name: 'dataframe_output', displayName: 'Results', types: ['Data'], method: 'build_kb_info' }],
  compute: {
    dataframe_output: async (ctx) => {
      const p = ctx.params;
      const name = String(p.knowledge_base ?? '').trim();
      try {
        if (!name) throw new Error('Knowledge base path is not set. Please create a new knowledge base first.');
        assertKnowledgeBaseName(name);
        const frame = toDataFrame(p.input_df);
        const config = columnConfig(p.column_config, frame.columns);
        const store = storeFor(ctx, 'knowledge_bases');
        const existing = await store.info(name);
        let embedder = connectedEmbedder(ctx);
        let embedding: EmbeddingMetadata | undefined;
        if (embedder) embedding = metadataOfEmbedder(embedder);
        else if (existing?.metadata.embedding_model) embedder = await embedderFromMetadata(ctx, name, existing.metadata, p.api_key);
        else {
          embedding = metadataOfSelection(p.embedding_model);
          if (!embedding) throw new Error('No embedding model configuration found. Please create the knowledge base first.');
          embedder = await embedderFromMetadata(ctx, name, embedding as unknown as Record<string, unknown>, p.api_key);
        }
        const records = rowsToRecords(frame.rows, config);
        const batch = Math.max(1, Number(p.chunk_size) || 1000);
        const vectors = await embedInBatches(ctx, embedder, records.map((r) => r.text), batch);
        const result = await store.ingest(name, records.map((r, i) => ({ ...r, vector: vectors[i] })), { allowDuplicates: Boolean(p.allow_duplicates) });
        await store.setMetadata(name, {
          ...(existing?.metadata.embedding_model ? {} : { ...embedding, created_at: new Date().toISOString() }),
          ...(existing?.metadata.schema ? {} : { schema: config }),
          chunk_size: batch,
        });
        ctx.log(`Added ${result.added} documents to knowledge base '${name}'${result.skipped ? `, skipped ${result.skipped} duplicates` : ''}`);
        ctx.setStatus(`✅ KB **${name}** saved · ${frame.rows.length} chunks.`);
        const vectorized = config.filter((c) => c.vectorize).map((c) => c.column_name);
        return new Data({
          kb_id: randomUUID(),
          kb_name: name,
          rows: frame.rows.length,
          column_metadata: {
            total_columns: frame.columns.length,
            mapped_columns: config.length,
            unmapped_columns: frame.columns.length - config.length,
            columns: config.map((c) => ({ name: c.column_name, vectorize: c.vectorize, identifier: c.identifier })),
            summary: { vectorized_columns: vectorized, identifier_columns: config.filter((c) => c.identifier).map((c) => c.column_name) },
          },
          path: `knowledge_bases/${name}`,
          config_columns: config.length,
          timestamp: new Date().toISOString(),
        });
      } catch (error) {
        throw new Error(`Error during KB ingestion: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
      }
    },
  },
});
