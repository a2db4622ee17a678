import type { ComponentContext } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { embeddingsByName } from '../models_and_agents/embeddings.js';
import { HashingEmbeddings } from '../models_and_agents/hashing-embeddings.js';
import { selectedModel } from '../models_and_agents/providers/chat.js';
import { asEmbedder, type Embedder } from '../shared/embedder.js';

/** Langflow's knowledge base names (Chroma's collection rule): 3-63 of [A-Za-z0-9_-], starting and ending alphanumeric. */
export function assertKnowledgeBaseName(name: string): void {
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]{1,61}[A-Za-z0-9]$/.test(name)) throw new Error(`Invalid knowledge base name: ${name.slice(0, 100)}`);
}

export const HASHING_PROVIDER = 'Hashing (lexical)';

/** What a knowledge base records about its embedding model, so retrieval embeds queries the same way. */
export interface EmbeddingMetadata {
  embedding_provider: string;
  embedding_model: string;
  model_selection?: unknown;
  dimensions?: number;
}

export function metadataOfEmbedder(embedder: Embedder): EmbeddingMetadata {
  if (embedder instanceof HashingEmbeddings) return { embedding_provider: HASHING_PROVIDER, embedding_model: `hashing-${embedder.dimensions}`, dimensions: embedder.dimensions };
  const json = (embedder as { toJSON?: () => Record<string, unknown> }).toJSON?.() ?? {};
  return { embedding_provider: String(json.provider ?? 'Unknown'), embedding_model: String(json.model ?? 'Unknown') };
}

/** The model a `ModelInput` value names ([{name, provider}]), or undefined. */
export function metadataOfSelection(value: unknown): EmbeddingMetadata | undefined {
  const selection = selectedModel(value);
  if (!selection?.name || !selection.provider) return undefined;
  return { embedding_provider: selection.provider, embedding_model: selection.name, model_selection: Array.isArray(value) ? value[0] : value };
}

/** The embedder a knowledge base was built with, rebuilt from its metadata. */
export async function embedderFromMetadata(ctx: ComponentContext, name: string, metadata: Record<string, unknown>, apiKey: unknown): Promise<Embedder> {
  const provider = typeof metadata.embedding_provider === 'string' ? metadata.embedding_provider : '';
  const model = typeof metadata.embedding_model === 'string' ? metadata.embedding_model : '';
  if (!provider || !model) throw new Error(`Metadata not found for knowledge base: ${name}. Ensure it has been indexed.`);
  if (provider === HASHING_PROVIDER) return new HashingEmbeddings(Number(metadata.dimensions));
  return embeddingsByName(ctx, provider, model, apiKey);
}

/** An `Embeddings` handle connected to the component, if any. */
export function connectedEmbedder(ctx: ComponentContext): Embedder | undefined {
  return ctx.isConnected('embedding') && ctx.params.embedding ? asEmbedder(ctx.params.embedding) : undefined;
}

/** Langflow's `convert_to_dataframe` for the ingestion input (Message, Data, list of Data, DataFrame). */
export function toDataFrame(value: unknown): DataFrame {
  const input = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (input instanceof DataFrame) return input;
  if (input instanceof Message) return new DataFrame([{ text: input.text }]);
  if (input instanceof Data) return new DataFrame([{ ...input.data }]);
  if (Array.isArray(input)) return new DataFrame(input.map((item) => (item instanceof Data ? { ...item.data } : item instanceof Message ? { text: item.text } : { value: item })));
  if (input && typeof input === 'object') return new DataFrame([{ ...(input as Record<string, unknown>) }]);
  throw new Error('Input is required: connect a DataFrame, Data or Message');
}
