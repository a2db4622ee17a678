import type { ComponentContext } from '../../engine/component.js';
import { buildHandle, numberOrUndefined } from './providers/chat.js';
import type { ModelSettings } from './providers/index.js';
import { defineModelComponent } from './model-component.js';
import { trimEndChar } from '../../engine/trim.js';

function text(value: unknown): string {
  return typeof value === 'string' ? value.trim() : '';
}

function modelName(ctx: ComponentContext, fallback: string): string {
  return text(ctx.params.model_name) || fallback;
}

function settings(ctx: ComponentContext, maxTokensField = 'max_tokens'): ModelSettings {
  const p = ctx.params;
  const maxTokens = numberOrUndefined(p[maxTokensField]);
  const timeout = numberOrUndefined(p.timeout);
  return {
    temperature: numberOrUndefined(p.temperature),
    maxOutputTokens: maxTokens && maxTokens > 0 ? maxTokens : undefined,
    maxRetries: numberOrUndefined(p.max_retries),
    timeout: timeout && timeout > 0 ? timeout * 1000 : undefined,
    seed: numberOrUndefined(p.seed),
    topP: numberOrUndefined(p.top_p),
  };
}

const temperature = { name: 'temperature', displayName: 'Temperature', kind: 'float' as const, default: 0.1 };
const maxTokens = { name: 'max_tokens', displayName: 'Max Tokens', kind: 'int' as const, default: null, advanced: true };

export const openAIModel = defineModelComponent({
  type: 'OpenAIModel',
  category: 'openai',
  displayName: 'OpenAI',
  description: 'Generates text using OpenAI LLMs.',
  icon: 'OpenAI',
  inputs: [
    maxTokens,
    { name: 'model_kwargs', displayName: 'Model Kwargs', kind: 'dict', default: {}, advanced: true },
    { name: 'json_mode', displayName: 'JSON Mode', kind: 'bool', default: false, advanced: true },
    { name: 'model_name', displayName: 'Model Name', kind: 'text', default: 'gpt-4o-mini' },
    { name: 'openai_api_base', displayName: 'OpenAI API Base', kind: 'text', default: '', advanced: true },
    { name: 'api_key', displayName: 'OpenAI API Key', kind: 'secret', default: '', loadFromDb: true, password: true },
    temperature,
    { name: 'seed', displayName: 'Seed', kind: 'int', default: 1, advanced: true },
    { name: 'max_retries', displayName: 'Max Retries', kind: 'int', default: 5, advanced: true },
    { name: 'timeout', displayName: 'Timeout', kind: 'int', default: 700, advanced: true },
  ],
  model: (ctx) =>
    buildHandle(ctx, 'openai', modelName(ctx, 'gpt-4o-mini'), { apiKey: ctx.params.api_key, baseUrl: ctx.params.openai_api_base, keyField: 'OpenAI API Key', urlField: 'OpenAI API Base', settings: settings(ctx) }),
});

export const anthropicModel = defineModelComponent({
  type: 'AnthropicModel',
  category: 'anthropic',
  displayName: 'Anthropic',
  description: 'Generate text using Anthropic Chat&Completion LLMs with prefill support.',
  icon: 'Anthropic',
  inputs: [
    { ...maxTokens, default: 4096 },
    { name: 'model_name', displayName: 'Model Name', kind: 'text', default: 'claude-sonnet-4-5' },
    { name: 'api_key', displayName: 'Anthropic API Key', kind: 'secret', default: '', loadFromDb: true, password: true },
    { name: 'base_url', displayName: 'Anthropic API URL', kind: 'text', default: '', advanced: true },
    temperature,
  ],
  model: (ctx) =>
    buildHandle(ctx, 'anthropic', modelName(ctx, 'claude-sonnet-4-5'), { apiKey: ctx.params.api_key, baseUrl: ctx.params.base_url, keyField: 'Anthropic API Key', urlField: 'Anthropic API URL', settings: settings(ctx) }),
});

export const googleModel = defineModelComponent({
  type: 'GoogleGenerativeAIModel',
  category: 'google',
  displayName: 'Google Generative AI',
  description: 'Generate text using Google Generative AI.',
  icon: 'GoogleGenerativeAI',
  inputs: [
    { name: 'max_output_tokens', displayName: 'Max Output Tokens', kind: 'int', default: null, advanced: true },
    { name: 'model_name', displayName: 'Model', kind: 'text', default: 'gemini-2.0-flash' },
    { name: 'api_key', displayName: 'Google API Key', kind: 'secret', default: '', loadFromDb: true, password: true },
    { name: 'top_p', displayName: 'Top P', kind: 'float', default: null, advanced: true },
    temperature,
  ],
  model: (ctx) => buildHandle(ctx, 'google', modelName(ctx, 'gemini-2.0-flash'), { apiKey: ctx.params.api_key, keyField: 'Google API Key', settings: settings(ctx, 'max_output_tokens') }),
});

export const ollamaModel = defineModelComponent({
  type: 'OllamaModel',
  category: 'ollama',
  displayName: 'Ollama',
  description: 'Generate text using Ollama Local LLMs.',
  icon: 'Ollama',
  inputs: [
    { name: 'base_url', displayName: 'Base URL', kind: 'text', default: '' },
    { name: 'model_name', displayName: 'Model Name', kind: 'text', default: '' },
    { ...temperature, default: 0.1 },
  ],
  model: (ctx) => {
    const name = modelName(ctx, '');
    if (!name) throw new Error('No model selected: set the Ollama Model Name');
    return buildHandle(ctx, 'ollama', name, { baseUrl: ctx.params.base_url, urlField: 'Base URL', settings: settings(ctx) });
  },
});

