import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { SpanData, SpanStatus } from '../../engine/tracing.js';
import { storedSpans, type TraceRow, type TraceSummaryRow } from '../../services/database/index.js';
import { currentUser, type ApiContext } from '../context.js';
import { notFound, validationError } from '../errors.js';
import { Uuid } from '../schemas.js';

const Status = Type.Unsafe<SpanStatus>({ type: 'string', enum: ['unset', 'ok', 'error'] });
const TracesQuery = Type.Object({
  flow_id: Type.Optional(Uuid),
  session_id: Type.Optional(Type.String()),
  status: Type.Optional(Status),
  query: Type.Optional(Type.String()),
  start_time: Type.Optional(Type.String()),
  end_time: Type.Optional(Type.String()),
  // The seeds' contract says `page >= 0` (Langflow's code, ≥ 1): 0 is the first page too.
  page: Type.Integer({ minimum: 0, default: 1 }),
  size: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
});
type TracesQuery = Static<typeof TracesQuery>;
const FlowQuery = Type.Object({ flow_id: Uuid });
type FlowQuery = Static<typeof FlowQuery>;
const TraceParams = Type.Object({ trace_id: Uuid });
type TraceParams = Static<typeof TraceParams>;

/**
 * `/api/v1/monitor/traces` (Langflow's traces router): the caller's runs' traces, listed with filters,
 * one with its span tree, and deleted one at a time or all of a flow. Another user's trace or flow is a 404.
 */
export async function traceRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const { traces } = ctx.database;
  const tags = ['Traces'];
  const user = { preHandler: ctx.auth.userPreHandler };

  app.get<{ Querystring: TracesQuery }>('/api/v1/monitor/traces', { ...user, schema: { tags, querystring: TracesQuery } }, async (request) => {
    const q = request.query;
    const { rows, total } = await traces.list(currentUser(request).id, {
      flowId: q.flow_id,
      sessionId: q.session_id || undefined,
      status: q.status,
      query: sanitizedQuery(q.query),
      startTime: isoTime(q.start_time, 'start_time'),
      endTime: isoTime(q.end_time, 'end_time'),
      page: Math.max(1, q.page),
      size: q.size,
    });
    return { traces: rows.map(traceSummary), total, pages: Math.max(1, Math.ceil(total / q.size)) };
  });

  app.get<{ Params: TraceParams }>('/api/v1/monitor/traces/:trace_id', { ...user, schema: { tags, params: TraceParams } }, async (request) => {
    const row = await traces.get(request.params.trace_id, currentUser(request).id);
    if (!row) throw notFound('Trace not found');
    return traceRead(row);
  });

  app.delete<{ Params: TraceParams }>('/api/v1/monitor/traces/:trace_id', { ...user, schema: { tags, params: TraceParams } }, async (request, reply) => {
    if (!(await traces.delete(request.params.trace_id, currentUser(request).id))) throw notFound('Trace not found');
    return reply.code(204).send();
  });

  app.delete<{ Querystring: FlowQuery }>('/api/v1/monitor/traces', { ...user, schema: { tags, querystring: FlowQuery } }, async (request, reply) => {
    if (!(await traces.deleteByFlow(request.query.flow_id, currentUser(request).id))) throw notFound('Flow not found');
    return reply.code(204).send();
  });
}

/** As Langflow: printable ASCII only, trimmed, at most 50 characters. */
function sanitizedQuery(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const cleaned = [...value].filter((ch) => ch >= ' ' && ch <= '~').join('').trim().slice(0, 50);
  return cleaned || undefined;
}

/** An ISO-8601 date or date-time (pydantic's datetime), as stored times compare: UTC `…Z`. */
function isoTime(value: string | undefined, field: string): string | undefined {
  if (value === undefined || value === '') return undefined;
  const text = value.trim();
  const valid = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(text);
  const time = valid ? Date.parse(/[T ]/.test(text) && !/(Z|[+-]\d{2}:?\d{2})$/i.test(text) ? `${text.replace(' ', 'T')}Z` : text.replace(' ', 'T')) : NaN;
  if (Number.isNaN(time)) {
    throw validationError([{ type: 'datetime_from_date_parsing', loc: ['query', field], msg: 'Input should be a valid datetime or date, invalid date format', input: value }]);
  }
  return new Date(time).toISOString();
}

function json(text: string | null): unknown {
  return text === null ? null : (JSON.parse(text) as unknown);
}

/** Langflow's TraceSummaryRead. */
function traceSummary(row: TraceSummaryRow) {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    startTime: row.start_time,
    totalLatencyMs: Number(row.total_latency_ms),
    totalTokens: Number(row.total_tokens),
    flowId: row.flow_id,
    sessionId: row.session_id || row.id,
    input: json(row.input),
    output: json(row.output),
  };
}

/** Langflow's TraceRead: the summary, the end time and the span tree. */
function traceRead(row: TraceRow) {
  const { totalLatencyMs, ...summary } = traceSummary(row);
  return { ...summary, endTime: row.end_time, totalLatencyMs, spans: spanTree(storedSpans(row)) };
}

interface SpanRead {
  id: string;
  name: string;
  type: string;
  status: string;
  startTime: string;
  endTime: string | null;
  latencyMs: number;
  inputs: unknown;
  outputs: unknown;
  error: string | null;
  modelName: string | null;
  tokenUsage: Record<string, unknown> | null;
  children: SpanRead[];
}

/** Spans as a tree (children in start order), each in Langflow's SpanReadResponse shape. */
export function spanTree(spans: SpanData[]): SpanRead[] {
  const byId = new Map<string, SpanRead>();
  const sorted = [...spans].sort((a, b) => a.startTime - b.startTime);
  for (const span of sorted) byId.set(span.id, spanRead(span));
  const roots: SpanRead[] = [];
  for (const span of sorted) {
    const parent = span.parentId ? byId.get(span.parentId) : undefined;
    (parent ? parent.children : roots).push(byId.get(span.id)!);
  }
  return roots;
}

function spanRead(span: SpanData): SpanRead {
  const usage = span.tokenUsage;
  return {
    id: span.id,
    name: span.name,
    type: span.type,
    status: span.status,
    startTime: new Date(span.startTime).toISOString(),
    endTime: span.endTime === null ? null : new Date(span.endTime).toISOString(),
    latencyMs: span.latencyMs,
    inputs: span.inputs ?? {},
    outputs: span.outputs ?? {},
    error: span.error,
    modelName: span.modelName,
    tokenUsage: usage
      ? { promptTokens: usage.promptTokens, completionTokens: usage.completionTokens, totalTokens: usage.totalTokens, cost: 0, ...(usage.estimated ? { estimated: true } : {}) }
      : null,
    children: [],
  };
}
