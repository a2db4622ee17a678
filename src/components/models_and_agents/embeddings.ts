import { defineComponent, type ComponentContext } from '../../engine/component.js';
import { guardedFetch, outboundPolicyFrom } from '../shared/guarded-fetch.js';
import { numberOrUndefined, selectedModel } from './providers/chat.js';
import { resolveCredentials, type CredentialFields } from './providers/credentials.js';
import { createEmbeddingModel, EmbeddingsHandle, providerId, type ProviderId } from './providers/index.js';

async function handle(ctx: ComponentContext, provider: ProviderId, model: string, fields: CredentialFields): Promise<EmbeddingsHandle> {
  if (!model) throw new Error('No embedding model selected');
  const credentials = await resolveCredentials(ctx, provider, fields);
  const embedding = await createEmbeddingModel({ provider, model, apiKey: credentials.apiKey, baseUrl: credentials.baseUrl, fetch: guardedFetch(outboundPolicyFrom(ctx.services)) });
  const dimensions = numberOrUndefined(ctx.params.dimensions);
  return new EmbeddingsHandle(provider, model, embedding, { maxRetries: numberOrUndefined(ctx.params.max_retries), dimensions: dimensions && dimensions > 0 ? dimensions : undefined });
}

/**
 * An embeddings model named by its provider's label and model name (as a knowledge base records
 * them), with the credentials the run resolves for that provider (its variables, or `apiKey`).
 */
export function embeddingsByName(ctx: ComponentContext, providerLabel: string, model: string, apiKey?: unknown): Promise<EmbeddingsHandle> {
  return handle(ctx, providerId(providerLabel), model, { apiKey, keyField: 'Embedding Provider API Key' });
}

const output = [{ name: 'embeddings', displayName: 'Embedding Model', types: ['Embeddings'], method: 'build_embeddings' }];

/** Langflow's unified Embedding Model: `model` is a list entry ({name, provider}) or a name with a `provider` field. */
export const embeddingModel = defineComponent({
  type: 'EmbeddingModel',
  displayName: 'Embedding Model',
  description: 'Generate embeddings using a specified provider.',
  category: 'models_and_agents',
  icon: 'binary',
  inputs: [
    { name: 'provider', displayName: 'Model Provider', kind: 'text', default: 'OpenAI', options: ['OpenAI', 'Ollama'] },
    { name: 'model', displayName: 'Model Name', kind: 'other', default: 'text-embedding-3-small' },
    { name: 'api_key', displayName: 'API Key', kind: 'secret', default: '', password: true },
    { name: 'api_base', displayName: 'API Base URL', kind: 'text', default: '', advanced: true },
    { name: 'ollama_base_url', displayName: 'Ollama API URL', kind: 'text', default: '', advanced: true },
    { name: 'dimensions', displayName: 'Dimensions', kind: 'int', default: null, advanced: true },
    { name: 'chunk_size', displayName: 'Chunk Size', kind: 'int', default: 1000, advanced: true },
    { name: 'request_timeout', displayName: 'Request Timeout', kind: 'float', default: null, advanced: true },
    { name: 'max_retries', displayName: 'Max Retries', kind: 'int', default: 3, advanced: true },
  ],
  outputs: output,
  compute: {
    embeddings: (ctx) => {
      const p = ctx.params;
      const selection = selectedModel(p.model);
      const provider = providerId(selection?.provider ?? String(p.provider || 'OpenAI'));
      const name = selection?.name ?? (typeof p.model === 'string' ? p.model : '');
      const ollama = provider === 'ollama' && Boolean(p.ollama_base_url);
      return handle(ctx, provider, name, { apiKey: p.api_key, baseUrl: ollama ? p.ollama_base_url : p.api_base, keyField: 'API Key', urlField: ollama ? 'Ollama API URL' : 'API Base URL' });
    },
  },
});

export const openAIEmbeddings = defineComponent({
  type: 'OpenAIEmbeddings',
  displayName: 'OpenAI Embeddings',
  description: 'Generate embeddings using OpenAI models.',
  category: 'openai',
  icon: 'OpenAI',
  inputs: [
    { name: 'model', displayName: 'Model', kind: 'text', default: 'text-embedding-3-small' },
    { name: 'openai_api_key', displayName: 'OpenAI API Key', kind: 'secret', default: '', loadFromDb: true, password: true },
    { name: 'openai_api_base', displayName: 'OpenAI API Base', kind: 'text', default: '', advanced: true },
    { name: 'dimensions', displayName: 'Dimensions', kind: 'int', default: null, advanced: true },
    { name: 'max_retries', displayName: 'Max Retries', kind: 'int', default: 3, advanced: true },
  ],
  outputs: output,
  compute: {
    embeddings: (ctx) =>
      handle(ctx, 'openai', String(ctx.params.model || 'text-embedding-3-small'), { apiKey: ctx.params.openai_api_key, baseUrl: ctx.params.openai_api_base, keyField: 'OpenAI API Key', urlField: 'OpenAI API Base' }),
  },
});

export const ollamaEmbeddings = defineComponent({
  type: 'OllamaEmbeddings',
  displayName: 'Ollama Embeddings',
  description: 'Generate embeddings using Ollama models.',
  category: 'ollama',
  icon: 'Ollama',
  inputs: [
    { name: 'model_name', displayName: 'Ollama Model', kind: 'text', default: '' },
    { name: 'base_url', displayName: 'Ollama Base URL', kind: 'text', default: '' },
  ],
  outputs: output,
  compute: { embeddings: (ctx) => handle(ctx, 'ollama', String(ctx.params.model_name ?? ''), { baseUrl: ctx.params.base_url, urlField: 'Ollama Base URL' }) },
});
