/**
 * The model catalogue behind `/api/v1/models` and `/api/v1/model_options/*`: the providers Weft's
 * model components can call (src/components/models_and_agents/providers), their models, and the
 * variable that holds each provider's credentials. Shapes follow Langflow's unified model catalogue.
 */

export type CatalogueModelType = 'llm' | 'embeddings';

export interface ProviderVariable {
  variable_name: string;
  variable_key: string;
  description: string;
  required: boolean;
  is_secret: boolean;
  is_list: boolean;
  options: string[];
}

export interface ProviderEntry {
  provider: string;
  icon: string;
  /** The LangChain class Langflow's ModelInput metadata names; kept for UI compatibility. */
  modelClass: string;
  embeddingClass: string | null;
  apiKeyParam: string;
  variables: ProviderVariable[];
  api_docs_url: string;
}

export interface CatalogueModel {
  name: string;
  provider: string;
  model_type: CatalogueModelType;
  tool_calling: boolean;
  reasoning: boolean;
  search: boolean;
  preview: boolean;
  deprecated: boolean;
  not_supported: boolean;
  context_length?: number;
}

function secret(label: string, key: string, description: string): ProviderVariable {
  return { variable_name: label, variable_key: key, description, required: true, is_secret: true, is_list: false, options: [] };
}

export const PROVIDERS: readonly ProviderEntry[] = [
  {
    provider: 'Anthropic', icon: 'Anthropic', modelClass: 'ChatAnthropic', embeddingClass: null, apiKeyParam: 'api_key',
    variables: [secret('Anthropic API Key', 'ANTHROPIC_API_KEY', 'Your Anthropic API key')],
    api_docs_url: 'https://console.anthropic.com/settings/keys',
  },
  {
    provider: 'Google Generative AI', icon: 'GoogleGenerativeAI', modelClass: 'ChatGoogleGenerativeAIFixed', embeddingClass: 'GoogleGenerativeAIEmbeddings', apiKeyParam: 'google_api_key',
    variables: [secret('Google API Key', 'GOOGLE_API_KEY', 'Your Google AI Studio API key')],
    api_docs_url: 'https://aistudio.google.com/app/apikey',
  },
  {
    provider: 'Groq', icon: 'Groq', modelClass: 'ChatGroq', embeddingClass: null, apiKeyParam: 'api_key',
    variables: [secret('Groq API Key', 'GROQ_API_KEY', 'Your Groq API key')],
    api_docs_url: 'https://console.groq.com/keys',
  },
  {
    provider: 'Mistral', icon: 'MistralAI', modelClass: 'ChatMistralAI', embeddingClass: 'MistralAIEmbeddings', apiKeyParam: 'api_key',
    variables: [secret('Mistral API Key', 'MISTRAL_API_KEY', 'Your Mistral API key')],
    api_docs_url: 'https://console.mistral.ai/api-keys',
  },
  {
    provider: 'Ollama', icon: 'Ollama', modelClass: 'ChatOllama', embeddingClass: 'OllamaEmbeddings', apiKeyParam: 'base_url',
    variables: [{ variable_name: 'Ollama Base URL', variable_key: 'OLLAMA_BASE_URL', description: 'The URL of your Ollama server', required: true, is_secret: false, is_list: false, options: [] }],
    api_docs_url: 'https://ollama.com/',
  },
  {
    provider: 'OpenAI', icon: 'OpenAI', modelClass: 'ChatOpenAI', embeddingClass: 'OpenAIEmbeddings', apiKeyParam: 'api_key',
    variables: [secret('OpenAI API Key', 'OPENAI_API_KEY', 'Your OpenAI API key')],
    api_docs_url: 'https://platform.openai.com/api-keys',
  },
];

type ModelFlags = Partial<Omit<CatalogueModel, 'name' | 'provider' | 'model_type'>>;

function llm(provider: string, name: string, flags: ModelFlags = {}): CatalogueModel {
  return { name, provider, model_type: 'llm', tool_calling: true, reasoning: false, search: false, preview: false, deprecated: false, not_supported: false, ...flags };
}

function embeddings(provider: string, name: string, flags: ModelFlags = {}): CatalogueModel {
  return { ...llm(provider, name, flags), model_type: 'embeddings', tool_calling: false };
}

