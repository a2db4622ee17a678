import type { ModelMessage, TextStreamPart, ToolSet } from 'ai';
import { loadAi } from './sdk.js';
import { guardedFetch, outboundPolicyFrom } from '../../shared/guarded-fetch.js';
import type { ComponentContext } from '../../../engine/component.js';
import { Message } from '../../../engine/schema/message.js';
import {
  asProviderError,
  createChatModel,
  LanguageModelHandle,
  providerId,
  type ModelSettings,
  type ProviderId,
} from './index.js';
import { resolveCredentials, type CredentialFields } from './credentials.js';

export interface ModelSelection {
  provider: string;
  name: string;
}

/** The first entry of Langflow's unified `model` field (`[{name, provider, metadata}]`), if any. */
export function selectedModel(value: unknown): ModelSelection | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  if (first && typeof first === 'object' && !(first instanceof LanguageModelHandle)) {
    const entry = first as { name?: unknown; provider?: unknown };
    if (typeof entry.name === 'string' && entry.name && typeof entry.provider === 'string' && entry.provider) {
      return { name: entry.name, provider: entry.provider };
    }
  }
  return undefined;
}

export interface ModelFields {
  /** The unified `model` field value: a list, or a connected LanguageModel. */
  model?: unknown;
  /** Legacy provider name (`agent_llm`) and model name, when there is no unified field. */
  provider?: unknown;
  modelName?: unknown;
  apiKey?: unknown;
  baseUrl?: unknown;
  /** Display names of the key and base-URL fields, for error messages. */
  keyField?: string;
  urlField?: string;
  settings?: ModelSettings;
}

/** Builds the chat model a node describes (or takes the connected one), resolving its credentials. */
export async function modelFromFields(ctx: ComponentContext, fields: ModelFields): Promise<LanguageModelHandle> {
  if (fields.model instanceof LanguageModelHandle) return fields.model;
  let selection = selectedModel(fields.model);
  if (!selection && typeof fields.provider === 'string' && fields.provider && typeof fields.modelName === 'string' && fields.modelName) {
    selection = { provider: fields.provider, name: fields.modelName };
  }
  if (!selection) {
    const fallback = ctx.services.defaultModel;
    selection = fallback ? await fallback() : undefined;
  }
  if (!selection) throw new Error('No model selected');
  return buildHandle(ctx, providerId(selection.provider), selection.name, fields);
}

export async function buildHandle(
  ctx: ComponentContext,
  provider: ProviderId,
  modelName: string,
  fields: CredentialFields & { settings?: ModelSettings; headers?: Record<string, string>; apiVersion?: string },
): Promise<LanguageModelHandle> {
  const credentials = await resolveCredentials(ctx, provider, fields);
  const model = await createChatModel({
    provider,
    model: modelName,
    apiKey: credentials.apiKey,
    baseUrl: credentials.baseUrl,
    headers: fields.headers,
    apiVersion: fields.apiVersion,
    fetch: guardedFetch(outboundPolicyFrom(ctx.services)),
  });
  return new LanguageModelHandle(provider, modelName, model, fields.settings ?? {});
}

export function numberOrUndefined(value: unknown): number | undefined {
  if (value === null || value === undefined || value === '') return undefined;
  const n = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

export interface ChatPrompt {
  system?: string;
  messages: ModelMessage[];
}

/** The chat prompt from an input Message (text, with image files when it has them) and a system text. */
export function chatPrompt(input: unknown, system: unknown, history: ModelMessage[] = []): ChatPrompt {
  const text = input instanceof Message ? input.text : typeof input === 'string' ? input : input == null ? '' : String(input);
  const systemText = system instanceof Message ? system.text : typeof system === 'string' ? system : '';
  const messages: ModelMessage[] = [...history];
  if (text) messages.push({ role: 'user', content: text });
  if (messages.length === 0 && !systemText) throw new Error('The message you want to send to the model is empty.');
  return { system: systemText || undefined, messages };
}

/**
 * Calls the model. Streaming (the run asked for it and the node's `stream` is on) returns a Message
 * whose `stream` yields the tokens; the first token is awaited here so connection and provider
 * errors fail this component, not the one that consumes the stream.
 */
export async function reply(ctx: ComponentContext, handle: LanguageModelHandle, prompt: ChatPrompt, stream: boolean): Promise<Message> {
  const settings = handle.callSettings(ctx.signal, ctx.span);
  const { generateText, streamText } = await loadAi();
  if (!stream) {
    try {
      const result = await generateText({ ...settings, system: prompt.system, messages: prompt.messages });
      return new Message({ text: result.text });
    } catch (error) {
      throw asProviderError(error, ctx.signal);
    }
  }
  const result = streamText({ ...settings, system: prompt.system, messages: prompt.messages, onError: () => {} });
  const tokens = await startTextStream(result.fullStream, ctx.signal);
  const message = new Message({ text: '' });
  message.stream = tokens;
  return message;
}

/** Text deltas of a full stream; error parts become exceptions. The first part is read before returning. */
export async function startTextStream<T extends ToolSet>(fullStream: AsyncIterable<TextStreamPart<T>>, signal: AbortSignal): Promise<AsyncIterable<string>> {
  async function* texts(): AsyncGenerator<string> {
    for await (const part of fullStream) {
      if (part.type === 'text-delta') {
        if (part.text) yield part.text;
      } else if (part.type === 'error') {
        throw asProviderError(part.error, signal);
      } else if (part.type === 'abort') {
        signal.throwIfAborted();
        throw new Error('The model request was aborted');
      }
    }
  }
  const iterator = texts();
  const first = await iterator.next();
  return {
    async *[Symbol.asyncIterator]() {
      if (first.done) return;
      yield first.value;
      yield* { [Symbol.asyncIterator]: () => iterator };
    },
  };
}

/** Source info Langflow puts on a model's reply. */
export function modelMessageProperties(ctx: ComponentContext, handle: LanguageModelHandle, icon: string): Record<string, unknown> {
  return {
    source: { id: ctx.vertexId, display_name: ctx.displayName, source: handle.modelName },
    icon,
  };
}
