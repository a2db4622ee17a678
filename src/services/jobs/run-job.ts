import { randomUUID } from 'node:crypto';
import type { EngineServices } from '../../engine/component.js';
import type { EngineEvent, VertexBuildData } from '../../engine/events.js';
import type { FlowData, FlowJson } from '../../engine/flow-json.js';
import type { ComponentRegistry } from '../../engine/registry.js';
import { FlowRun, type RunResponse } from '../../engine/run.js';
import { langflowTimestamp } from '../../engine/schema/time.js';
import type { JobContext, JobExecutor, JobOutcome, RunJobSpec } from './types.js';

/** A flow as stored. */
export interface StoredFlow {
  id: string;
  name: string;
  userId: string | null;
  data: FlowData | null;
}

/** One built vertex, as Langflow's `vertex_build` table keeps it (§G.3). */
export interface VertexBuildRow {
  buildId: string;
  vertexId: string;
  flowId: string;
  jobId: string;
  timestamp: Date;
  valid: boolean;
  params: string;
  data: Record<string, unknown>;
  artifacts: Record<string, unknown>;
}

/** One component execution, as Langflow's `transaction` table keeps it (§G.3). */
export interface TransactionRow {
  flowId: string;
  vertexId: string;
  targetId: string | null;
  timestamp: Date;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  status: 'success' | 'error';
  error: string | null;
}

/** What a worker needs from the rest of the server to run a job. */
export interface RunHost {
  registry: ComponentRegistry;
  loadFlow(flowId: string): Promise<StoredFlow | null>;
  /** Message store, variable resolver and whatever else components use, for this user. */
  engineServices(userId: string | null, requestVariables: Record<string, string> | undefined): Partial<EngineServices>;
  /** Records the builds and transactions of one run (and prunes old ones). Failures are logged, not fatal. */
  recordRun?(builds: VertexBuildRow[], transactions: TransactionRow[]): Promise<void>;
  log?(line: string): void;
}

/** The job executor every mode uses: load the flow, run it with the engine, emit its events. */
export function createRunExecutor(host: RunHost): JobExecutor {
  return async (spec: RunJobSpec, ctx: JobContext): Promise<JobOutcome> => {
    const stored = await host.loadFlow(spec.flowId);
    const data = (spec.options.data as unknown as FlowData | null | undefined) ?? stored?.data ?? null;
    if (!stored && !spec.options.data) return fail(spec, ctx, `Flow ${spec.flowId} not found`);
    if (!data) return fail(spec, ctx, `Flow ${spec.flowId} has no data`);
    const flowId = spec.options.runFlowId ?? spec.flowId;
    const flowName = spec.options.flowName ?? stored?.name ?? 'Untitled';
    const flow: FlowJson = { id: flowId, name: flowName, data };

    let run: FlowRun;
    try {
      run = new FlowRun({
        flow,
        registry: host.registry,
        services: host.engineServices(spec.userId, spec.inputs.requestVariables),
        flowId,
        flowName,
        userId: spec.userId,
        inputValue: spec.inputs.inputValue ?? null,
        inputType: spec.inputs.inputType ?? 'chat',
        outputType: spec.inputs.outputType ?? (spec.kind === 'webhook' ? 'chat' : 'any'),
        inputComponents: spec.inputs.inputComponents,
        tweaks: spec.inputs.tweaks ?? null,
        sessionId: spec.inputs.sessionId ?? null,
        stream: spec.options.stream ?? false,
        startComponentId: spec.options.startComponentId ?? undefined,
        stopComponentId: spec.options.stopComponentId ?? undefined,
        signal: ctx.signal,
      });
    } catch (error) {
      return fail(spec, ctx, error instanceof Error ? error.message : String(error), flowId);
    }

    const builds: VertexBuildRow[] = [];
    const transactions: TransactionRow[] = [];
    const buildId = randomUUID();
    let result: RunResponse | null = null;
    let errorText: string | null = null;
    for await (const event of run.events()) {
      if (event.event === 'end_vertex') collectBuild(run, event.data.build_data, flowId, ctx.jobId, buildId, builds, transactions);
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
    if (host.recordRun && (builds.length > 0 || transactions.length > 0)) {
      const keep = spec.options.logBuilds === false ? [] : builds;
      await host.recordRun(keep, transactions).catch((e: Error) => host.log?.(`could not record builds of job ${ctx.jobId}: ${e.message}`));
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

function collectBuild(run: FlowRun, build: VertexBuildData, flowId: string, jobId: string, buildId: string, builds: VertexBuildRow[], transactions: TransactionRow[]): void {
  const timestamp = new Date();
  builds.push({
    buildId,
    vertexId: build.id,
    flowId,
    jobId,
    timestamp,
    valid: build.valid,
    params: build.params,
    data: build.data as unknown as Record<string, unknown>,
    artifacts: build.data.artifacts,
  });
  transactions.push({
    flowId,
    vertexId: build.id,
    targetId: build.next_vertices_ids[0] ?? null,
    timestamp,
    inputs: run.transactionInputs(build.id),
    outputs: build.valid ? build.data.results : {},
    status: build.valid ? 'success' : 'error',
    error: build.valid ? null : build.params,
  });
}

/** v2 `output_ids`: keep only those vertices' results. */
function selectOutputs(spec: RunJobSpec, result: RunResponse): RunResponse {
  const only = spec.options.outputIds;
  if (!only || only.length === 0) return result;
  return { ...result, outputs: result.outputs.map((o) => ({ ...o, outputs: o.outputs.filter((r) => only.includes(r.component_id)) })) };
}
