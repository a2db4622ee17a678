import type { LanguageModel } from 'ai';
import { estimateTokens, type SpanParent, type TokenUsage, type TraceSpan } from '../../../engine/tracing.js';

/**
 * A chat model whose every call (each step of an agent's loop, each retry) is an `llm` span under
 * `parent`, named as OpenTelemetry's GenAI conventions name it (`chat <model>`), with the model's name
 * and the tokens the provider reported: estimated from the text, and marked so, when it reports none.
 * A proxy over the provider's model: nothing else about the model changes.
 */
export function tracedModel(model: LanguageModel, parent: SpanParent, provider: string, modelName: string): LanguageModel {
  if (typeof model === 'string') return model;
  const start = (options: CallOptions): TraceSpan =>
    parent.startSpan(`chat ${modelName}`, 'llm', { inputs: { messages: promptMessages(options.prompt) }, modelName, provider });
  return new Proxy(model, {
    get(target, property) {
      if (property === 'doGenerate') {
        return async (options: CallOptions) => {
          const span = start(options);
          try {
            const result = await (target.doGenerate as unknown as (o: CallOptions) => Promise<GenerateResult>).call(target, options);
            const text = contentText(result.content);
            span.end({ outputs: { text, tool_calls: toolCalls(result.content), finish_reason: finishReason(result.finishReason) }, tokenUsage: tokenUsage(result.usage, options, text) });
            return result;
          } catch (error) {
            span.end({ error: errorText(error) });
            throw error;
          }
        };
      }
      if (property === 'doStream') {
        return async (options: CallOptions) => {
          const span = start(options);
          let result: StreamResult;
          try {
            result = await (target.doStream as unknown as (o: CallOptions) => Promise<StreamResult>).call(target, options);
          } catch (error) {
            span.end({ error: errorText(error) });
            throw error;
          }
          return { ...result, stream: result.stream.pipeThrough(observer(span, options)) };
        };
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

interface CallOptions {
  prompt: { role: string; content: unknown }[];
}

interface ContentPart {
  type: string;
  text?: string;
  delta?: string;
  toolName?: string;
  input?: unknown;
  usage?: unknown;
  finishReason?: unknown;
  error?: unknown;
}

interface GenerateResult {
  content: ContentPart[];
  finishReason: unknown;
  usage: unknown;
}

interface StreamResult {
  stream: ReadableStream<ContentPart>;
}

/** Watches a streamed reply go by: the span ends with its text and usage when the stream does. */
function observer(span: TraceSpan, options: CallOptions): TransformStream<ContentPart, ContentPart> {
  let text = '';
  const calls: { name: string; arguments: unknown }[] = [];
  let usage: unknown;
  let finish: unknown;
  let failure: string | null = null;
  return new TransformStream({
    transform(part, controller) {
      if (part.type === 'text-delta' && typeof part.delta === 'string') text += part.delta;
      else if (part.type === 'tool-call') calls.push({ name: String(part.toolName), arguments: parseArguments(part.input) });
      else if (part.type === 'finish') {
        usage = part.usage;
        finish = part.finishReason;
      } else if (part.type === 'error') failure = errorText(part.error);
      controller.enqueue(part);
    },
    flush() {
      if (failure) span.end({ error: failure });
      else span.end({ outputs: { text, tool_calls: calls, finish_reason: finishReason(finish) }, tokenUsage: tokenUsage(usage, options, text) });
    },
  });
}

/** The provider's usage (AI SDK v3 `{inputTokens: {total}}` or v2 `{inputTokens: n}`), else an estimate from the text. */
function tokenUsage(usage: unknown, options: CallOptions, completion: string): TokenUsage {
  const u = (usage ?? {}) as { inputTokens?: unknown; outputTokens?: unknown };
  const prompt = count(u.inputTokens);
  const output = count(u.outputTokens);
  if (prompt === undefined && output === undefined) {
    const promptTokens = estimateTokens(promptMessages(options.prompt).map((m) => m.content).join('\n'));
    const completionTokens = estimateTokens(completion);
    return { promptTokens, completionTokens, totalTokens: promptTokens + completionTokens, estimated: true };
  }
  return { promptTokens: prompt ?? 0, completionTokens: output ?? 0, totalTokens: (prompt ?? 0) + (output ?? 0) };
}

function count(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (value && typeof value === 'object') {
    const total = (value as { total?: unknown }).total;
    if (typeof total === 'number' && Number.isFinite(total)) return total;
  }
  return undefined;
}

function finishReason(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object' && typeof (value as { unified?: unknown }).unified === 'string') return (value as { unified: string }).unified;
  return null;
}

/** The prompt as `{role, content}` with text content (files and tool parts summarised). */
function promptMessages(prompt: CallOptions['prompt']): { role: string; content: string }[] {
  return (prompt ?? []).map((message) => ({ role: message.role, content: typeof message.content === 'string' ? message.content : partsText(message.content) }));
}

function partsText(content: unknown): string {
  if (!Array.isArray(content)) return '';
  return content
    .map((part: ContentPart & { output?: unknown }) => {
      if (part.type === 'text' || part.type === 'reasoning') return part.text ?? '';
      if (part.type === 'tool-call') return `[tool call ${part.toolName}: ${JSON.stringify(part.input ?? null)}]`;
      if (part.type === 'tool-result') return `[tool result ${part.toolName}: ${JSON.stringify(part.output ?? null)}]`;
      return `[${part.type}]`;
    })
    .join('');
}

function contentText(content: ContentPart[]): string {
  return (content ?? []).filter((part) => part.type === 'text').map((part) => part.text ?? '').join('');
}

function toolCalls(content: ContentPart[]): { name: string; arguments: unknown }[] {
  return (content ?? []).filter((part) => part.type === 'tool-call').map((part) => ({ name: String(part.toolName), arguments: parseArguments(part.input) }));
}

function parseArguments(input: unknown): unknown {
  if (typeof input !== 'string') return input ?? null;
  try {
    return JSON.parse(input) as unknown;
  } catch {
    return input;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
