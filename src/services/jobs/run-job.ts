import type { EngineEvent } from '../../engine/events.js';
import type { FlowData } from '../../engine/flow-json.js';
import type { FlowRun, RunResponse } from '../../engine/run.js';
import type { RunHost } from '../runs/host.js';
import { langflowTimestamp } from '../../engine/schema/time.js';
import type { JobContext, JobExecutor, JobOutcome, RunJobSpec } from './types.js';

/** The job executor every mode uses: load the flow, run it on the run host, emit its events. */
export function createRunExecutor(host: RunHost): JobExecutor {
  return async (spec: RunJobSpec, ctx: JobContext): Promise<JobOutcome> => {
    const stored = await host.loadFlow(spec.flowId);
    const data = (spec.options.data as unknown as FlowData | null | undefined) ?? (stored?.data as unknown as FlowData | null | undefined) ?? null;
    if (!stored && !spec.options.data) return fail(spec, ctx, `Flow ${spec.flowId} not found`);
    if (!data) return fail(spec, ctx, `Flow ${spec.flowId} has no data`);
    const flowId = spec.options.runFlowId ?? spec.flowId;
    const flowName = spec.options.flowName ?? stored?.name ?? 'Untitled';

    let run: FlowRun;
    try {
      run = host.createFlowRun({
        flow: { id: flowId, name: flowName, data },
        userId: spec.userId,
        requestVariables: spec.inputs.requestVariables,
        inputValue: spec.inputs.inputValue ?? null,
        inputType: spec.inputs.inputType ?? 'chat',
        outputType: spec.inputs.outputType ?? (spec.kind === 'webhook' ? 'chat' : 'any'),
        inputComponents: spec.inputs.inputComponents,
        tweaks: spec.inputs.tweaks ?? null,
        sessionId: spec.inputs.sessionId ?? null,
        stream: spec.options.stream ?? false,
        // Langflow's build keeps each component's saved `stream` field; /run's `?stream` overrides it.
        streamFromFields: spec.kind === 'build',
        // A public visitor's paths are not trusted: they could name the owner's other files.
        inputFiles: spec.options.public ? undefined : spec.inputs.files,
        startComponentId: spec.options.startComponentId ?? undefined,
        stopComponentId: spec.options.stopComponentId ?? undefined,
        signal: ctx.signal,
      });
    } catch (error) {
      return fail(spec, ctx, error instanceof Error ? error.message : String(error), flowId);
    }

    let result: RunResponse | null = null;
    let errorText: string | null = null;
    for await (const event of host.recordedEvents(run, { logBuilds: spec.options.logBuilds })) {
      if (event.event === 'end') {
        result = run.result;
        await ctx.emit({ event: 'end', data: endData(spec, run.result) });
      } else if (event.event === 'error') {
        errorText = String(event.data.error ?? 'The run failed');
        await ctx.emit({ event: 'error', data: errorData(spec, event, run) });
      } else {
        await ctx.emit(event);
      }
    }
    if (ctx.signal.aborted && !result) return { status: 'cancelled', error: 'The run was cancelled' };
    if (errorText !== null || !result) return { status: 'failed', error: errorText ?? 'The run failed' };
    // Only v2 workflows read a finished job's outputs; other runs keep the job record small.
    return { status: 'completed', result: spec.kind === 'workflow' ? selectOutputs(spec, result) : null };
  };
}

async function fail(spec: RunJobSpec, ctx: JobContext, message: string, flowId = spec.flowId): Promise<JobOutcome> {
  await ctx.emit({ event: 'error', data: spec.kind === 'build' ? errorMessageDict(message, flowId, spec.inputs.sessionId ?? flowId, null) : { error: message } });
  return { status: 'failed', error: message };
}

function endData(spec: RunJobSpec, result: RunResponse | null): Record<string, unknown> {
  // The playground's build stream ends with `end` {}; other runs carry their result.
  if (spec.kind === 'build' || spec.kind === 'webhook') return {};
  return { result: result ? selectOutputs(spec, result) : null };
}

function errorData(spec: RunJobSpec, event: Extract<EngineEvent, { event: 'error' }>, run: FlowRun): Record<string, unknown> {
  if (spec.kind !== 'build') return event.data;
  const data = event.data as { error?: unknown; component_display_name?: unknown };
  return errorMessageDict(String(data.error ?? 'The run failed'), run.info.flowId, run.info.sessionId, typeof data.component_display_name === 'string' ? data.component_display_name : null, data);
}

/** Langflow's ErrorMessage, as the build stream's `error` event carries it. */
function errorMessageDict(text: string, flowId: string, sessionId: string, component: string | null, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ...extra,
    text,
    sender: 'Machine',
    sender_name: component ?? 'Flow',
    session_id: sessionId,
    flow_id: flowId,
    timestamp: langflowTimestamp(),
    files: [],
    error: true,
    edit: false,
    category: 'error',
    properties: { text_color: 'red', background_color: 'red', edited: false, source: { id: null, display_name: component, source: null }, icon: 'error', allow_markdown: false, positive_feedback: null, state: 'complete', targets: [] },
    content_blocks: [
      { title: 'Error', contents: [{ type: 'error', component, field: null, reason: text, solution: null, traceback: null }], allow_markdown: false, media_url: null },
    ],
  };
}

/** v2 `output_ids`: keep only those vertices' results. */
function selectOutputs(spec: RunJobSpec, result: RunResponse): RunResponse {
  const only = spec.options.outputIds;
  if (!only || only.length === 0) return result;
  return { ...result, outputs: result.outputs.map((o) => ({ ...o, outputs: o.outputs.filter((r) => only.includes(r.component_id)) })) };
}
