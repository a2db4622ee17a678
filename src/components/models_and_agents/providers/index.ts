import type { EmbeddingModel, LanguageModel } from 'ai';
import { aiIfLoaded, loadAi } from './sdk.js';
import { trimEndChar } from '../../../engine/trim.js';
import type { SpanParent } from '../../../engine/tracing.js';
import { tracedModel } from './traced-model.js';

/** The host's default model, used when a model field is left empty (`ctx.services.defaultModel`). */
export type DefaultModelProvider = () => Promise<{ provider: string; name: string } | undefined>;

declare module '../../../engine/component.js' {
  interface EngineServices {
    defaultModel?: DefaultModelProvider;
    /**
     * The providers' own variables (OPENAI_API_KEY, OPENAI_BASE_URL...) from the server's environment,
     * captured by its settings at start-up: the last fallback, as Langflow's providers' SDKs read them.
     * Their keys are the server's: sent only to the server's own endpoint (see credentials.ts).
     */
    providerEnvironment?: Readonly<Record<string, string>>;
  }
}

export type ProviderId = 'openai' | 'anthropic' | 'google' | 'ollama' | 'groq' | 'mistral' | 'azure' | 'openai-compatible';

interface ProviderInfo {
  id: ProviderId;
  /** Display name used in error messages. */
  label: string;
  keyVariable: string | null;
  baseUrlVariable: string | null;
  needsKey: boolean;
  /** The provider's own API, where its SDK goes without a base URL; none where there is no single one (Azure, OpenAI-compatible). */
  officialUrl?: string;
  /** The API root under the host Langflow saves (Anthropic's `/v1`, Ollama's `/api`, Azure's `/openai`). */
  apiRoot?: string;
}

const PROVIDERS: Record<ProviderId, ProviderInfo> = {
  openai: { id: 'openai', label: 'OpenAI', keyVariable: 'OPENAI_API_KEY', baseUrlVariable: 'OPENAI_BASE_URL', needsKey: true, officialUrl: 'https://api.openai.com/v1' },
  anthropic: { id: 'anthropic', label: 'Anthropic', keyVariable: 'ANTHROPIC_API_KEY', baseUrlVariable: 'ANTHROPIC_BASE_URL', needsKey: true, officialUrl: 'https://api.anthropic.com/v1', apiRoot: '/v1' },
  google: { id: 'google', label: 'Google Generative AI', keyVariable: 'GOOGLE_API_KEY', baseUrlVariable: 'GOOGLE_BASE_URL', needsKey: true, officialUrl: 'https://generativelanguage.googleapis.com/v1beta' },
  ollama: { id: 'ollama', label: 'Ollama', keyVariable: null, baseUrlVariable: 'OLLAMA_BASE_URL', needsKey: false, apiRoot: '/api' },
  groq: { id: 'groq', label: 'Groq', keyVariable: 'GROQ_API_KEY', baseUrlVariable: 'GROQ_BASE_URL', needsKey: true, officialUrl: 'https://api.groq.com/openai/v1' },
  mistral: { id: 'mistral', label: 'Mistral', keyVariable: 'MISTRAL_API_KEY', baseUrlVariable: 'MISTRAL_BASE_URL', needsKey: true, officialUrl: 'https://api.mistral.ai/v1' },
  azure: { id: 'azure', label: 'Azure OpenAI', keyVariable: 'AZURE_OPENAI_API_KEY', baseUrlVariable: 'AZURE_OPENAI_ENDPOINT', needsKey: true, apiRoot: '/openai' },
  'openai-compatible': { id: 'openai-compatible', label: 'OpenAI-compatible', keyVariable: 'OPENAI_API_KEY', baseUrlVariable: 'OPENAI_BASE_URL', needsKey: false },
};

/** Every variable a provider's credentials may come from (the settings capture these from the environment). */
export function providerVariableNames(): string[] {
  return Object.values(PROVIDERS).flatMap((info) => [info.keyVariable, info.baseUrlVariable].filter((name): name is string => name !== null));
}

/** Maps Langflow's provider spellings (unified `model` list, legacy `agent_llm`) to ours. */
export function providerId(name: string): ProviderId {
  const key = name.trim().toLowerCase().replace(/[\s_-]+/g, ' ');
  if (key === 'openai') return 'openai';
  if (key === 'anthropic') return 'anthropic';
  if (key.startsWith('google')) return 'google';
  if (key === 'ollama') return 'ollama';
  if (key === 'groq') return 'groq';
  if (key === 'mistral' || key === 'mistralai' || key === 'mistral ai') return 'mistral';
  if (key === 'azure openai' || key === 'azure') return 'azure';
  if (key === 'openai compatible' || key === 'custom' || key === 'lm studio' || key === 'vllm') return 'openai-compatible';
  throw new Error(`Model provider "${name}" is not supported by Weft`);
}