/** In provider order, newest and most used first: the first five of each provider and type are its defaults. */
export const MODELS: readonly CatalogueModel[] = [
  llm('Anthropic', 'claude-sonnet-4-5', { context_length: 200000 }),
  llm('Anthropic', 'claude-opus-4-1', { context_length: 200000 }),
  llm('Anthropic', 'claude-haiku-4-5', { context_length: 200000 }),
  llm('Anthropic', 'claude-sonnet-4-0', { context_length: 200000 }),
  llm('Anthropic', 'claude-3-7-sonnet-latest', { context_length: 200000 }),
  llm('Anthropic', 'claude-3-5-haiku-latest', { context_length: 200000 }),
  llm('Google Generative AI', 'gemini-2.5-pro', { reasoning: true, context_length: 1048576 }),
  llm('Google Generative AI', 'gemini-2.5-flash', { reasoning: true, context_length: 1048576 }),
  llm('Google Generative AI', 'gemini-2.5-flash-lite', { context_length: 1048576 }),
  llm('Google Generative AI', 'gemini-2.0-flash', { context_length: 1048576 }),
  llm('Google Generative AI', 'gemini-2.0-flash-lite', { context_length: 1048576 }),
  embeddings('Google Generative AI', 'models/text-embedding-004'),
  llm('Groq', 'llama-3.3-70b-versatile', { context_length: 131072 }),
  llm('Groq', 'llama-3.1-8b-instant', { context_length: 131072 }),
  llm('Groq', 'openai/gpt-oss-120b', { reasoning: true, context_length: 131072 }),
  llm('Groq', 'qwen/qwen3-32b', { reasoning: true, context_length: 131072 }),
  llm('Mistral', 'mistral-large-latest', { context_length: 131072 }),
  llm('Mistral', 'mistral-medium-latest', { context_length: 131072 }),
  llm('Mistral', 'mistral-small-latest', { context_length: 32768 }),
  llm('Mistral', 'codestral-latest', { context_length: 256000 }),
  embeddings('Mistral', 'mistral-embed'),
  llm('Ollama', 'llama3.2'),
  llm('Ollama', 'llama3.1'),
  llm('Ollama', 'qwen2.5'),
  llm('Ollama', 'mistral'),
  llm('Ollama', 'gemma3', { tool_calling: false }),
  embeddings('Ollama', 'nomic-embed-text'),
  embeddings('Ollama', 'mxbai-embed-large'),
  llm('OpenAI', 'gpt-4o-mini', { context_length: 128000 }),
  llm('OpenAI', 'gpt-4o', { context_length: 128000 }),
  llm('OpenAI', 'gpt-4.1', { context_length: 1047576 }),
  llm('OpenAI', 'gpt-4.1-mini', { context_length: 1047576 }),
  llm('OpenAI', 'gpt-5', { reasoning: true, context_length: 400000 }),
  llm('OpenAI', 'gpt-5-mini', { reasoning: true, context_length: 400000 }),
  llm('OpenAI', 'gpt-4.1-nano', { context_length: 1047576 }),
  llm('OpenAI', 'o4-mini', { reasoning: true, context_length: 200000 }),
  llm('OpenAI', 'gpt-4-turbo', { deprecated: true, context_length: 128000 }),
  llm('OpenAI', 'gpt-3.5-turbo', { deprecated: true, context_length: 16385 }),
  embeddings('OpenAI', 'text-embedding-3-small'),
  embeddings('OpenAI', 'text-embedding-3-large'),
  embeddings('OpenAI', 'text-embedding-ada-002'),
];

const DEFAULTS_PER_PROVIDER = 5;

/** Names of the models a provider offers by default (the first five of each type, Langflow's rule). */
export const DEFAULT_MODEL_NAMES: ReadonlySet<string> = (() => {
  const names = new Set<string>();
  const seen = new Map<string, number>();
  for (const model of MODELS) {
    if (model.deprecated || model.not_supported) continue;
    const key = `${model.provider}\u0000${model.model_type}`;
    const count = seen.get(key) ?? 0;
    if (count < DEFAULTS_PER_PROVIDER) names.add(`${model.provider}\u0000${model.name}`);
    seen.set(key, count + 1);
  }
  return names;
})();

export function isDefaultModel(provider: string, name: string): boolean {
  return DEFAULT_MODEL_NAMES.has(`${provider}\u0000${name}`);
}

export function providerEntry(provider: string): ProviderEntry | undefined {
  return PROVIDERS.find((p) => p.provider === provider);
}

/** Provider → the variable holding its credential (`/api/v1/models/provider-variable-mapping`). */
export function providerVariableMapping(): Record<string, string> {
  const mapping: Record<string, string> = {};
  for (const entry of PROVIDERS) {
    const primary = entry.variables.find((v) => v.required && v.is_secret) ?? entry.variables[0];
    if (primary) mapping[entry.provider] = primary.variable_key;
  }
  return mapping;
}

/** `language`/`llm` → `llm`, `embedding`/`embeddings` → `embeddings`; anything else is kept (and matches nothing). */
export function catalogueModelType(value: string): string {
  const key = value.trim().toLowerCase();
  if (key === 'language' || key === 'llm') return 'llm';
  if (key === 'embedding' || key === 'embeddings') return 'embeddings';
  return key;
}