export const groqModel = defineModelComponent({
  type: 'GroqModel',
  category: 'groq',
  displayName: 'Groq',
  description: 'Generate text using Groq.',
  icon: 'Groq',
  inputs: [
    { name: 'api_key', displayName: 'Groq API Key', kind: 'secret', default: '', loadFromDb: true, password: true },
    { name: 'base_url', displayName: 'Groq API Base', kind: 'text', default: '', advanced: true },
    maxTokens,
    temperature,
    { name: 'n', displayName: 'N', kind: 'int', default: null, advanced: true },
    { name: 'model_name', displayName: 'Model', kind: 'text', default: 'llama-3.1-8b-instant' },
  ],
  model: (ctx) => buildHandle(ctx, 'groq', modelName(ctx, 'llama-3.1-8b-instant'), { apiKey: ctx.params.api_key, baseUrl: groqBase(ctx.params.base_url), keyField: 'Groq API Key', urlField: 'Groq API Base', settings: settings(ctx) }),
});

/** Langflow saves Groq's host (`https://api.groq.com`); the API lives under `/openai/v1`. */
function groqBase(value: unknown): string {
  const url = trimEndChar(text(value), '/');
  if (!url) return '';
  return /\/v1$/.test(url) ? url : `${url}/openai/v1`;
}

export const mistralModel = defineModelComponent({
  type: 'MistralModel',
  category: 'mistral',
  displayName: 'MistralAI',
  description: 'Generates text using MistralAI LLMs.',
  icon: 'MistralAI',
  inputs: [
    maxTokens,
    { name: 'model_name', displayName: 'Model Name', kind: 'text', default: 'codestral-latest' },
    { name: 'mistral_api_base', displayName: 'Mistral API Base', kind: 'text', default: '', advanced: true },
    { name: 'api_key', displayName: 'Mistral API Key', kind: 'secret', default: '', loadFromDb: true, password: true },
    { name: 'max_retries', displayName: 'Max Retries', kind: 'int', default: 5, advanced: true },
    { name: 'timeout', displayName: 'Timeout', kind: 'int', default: 60, advanced: true },
    { ...temperature, default: 0.5 },
    { name: 'top_p', displayName: 'Top P', kind: 'float', default: 1, advanced: true },
  ],
  model: (ctx) =>
    buildHandle(ctx, 'mistral', modelName(ctx, 'codestral-latest'), { apiKey: ctx.params.api_key, baseUrl: ctx.params.mistral_api_base, keyField: 'Mistral API Key', urlField: 'Mistral API Base', settings: settings(ctx) }),
});

export const azureOpenAIModel = defineModelComponent({
  type: 'AzureOpenAIModel',
  category: 'azure',
  displayName: 'Azure OpenAI',
  description: 'Generate text using Azure OpenAI LLMs.',
  icon: 'Azure',
  inputs: [
    { name: 'azure_endpoint', displayName: 'Azure Endpoint', kind: 'text', default: '', required: true },
    { name: 'azure_deployment', displayName: 'Deployment Name', kind: 'text', default: '', required: true },
    { name: 'api_key', displayName: 'Azure Chat OpenAI API Key', kind: 'secret', default: '', loadFromDb: true, password: true },
    { name: 'api_version', displayName: 'API Version', kind: 'text', default: '2024-10-21', advanced: true },
    { ...temperature, default: 0.7 },
    maxTokens,
  ],
  model: (ctx) => {
    const endpoint = trimEndChar(text(ctx.params.azure_endpoint), '/');
    const deployment = text(ctx.params.azure_deployment);
    if (!deployment) throw new Error('Azure OpenAI needs a Deployment Name');
    return buildHandle(ctx, 'azure', deployment, {
      apiKey: ctx.params.api_key,
      baseUrl: endpoint ? `${endpoint}/openai` : '',
      keyField: 'Azure Chat OpenAI API Key',
      urlField: 'Azure Endpoint',
      apiVersion: text(ctx.params.api_version) || undefined,
      settings: settings(ctx),
    });
  },
});

/** Any server that speaks OpenAI chat completions (vLLM, LM Studio, llama.cpp...) at a base URL. */
export const openAICompatibleModel = defineModelComponent({
  type: 'OpenAICompatibleModel',
  aliases: ['LMStudioModel'],
  displayName: 'OpenAI-compatible',
  description: 'Generate text with any OpenAI-compatible chat completions server.',
  icon: 'OpenAI',
  inputs: [
    { name: 'base_url', displayName: 'Base URL', kind: 'text', default: '', required: true },
    { name: 'api_key', displayName: 'API Key', kind: 'secret', default: '', loadFromDb: true, password: true },
    { name: 'model_name', displayName: 'Model Name', kind: 'text', default: '' },
    maxTokens,
    temperature,
    { name: 'seed', displayName: 'Seed', kind: 'int', default: null, advanced: true },
  ],
  model: (ctx) => {
    const name = modelName(ctx, '');
    if (!name) throw new Error('No model selected: set the Model Name');
    return buildHandle(ctx, 'openai-compatible', name, { apiKey: ctx.params.api_key, baseUrl: ctx.params.base_url, urlField: 'Base URL', settings: settings(ctx) });
  },
});
