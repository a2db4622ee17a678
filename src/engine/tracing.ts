import { randomUUID } from 'node:crypto';
import type { ComponentDefinition } from './component.js';

/**
 * Traces of runs (Langflow's native tracer): one span per component build, with model calls, tool
 * calls and Run Flow sub-flows as child spans. The engine only collects spans in memory; the run host
 * stores them (and exports them) once the run is over, so tracing costs a few objects per build.
 */

/** Langflow's SpanType. */
export type SpanType = 'chain' | 'llm' | 'tool' | 'retriever' | 'embedding' | 'parser' | 'agent';
/** Langflow's SpanStatus (OpenTelemetry's status codes). */
export type SpanStatus = 'unset' | 'ok' | 'error';

/** Tokens of one model call: the provider's reported usage, or an estimate marked `estimated`. */
export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
  totalTokens: number;
  /** True when the provider reported no usage and the counts were estimated from the text (≈4 characters a token). */
  estimated?: boolean;
}

export interface SpanData {
  id: string;
  parentId: string | null;
  name: string;
  type: SpanType;
  status: SpanStatus;
  /** Epoch milliseconds. */
  startTime: number;
  endTime: number | null;
  latencyMs: number;
  inputs: Record<string, unknown> | null;
  outputs: Record<string, unknown> | null;
  error: string | null;
  /** The component a component span is the build of (the host fills its inputs and outputs from the build). */
  vertexId: string | null;
  modelName: string | null;
  /** The model's provider (OpenTelemetry's `gen_ai.provider.name`), on model spans. */
  provider: string | null;
  tokenUsage: TokenUsage | null;
  /** A component span's inputs, worked out only when the trace is stored (never on the run's path). */
  resolveInputs?: () => Record<string, unknown>;
}

export interface SpanStart {
  inputs?: Record<string, unknown> | null;
  vertexId?: string;
  modelName?: string;
  provider?: string;
}

export interface SpanEnd {
  outputs?: Record<string, unknown> | null;
  resolveInputs?: () => Record<string, unknown>;
  error?: string | null;
  modelName?: string;
  tokenUsage?: TokenUsage | null;
}

/** Where new spans go: a trace (top-level spans) or a span (its children). */
export interface SpanParent {
  startSpan(name: string, type: SpanType, start?: SpanStart): TraceSpan;
}

export interface TraceSpan extends SpanParent {
  readonly data: SpanData;
  /** Ends the span: `error` makes it an error span. Only the first end counts. */
  end(outcome?: SpanEnd): void;
}

class Span implements TraceSpan {
  private readonly started = performance.now();

  constructor(
    private readonly trace: Trace,
    readonly data: SpanData,
  ) {}

  startSpan(name: string, type: SpanType, start?: SpanStart): TraceSpan {
    return this.trace.add(this.data.id, name, type, start);
  }

  end(outcome: SpanEnd = {}): void {
    const data = this.data;
    if (data.endTime !== null) return;
    data.latencyMs = Math.round(performance.now() - this.started);
    data.endTime = data.startTime + data.latencyMs;
    if (outcome.outputs !== undefined) data.outputs = outcome.outputs;
    if (outcome.resolveInputs) data.resolveInputs = outcome.resolveInputs;
    if (outcome.modelName) data.modelName = outcome.modelName;
    if (outcome.tokenUsage) data.tokenUsage = outcome.tokenUsage;
    if (outcome.error) {
      data.status = 'error';
      data.error = outcome.error;
    } else {
      data.status = 'ok';
    }
  }
}

/** Spans one trace keeps (a loop of thousands of passes, an agent's long tool loop); later ones are only counted. */
export const MAX_SPANS_PER_TRACE = 5000;

/** A span past the limit: its children go nowhere either. */
const DROPPED: TraceSpan = {
  data: { id: '', parentId: null, name: '', type: 'chain', status: 'unset', startTime: 0, endTime: null, latencyMs: 0, inputs: null, outputs: null, error: null, vertexId: null, modelName: null, provider: null, tokenUsage: null },
  startSpan: () => DROPPED,
  end: () => {},
};

/** One run's spans, in start order. */
export class Trace implements SpanParent {
  readonly id = randomUUID();
  readonly startTime = Date.now();
  readonly spans: SpanData[] = [];
  /** Spans not kept, past MAX_SPANS_PER_TRACE. */
  dropped = 0;
  private readonly started = performance.now();

  startSpan(name: string, type: SpanType, start?: SpanStart): TraceSpan {
    return this.add(null, name, type, start);
  }

  /** Milliseconds since the trace started. */
  elapsedMs(): number {
    return Math.round(performance.now() - this.started);
  }

  add(parentId: string | null, name: string, type: SpanType, start: SpanStart = {}): TraceSpan {
    if (this.spans.length >= MAX_SPANS_PER_TRACE) {
      this.dropped++;
      return DROPPED;
    }
    const data: SpanData = {
      id: randomUUID(),
      parentId,
      name,
      type,
      status: 'unset',
      startTime: this.startTime + Math.round(performance.now() - this.started),
      endTime: null,
      latencyMs: 0,
      inputs: start.inputs ?? null,
      outputs: null,
      error: null,
      vertexId: start.vertexId ?? null,
      modelName: start.modelName ?? null,
      provider: start.provider ?? null,
      tokenUsage: null,
    };
    this.spans.push(data);
    return new Span(this, data);
  }
}

const spanTypes = new WeakMap<object, SpanType>();

/** The span type of a component's build, as Langflow's tracer maps component types (worked out once per component). */
export function spanTypeOf(definition: Pick<ComponentDefinition, 'type' | 'category' | 'outputs'>): SpanType {
  let type = spanTypes.get(definition);
  if (type === undefined) spanTypes.set(definition, (type = typeOf(definition)));
  return type;
}

function typeOf(definition: Pick<ComponentDefinition, 'type' | 'category' | 'outputs'>): SpanType {
  if (definition.type === 'Agent') return 'agent';
  const produces = new Set(definition.outputs.flatMap((o) => o.types));
  if (produces.has('LanguageModel')) return 'llm';
  if (produces.has('Embeddings')) return 'embedding';
  if (definition.type === 'ParserComponent' || definition.type === 'ParseData') return 'parser';
  if (definition.category === 'vector_stores' || produces.has('Retriever')) return 'retriever';
  return 'chain';
}

/** Tokens of all model calls, counted once: a span's own usage, never its children's again. */
export function totalTokens(spans: readonly SpanData[]): number {
  let total = 0;
  for (const span of spans) total += span.tokenUsage?.totalTokens ?? 0;
  return total;
}

/** A rough token count for text a provider reported no usage for: ≈4 characters a token. */
export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / 4);
}