export function providerInfo(id: ProviderId): ProviderInfo {
  return PROVIDERS[id];
}

export interface ChatModelOptions {
  provider: ProviderId;
  model: string;
  apiKey?: string | null;
  baseUrl?: string | null;
  headers?: Record<string, string>;
  /** Azure only. */
  apiVersion?: string | null;
  /** How the provider reaches its URL: the SSRF-guarded fetch of the run's host (see guarded-fetch.ts). */
  fetch?: typeof fetch;
}

export async function createChatModel(options: ChatModelOptions): Promise<LanguageModel> {
  const apiKey = options.apiKey || undefined;
  const baseURL = providerBaseUrl(options.provider, options.baseUrl);
  const headers = options.headers;
  const fetch = options.fetch;
  switch (options.provider) {
    case 'openai':
      // Chat completions: what OpenAI, and every OpenAI-style server behind a custom base URL, speaks.
      return (await import('@ai-sdk/openai')).createOpenAI({ apiKey, baseURL, headers, fetch }).chat(options.model);
    case 'openai-compatible':
      if (!baseURL) throw new Error('an OpenAI-compatible model needs a base URL');
      return (await import('@ai-sdk/openai-compatible')).createOpenAICompatible({ name: 'openai-compatible', apiKey, baseURL, headers, fetch, includeUsage: true }).chatModel(options.model);
    case 'anthropic':
      return (await import('@ai-sdk/anthropic')).createAnthropic({ apiKey, baseURL, headers, fetch })(options.model);
    case 'google':
      return (await import('@ai-sdk/google')).createGoogleGenerativeAI({ apiKey, baseURL, headers, fetch })(options.model);
    case 'groq':
      return (await import('@ai-sdk/groq')).createGroq({ apiKey, baseURL, headers, fetch })(options.model);
    case 'mistral':
      return (await import('@ai-sdk/mistral')).createMistral({ apiKey, baseURL, headers, fetch })(options.model);
    case 'azure':
      return (await import('@ai-sdk/azure')).createAzure({ apiKey, baseURL, headers, fetch, apiVersion: options.apiVersion || undefined, useDeploymentBasedUrls: true }).chat(options.model);
    case 'ollama':
      return (await import('ollama-ai-provider-v2')).createOllama({ baseURL, headers, fetch })(options.model);
  }
}

export async function createEmbeddingModel(options: ChatModelOptions): Promise<EmbeddingModel> {
  const apiKey = options.apiKey || undefined;
  const baseURL = providerBaseUrl(options.provider, options.baseUrl);
  const headers = options.headers;
  const fetch = options.fetch;
  switch (options.provider) {
    case 'openai':
      return (await import('@ai-sdk/openai')).createOpenAI({ apiKey, baseURL, headers, fetch }).embedding(options.model);
    case 'openai-compatible':
      if (!baseURL) throw new Error('an OpenAI-compatible model needs a base URL');
      return (await import('@ai-sdk/openai-compatible')).createOpenAICompatible({ name: 'openai-compatible', apiKey, baseURL, headers, fetch }).embeddingModel(options.model);
    case 'google':
      return (await import('@ai-sdk/google')).createGoogleGenerativeAI({ apiKey, baseURL, headers, fetch }).embedding(options.model);
    case 'mistral':
      return (await import('@ai-sdk/mistral')).createMistral({ apiKey, baseURL, headers, fetch }).embedding(options.model);
    case 'azure':
      return (await import('@ai-sdk/azure')).createAzure({ apiKey, baseURL, headers, fetch, apiVersion: options.apiVersion || undefined, useDeploymentBasedUrls: true }).embedding(options.model);
    case 'ollama':
      return (await import('ollama-ai-provider-v2')).createOllama({ baseURL, headers, fetch }).embedding(options.model);
    default:
      throw new Error(`${providerInfo(options.provider).label} has no embedding models in Weft`);
  }
}

/**
 * The base URL a provider's SDK is given: trailing slashes trimmed, and the API root added where Langflow
 * saves the host (Anthropic's `https://api.anthropic.com` and ANTHROPIC_BASE_URL are served under `/v1`,
 * Ollama's `http://localhost:11434` under `/api`, an Azure endpoint under `/openai`); a URL that already
 * ends with its root is kept. Undefined for no URL.
 */
export function providerBaseUrl(provider: ProviderId, url: string | null | undefined): string | undefined {
  const trimmed = url == null ? url : trimEndChar(url.trim(), '/');
  if (!trimmed) return undefined;
  const root = PROVIDERS[provider].apiRoot;
  return root && !trimmed.endsWith(root) ? `${trimmed}${root}` : trimmed;
}

