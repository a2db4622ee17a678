import type { VertexBuildData } from '../../engine/events.js';
import type { FlowRun } from '../../engine/run.js';
import { totalTokens, type SpanData } from '../../engine/tracing.js';
import type { NewTrace } from '../database/index.js';

/**
 * A finished run's trace as it is stored and exported: Langflow's trace fields (name `<flow> - <flow id>`,
 * status, times, total tokens, session) with each component span's inputs worked out now, the input of
 * the run's first input component and the output of the last root span to finish, as Langflow derives them.
 */
export function finishedTrace(run: FlowRun, builds: readonly VertexBuildData[] = []): NewTrace | undefined {
  const trace = run.trace;
  if (!trace) return undefined;
  const spans = trace.spans;
  shareOutputs(spans, builds);
  for (const span of spans) {
    if (span.resolveInputs) {
      span.inputs = span.resolveInputs();
      delete span.resolveInputs;
    }
  }
  const latencyMs = trace.elapsedMs();
  const { flowId, flowName, sessionId, userId } = run.info;
  return {
    id: trace.id,
    flowId,
    userId,
    sessionId,
    name: `${flowName} - ${flowId}`,
    status: run.error || spans.some((s) => s.status === 'error' && s.parentId === null) ? 'error' : 'ok',
    startTime: trace.startTime,
    endTime: trace.startTime + latencyMs,
    latencyMs,
    totalTokens: totalTokens(spans),
    input: traceInput(run, spans),
    output: traceOutput(spans),
    spans,
  };
}

/**
 * The run's own component spans (the top-level ones) show the results their transactions log — the same
 * objects, so the recorder serialises them once for both. Sub-flows' spans keep their raw values.
 */
function shareOutputs(spans: SpanData[], builds: readonly VertexBuildData[]): void {
  if (builds.length === 0) return;
  const byVertex = new Map<string, VertexBuildData[]>();
  for (const build of builds) {
    const list = byVertex.get(build.id);
    if (list) list.push(build);
    else byVertex.set(build.id, [build]);
  }
  const seen = new Map<string, number>();
  for (const span of spans) {
    if (span.parentId !== null || span.vertexId === null) continue;
    const index = seen.get(span.vertexId) ?? 0;
    seen.set(span.vertexId, index + 1);
    const build = byVertex.get(span.vertexId)?.[index];
    if (build?.valid && span.outputs) span.outputs = build.data.results;
  }
}

function traceInput(run: FlowRun, spans: SpanData[]): Record<string, unknown> | null {
  const first = spans.find((s) => s.parentId === null && s.vertexId !== null && run.graph.vertices.get(s.vertexId)?.isInput);
  const value = first?.inputs?.input_value;
  return value === undefined || value === null || value === '' ? null : { input_value: value };
}

function traceOutput(spans: SpanData[]): Record<string, unknown> | null {
  let last: SpanData | undefined;
  for (const span of spans) {
    if (span.parentId !== null || span.endTime === null || !span.outputs) continue;
    if (!last || span.endTime >= last.endTime!) last = span;
  }
  return last?.outputs ?? null;
}
