import type { FlowRun } from '../../engine/run.js';
import { totalTokens, type SpanData } from '../../engine/tracing.js';
import type { NewTrace } from '../database/index.js';

/**
 * A finished run's trace as it is stored and exported: Langflow's trace fields (name `<flow> - <flow id>`,
 * status, times, total tokens, session) with each component span's inputs worked out now, the input of
 * the run's first input component and the output of the last root span to finish, as Langflow derives them.
 */
export function finishedTrace(run: FlowRun): NewTrace | undefined {
  const trace = run.trace;
  if (!trace) return undefined;
  const spans = trace.spans;
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
