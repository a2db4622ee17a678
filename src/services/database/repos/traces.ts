import type { Selectable } from 'kysely';
import type { SpanData, SpanStatus } from '../../../engine/tracing.js';
import { fromJson, maskedJsonCache, type MaskedJsonOf } from '../codec.js';
import type { TraceTable } from '../schema.js';
import { countOf, nothingPending, pageOffset, type Db, type Settle } from './types.js';

/** A finished run's trace as the run host hands it to the recorder. */
export interface NewTrace {
  id: string;
  flowId: string;
  userId: string | null;
  sessionId: string | null;
  name: string;
  status: SpanStatus;
  /** Epoch milliseconds. */
  startTime: number;
  endTime: number;
  latencyMs: number;
  totalTokens: number;
  input: Record<string, unknown> | null;
  output: Record<string, unknown> | null;
  spans: SpanData[];
}

export interface TraceFilter {
  flowId?: string;
  sessionId?: string;
  status?: SpanStatus;
  /** Part of the name, id or session id (case-insensitive). */
  query?: string;
  /** ISO-8601 bounds on the start time, inclusive. */
  startTime?: string;
  endTime?: string;
  page: number;
  size: number;
}

export type TraceSummaryRow = Omit<Selectable<TraceTable>, 'spans'>;
export type TraceRow = Selectable<TraceTable>;

const SUMMARY_COLUMNS = ['id', 'flow_id', 'user_id', 'session_id', 'name', 'status', 'start_time', 'end_time', 'total_latency_ms', 'total_tokens', 'input', 'output'] as const;

/** One span's inputs or outputs past this many characters of JSON are stored as a note of their size. */
const MAX_SPAN_VALUE_CHARS = 256 * 1024;

/** A span's inputs or outputs as JSON with secrets masked (as transaction logs are), bounded in size. */
function storedValue(value: Record<string, unknown> | null, masked: MaskedJsonOf): string {
  const json = masked(value);
  if (json === null) return 'null';
  return json.length > MAX_SPAN_VALUE_CHARS ? JSON.stringify({ truncated: true, size: json.length }) : json;
}

/** The spans as one JSON list, each serialised once; `outputsOf` keeps each span's outputs JSON (the trace's output is one of them). */
function spansJson(spans: SpanData[], outputsOf: Map<unknown, string>, masked: MaskedJsonOf): string {
  const parts = spans.map(({ inputs, outputs, ...rest }) => {
    const outputsJson = storedValue(outputs, masked);
    if (outputs) outputsOf.set(outputs, outputsJson);
    return `${JSON.stringify(rest).slice(0, -1)},"inputs":${storedValue(inputs, masked)},"outputs":${outputsJson}}`;
  });
  return `[${parts.join(',')}]`;
}

function toRow(trace: NewTrace, masked: MaskedJsonOf): TraceRow {
  const outputsOf = new Map<unknown, string>();
  const spans = spansJson(trace.spans, outputsOf, masked);
  return {
    id: trace.id,
    flow_id: trace.flowId,
    user_id: trace.userId,
    session_id: trace.sessionId,
    name: trace.name,
    status: trace.status,
    start_time: new Date(trace.startTime).toISOString(),
    end_time: new Date(trace.endTime).toISOString(),
    total_latency_ms: trace.latencyMs,
    total_tokens: trace.totalTokens,
    input: masked(trace.input),
    output: (trace.output && outputsOf.get(trace.output)) ?? masked(trace.output),
    spans,
  };
}

export function storedSpans(row: TraceRow): SpanData[] {
  return fromJson<SpanData[]>(row.spans, []);
}

export class TracesRepository {
  constructor(
    private readonly db: Db,
    private readonly settle: Settle = nothingPending,
  ) {}

  /** Several runs' traces in one statement (the recorder's batch); `json`: the batch's shared serialiser. */
  async insertMany(traces: NewTrace[], json: MaskedJsonOf = maskedJsonCache()): Promise<number> {
    if (traces.length > 0) await this.db.insertInto('trace').values(traces.map((trace) => toRow(trace, json))).execute();
    return traces.length;
  }

  private owned(userId: string) {
    return this.db.selectFrom('trace').where('flow_id', 'in', this.db.selectFrom('flow').select('id').where('user_id', '=', userId));
  }

  /** GET /monitor/traces: a page of the user's traces, newest first. */
  async list(userId: string, filter: TraceFilter): Promise<{ rows: TraceSummaryRow[]; total: number }> {
    const offset = pageOffset(filter);
    await this.settle();
    let query = this.owned(userId);
    if (filter.flowId) query = query.where('flow_id', '=', filter.flowId);
    if (filter.sessionId) query = query.where('session_id', '=', filter.sessionId);
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.startTime) query = query.where('start_time', '>=', filter.startTime);
    if (filter.endTime) query = query.where('start_time', '<=', filter.endTime);
    if (filter.query) {
      const pattern = `%${filter.query.toLowerCase()}%`;
      query = query.where((eb) =>
        eb.or([eb(eb.fn('lower', ['name']), 'like', pattern), eb(eb.fn('lower', ['id']), 'like', pattern), eb(eb.fn('lower', ['session_id']), 'like', pattern)]),
      );
    }
    const total = countOf(await query.select((eb) => eb.fn.countAll().as('count')).executeTakeFirst());
    const rows = await query.select(SUMMARY_COLUMNS).orderBy('start_time', 'desc').orderBy('id').offset(offset).limit(filter.size).execute();
    return { rows, total };
  }

  /** One of the user's traces with its spans, or undefined. */
  async get(traceId: string, userId: string): Promise<TraceRow | undefined> {
    await this.settle();
    return this.owned(userId).selectAll().where('id', '=', traceId).executeTakeFirst();
  }

  /** Deletes one of the user's traces; false when there is none. */
  async delete(traceId: string, userId: string): Promise<boolean> {
    await this.settle();
    const result = await this.db
      .deleteFrom('trace')
      .where('id', '=', traceId)
      .where('flow_id', 'in', this.db.selectFrom('flow').select('id').where('user_id', '=', userId))
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Deletes every trace of one of the user's flows; false when the flow is not theirs. */
  async deleteByFlow(flowId: string, userId: string): Promise<boolean> {
    await this.settle();
    const flow = await this.db.selectFrom('flow').select('id').where('id', '=', flowId).where('user_id', '=', userId).executeTakeFirst();
    if (!flow) return false;
    await this.db.deleteFrom('trace').where('flow_id', '=', flowId).execute();
    return true;
  }

  /** Keeps a flow's newest `kept` traces (walking `ix_trace_flow_time`, as transactions are pruned). */
  async prune(flowId: string, kept: number): Promise<void> {
    const firstDropped = await this.db
      .selectFrom('trace')
      .select(['start_time', 'id'])
      .where('flow_id', '=', flowId)
      .orderBy('start_time', 'desc')
      .orderBy('id')
      .offset(kept)
      .limit(1)
      .executeTakeFirst();
    if (!firstDropped) return;
    await this.db
      .deleteFrom('trace')
      .where('flow_id', '=', flowId)
      .where((eb) => eb.or([eb('start_time', '<', firstDropped.start_time), eb.and([eb('start_time', '=', firstDropped.start_time), eb('id', '>=', firstDropped.id)])]))
      .execute();
  }
}
