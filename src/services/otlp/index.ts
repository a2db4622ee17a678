import type { Attributes, Context, Span as OtelSpan, Tracer } from '@opentelemetry/api';
import type { SpanData } from '../../engine/tracing.js';
import type { NewTrace } from '../database/index.js';
import type { OtlpSettings } from '../settings.js';

type Api = typeof import('@opentelemetry/api');
type Provider = InstanceType<(typeof import('@opentelemetry/sdk-trace-base'))['BasicTracerProvider']>;

/** Ids the exporter hands the SDK one at a time: the run's own ids, so a trace reads the same in Weft and in the collector. */
class RunIds {
  traceId = '';
  spanId = '';
  generateTraceId(): string {
    return this.traceId;
  }
  generateSpanId(): string {
    return this.spanId;
  }
}

/** A Weft uuid as an OpenTelemetry id: 32 hex digits for a trace, the first 16 for a span. */
const hex = (uuid: string, length: number) => uuid.replace(/-/g, '').slice(0, length).padEnd(length, '0');

/**
 * Exports finished runs' traces over OTLP/HTTP (JSON) when OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set, batched by the SDK off the run's path: one root span per run
 * (the flow) with the stored spans under it, named and attributed per OpenTelemetry's GenAI semantic
 * conventions (`chat <model>`, `execute_tool <tool>`, `invoke_agent <agent>`; `gen_ai.*` model, provider
 * and token attributes). Span inputs and outputs (prompts, replies, tool arguments) are not exported.
 */
export class OtlpTraceExporter {
  private constructor(
    private readonly api: Api,
    private readonly provider: Provider,
    private readonly tracer: Tracer,
    private readonly ids: RunIds,
  ) {}

  static async create(settings: OtlpSettings): Promise<OtlpTraceExporter | null> {
    if (!settings.tracesEndpoint) return null;
    const [api, { BasicTracerProvider, BatchSpanProcessor }, { resourceFromAttributes }, { OTLPTraceExporter }] = await Promise.all([
      import('@opentelemetry/api'),
      import('@opentelemetry/sdk-trace-base'),
      import('@opentelemetry/resources'),
      import('@opentelemetry/exporter-trace-otlp-http'),
    ]);
    const ids = new RunIds();
    const exporter = new OTLPTraceExporter({ url: settings.tracesEndpoint, headers: { ...settings.headers } });
    const provider = new BasicTracerProvider({
      resource: resourceFromAttributes({ 'service.name': settings.serviceName }),
      idGenerator: ids,
      spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000, maxQueueSize: 8192, maxExportBatchSize: 512 })],
    });
    return new OtlpTraceExporter(api, provider, provider.getTracer('weft'), ids);
  }

  /** A RunHost trace sink: the run's spans go to the SDK's batch (exported in the background). */
  export(trace: NewTrace): void {
    const { api, tracer, ids } = this;
    ids.traceId = hex(trace.id, 32);
    ids.spanId = hex(trace.id.split('').reverse().join(''), 16);
    const root = tracer.startSpan(
      `invoke_workflow ${trace.name.replace(/ - [0-9a-f-]{36}$/i, '')}`,
      {
        kind: api.SpanKind.INTERNAL,
        startTime: trace.startTime,
        root: true,
        attributes: { 'gen_ai.operation.name': 'invoke_workflow', 'weft.flow.id': trace.flowId, 'weft.trace.id': trace.id, 'gen_ai.conversation.id': trace.sessionId ?? trace.id, 'gen_ai.usage.total_tokens': trace.totalTokens },
      },
      api.ROOT_CONTEXT,
    );
    const contexts = new Map<string | null, Context>([[null, api.trace.setSpan(api.ROOT_CONTEXT, root)]]);
    // Parents start before their children: the stored order is start order.
    for (const span of trace.spans) {
      const parent = contexts.get(span.parentId) ?? contexts.get(null)!;
      ids.spanId = hex(span.id, 16);
      const started = tracer.startSpan(spanName(span), { kind: span.type === 'llm' && span.vertexId === null ? api.SpanKind.CLIENT : api.SpanKind.INTERNAL, startTime: span.startTime, attributes: spanAttributes(span) }, parent);
      finish(api, started, span.status, span.error, span.endTime ?? trace.endTime);
      contexts.set(span.id, api.trace.setSpan(parent, started));
    }
    finish(api, root, trace.status, trace.status === 'error' ? 'The run failed' : null, trace.endTime);
  }

  /** Sends what is batched (tests, shutdown). */
  async flush(): Promise<void> {
    await this.provider.forceFlush();
  }

  async close(): Promise<void> {
    await this.provider.shutdown();
  }
}

function finish(api: Api, span: OtelSpan, status: string, error: string | null, endTime: number): void {
  if (status === 'error') span.setStatus({ code: api.SpanStatusCode.ERROR, message: error ?? undefined });
  else if (status === 'ok') span.setStatus({ code: api.SpanStatusCode.OK });
  span.end(endTime);
}

function spanName(span: SpanData): string {
  if (span.vertexId === null && span.type === 'tool') return `execute_tool ${span.name}`;
  if (span.vertexId !== null && span.type === 'agent') return `invoke_agent ${span.name}`;
  return span.name;
}

/** GenAI semantic-convention attributes, plus the component's id and Langflow's span type. */
function spanAttributes(span: SpanData): Attributes {
  const attributes: Attributes = { 'weft.span.type': span.type };
  if (span.vertexId) attributes['weft.component.id'] = span.vertexId;
  if (span.vertexId === null && span.type === 'llm') {
    attributes['gen_ai.operation.name'] = 'chat';
    if (span.provider) attributes['gen_ai.provider.name'] = providerName(span.provider);
    if (span.modelName) attributes['gen_ai.request.model'] = span.modelName;
  } else if (span.vertexId === null && span.type === 'tool') {
    attributes['gen_ai.operation.name'] = 'execute_tool';
    attributes['gen_ai.tool.name'] = span.name;
  } else if (span.type === 'agent') {
    attributes['gen_ai.operation.name'] = 'invoke_agent';
    attributes['gen_ai.agent.name'] = span.name;
  }
  if (span.tokenUsage) {
    attributes['gen_ai.usage.input_tokens'] = span.tokenUsage.promptTokens;
    attributes['gen_ai.usage.output_tokens'] = span.tokenUsage.completionTokens;
    if (span.tokenUsage.estimated) attributes['weft.usage.estimated'] = true;
  }
  if (span.error) attributes['error.type'] = 'component_error';
  return attributes;
}

/** The semantic conventions' well-known provider names (`openai`, `anthropic`, `gcp.gemini`...). */
function providerName(label: string): string {
  const names: Record<string, string> = { OpenAI: 'openai', Anthropic: 'anthropic', 'Google Generative AI': 'gcp.gemini', Groq: 'groq', Mistral: 'mistral_ai', 'Azure OpenAI': 'azure.ai.openai', Ollama: 'ollama' };
  return names[label] ?? label.toLowerCase().replace(/\s+/g, '_');
}