export interface ModelSettings {
  temperature?: number;
  maxOutputTokens?: number;
  maxRetries?: number;
  /** Milliseconds. */
  timeout?: number;
  seed?: number;
  topP?: number;
}

/**
 * A chat model as it travels on a `LanguageModel` edge: the SDK model plus the node's call settings.
 * Components that receive it call `callSettings(signal)` and spread the result into an SDK call.
 */
export class LanguageModelHandle {
  readonly kind = 'LanguageModel';

  constructor(
    readonly provider: ProviderId,
    readonly modelName: string,
    readonly model: LanguageModel,
    readonly settings: ModelSettings = {},
  ) {}

  /** `span`: the calling build's span when the run is traced; each model call is then a child span of it. */
  callSettings(signal: AbortSignal, span?: SpanParent): ModelSettings & { model: LanguageModel; abortSignal: AbortSignal } {
    const settings: ModelSettings = {};
    for (const [key, value] of Object.entries(this.settings) as [keyof ModelSettings, number | undefined][]) {
      if (value !== undefined && value !== null && Number.isFinite(value)) settings[key] = value;
    }
    const model = span ? tracedModel(this.model, span, providerInfo(this.provider).label, this.modelName) : this.model;
    return { ...settings, model, abortSignal: signal };
  }

  toJSON(): Record<string, unknown> {
    return { provider: providerInfo(this.provider).label, model_name: this.modelName, ...this.settings };
  }
}

/** An embeddings model as it travels on an `Embeddings` edge. */
export class EmbeddingsHandle {
  readonly kind = 'Embeddings';

  constructor(
    readonly provider: ProviderId,
    readonly modelName: string,
    readonly model: EmbeddingModel,
    private readonly settings: { maxRetries?: number; dimensions?: number } = {},
  ) {}

  async embed(text: string, signal?: AbortSignal): Promise<number[]> {
    const { embed } = await loadAi();
    const result = await embed({ model: this.model, value: text, abortSignal: signal, maxRetries: this.settings.maxRetries, providerOptions: this.providerOptions() });
    return result.embedding;
  }

  async embedMany(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const { embedMany } = await loadAi();
    const result = await embedMany({ model: this.model, values: texts, abortSignal: signal, maxRetries: this.settings.maxRetries, providerOptions: this.providerOptions() });
    return result.embeddings;
  }

  private providerOptions(): Record<string, Record<string, number>> | undefined {
    if (!this.settings.dimensions) return undefined;
    const key = this.provider === 'openai-compatible' ? 'openai-compatible' : this.provider;
    return { [key]: { dimensions: this.settings.dimensions } };
  }

  toJSON(): Record<string, unknown> {
    return { provider: providerInfo(this.provider).label, model: this.modelName };
  }
}

/** A provider failure as its message, with the HTTP status when there is one. */
export function providerErrorMessage(error: unknown): string {
  const ai = aiIfLoaded();
  if (!ai) return error instanceof Error ? error.message : String(error);
  const { APICallError, RetryError } = ai;
  const last = RetryError.isInstance(error) ? error.lastError : error;
  if (APICallError.isInstance(last)) {
    const status = last.statusCode ? ` (${last.statusCode})` : '';
    const prefix = RetryError.isInstance(error) ? `${error.reason === 'maxRetriesExceeded' ? 'after retries, ' : ''}` : '';
    return `${prefix}provider error${status}: ${messageInBody(last.responseBody) ?? last.message}`;
  }
  if (last instanceof Error) return last.message;
  return String(last);
}

/**
 * The provider's own words when the SDK could not parse its error body: Ollama answers
 * `{"error": "model 'x' not found"}`, where its SDK provider expects `{"error": {"message": …}}` and
 * falls back to the bare HTTP status text.
 */
function messageInBody(body: string | undefined): string | undefined {
  if (!body) return undefined;
  try {
    const parsed = JSON.parse(body) as { error?: unknown; message?: unknown };
    if (typeof parsed.error === 'string' && parsed.error) return parsed.error;
    if (parsed.error && typeof parsed.error === 'object' && typeof (parsed.error as { message?: unknown }).message === 'string') return (parsed.error as { message: string }).message;
    if (typeof parsed.message === 'string' && parsed.message) return parsed.message;
  } catch {
    // Not JSON: the SDK's message stands.
  }
  return undefined;
}

/** Rethrows provider failures with a readable message; aborts pass through unchanged. */
export function asProviderError(error: unknown, signal: AbortSignal): Error {
  if (signal.aborted) return error instanceof Error ? error : new Error(String(error));
  return new Error(providerErrorMessage(error));
}
