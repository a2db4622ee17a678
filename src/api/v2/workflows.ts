import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { UserRecord } from '../../services/database/index.js';
import { FINISHED_STATUSES, type JobInfo, type RunJobSpec } from '../../services/jobs/index.js';
import type { ApiContext } from '../context.js';
import { HttpError } from '../errors.js';
import { jobsOf, sse, streamEvents } from '../jobs.js';

/**
 * v2 Workflows API (§F.2, newer upstream `/api/v2/workflows`): run a flow synchronously, as an SSE
 * stream (`id: <seq>` + `Last-Event-ID` resumption) or in the background (a job id to poll). Every
 * mode runs on the job queue. Gated by LANGFLOW_DEVELOPER_API_ENABLED (default false, as Langflow):
 * disabled → 403 DEVELOPER_API_DISABLED. Errors are `{"detail": {error, code, message, ...}}`.
 */

const Mode = Type.Union([Type.Literal('sync'), Type.Literal('stream'), Type.Literal('background')]);
const WorkflowRunRequest = Type.Object(
  {
    flow_id: Type.String({ minLength: 1 }),
    mode: Type.Optional(Mode),
    background: Type.Optional(Type.Boolean()),
    stream: Type.Optional(Type.Boolean()),
    stream_protocol: Type.Optional(Type.String()),
    input_value: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    input_type: Type.Optional(Type.Union([Type.Literal('chat'), Type.Literal('text'), Type.Literal('any')])),
    session_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    tweaks: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
    globals: Type.Optional(Type.Union([Type.Record(Type.String(), Type.String()), Type.Null()])),
    output_ids: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
    inputs: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
    data: Type.Optional(Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()])),
    files: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
    start_component_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    stop_component_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    idempotency_key: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  },
  { additionalProperties: false },
);
type WorkflowRunRequest = Static<typeof WorkflowRunRequest>;
const JobQuery = Type.Object({ job_id: Type.String({ minLength: 1 }) });
const StopRequest = Type.Object({ job_id: Type.String({ minLength: 1 }), force: Type.Optional(Type.Boolean()) });
const JobParams = Type.Object({ job_id: Type.String({ minLength: 1 }) });

const STOP_WAIT_MS = 10_000;

function problem(status: number, code: string, error: string, message: string, extra: Record<string, unknown> = {}): HttpError {
  return new HttpError(status, { error, code, message, ...extra });
}

export async function workflowRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Workflow'];
  const jobs = () => jobsOf(ctx);

  async function caller(request: FastifyRequest): Promise<UserRecord> {
    if (!ctx.settings.developerApiEnabled) {
      throw problem(403, 'DEVELOPER_API_DISABLED', 'Developer API disabled', 'The workflows API is disabled. Set LANGFLOW_DEVELOPER_API_ENABLED=true to enable it.');
    }
    // Langflow guards these routes with `api_key_security`: a JWT alone is a 403, like no key at all.
    return ctx.auth.requireApiKeyUser(request);
  }

  async function ownJob(jobId: string, user: UserRecord): Promise<JobInfo> {
    const job = await jobs().queue.status(jobId);
    if (!job || job.kind !== 'workflow' || job.userId !== user.id) throw problem(404, 'JOB_NOT_FOUND', 'Job not found', `Job ${jobId} not found`, { job_id: jobId });
    return job;
  }

  app.post<{ Body: WorkflowRunRequest }>('/api/v2/workflows', { schema: { tags, body: WorkflowRunRequest } }, async (request, reply) => {
    const user = await caller(request);
    const body = request.body;
    const mode = body.mode ?? (body.background ? 'background' : body.stream ? 'stream' : 'sync');
    if (body.stream_protocol && body.stream_protocol !== 'langflow') {
      throw problem(422, 'UNKNOWN_STREAM_PROTOCOL', 'Unknown stream protocol', `Stream protocol "${body.stream_protocol}" is not supported; use "langflow"`);
    }
    const flow = await ctx.database.flows.getByIdOrEndpointName(body.flow_id, user.id).catch(() => undefined);
    if (!flow || flow.user_id !== user.id) throw problem(404, 'FLOW_NOT_FOUND', 'Flow not found', `Flow ${body.flow_id} not found`, { flow_id: body.flow_id });
    const data = body.data ?? null;
    if (data && (!Array.isArray(data.nodes) || !Array.isArray(data.edges))) {
      throw problem(400, 'INVALID_FLOW_DATA', 'Invalid flow data', 'data must have nodes and edges arrays', { flow_id: flow.id });
    }
    const graph = (data ?? flow.data ?? { nodes: [], edges: [] }) as { nodes?: { id: string }[]; edges?: { source: string }[] };
    const outputIds = body.output_ids ?? [];
    if (outputIds.length > 0) {
      const sources = new Set((graph.edges ?? []).map((e) => e.source));
      const sinks = new Set((graph.nodes ?? []).map((n) => n.id).filter((id) => !sources.has(id)));
      const unknown = outputIds.filter((id) => !sinks.has(id));
      if (unknown.length > 0) throw problem(422, 'UNKNOWN_OUTPUT_IDS', 'Unknown output ids', `Not terminal components of the flow: ${unknown.join(', ')}`, { flow_id: flow.id });
    }
    const { tweaks, global } = splitInputs(body.inputs ?? {}, body.tweaks ?? {});
    const spec: RunJobSpec = {
      kind: 'workflow',
      flowId: flow.id,
      userId: user.id,
      inputs: {
        inputValue: body.input_value ?? (typeof global.input_value === 'string' ? global.input_value : null),
        inputType: body.input_type ?? (global.input_type as 'chat' | 'text' | 'any' | undefined) ?? 'chat',
        outputType: outputIds.length > 0 ? 'debug' : 'any',
        sessionId: body.session_id ?? (typeof global.session_id === 'string' ? global.session_id : null),
        tweaks,
        files: body.files ?? undefined,
        requestVariables: body.globals ?? undefined,
      },
      options: {
        data,
        outputIds,
        startComponentId: body.start_component_id ?? null,
        stopComponentId: body.stop_component_id ?? null,
        flowName: flow.name,
        stream: mode === 'stream',
      },
    };
    const { queue } = jobs();
    const job = await queue.submit(spec);
    if (mode === 'background') return reply.code(202).send(jobResponse(job));
    if (mode === 'stream') {
      await streamEvents(request, reply, (signal) => queue.events.follow(job.id, { signal }), { contentType: 'text/event-stream', encode: sse });
      return reply;
    }
    // How long a sync run may take before 408 EXECUTION_TIMEOUT (Langflow's WORKER_TIMEOUT, 300 s).
    const timeoutSeconds = ctx.settings.workerTimeoutSeconds;
    const done = await queue.waitUntilFinished(job.id, timeoutSeconds * 1000);
    if (!done) {
      await queue.cancel(job.id, { waitMs: 0 }).catch(() => {});
      throw problem(408, 'EXECUTION_TIMEOUT', 'Execution timeout', `The workflow did not finish within ${timeoutSeconds} s`, { job_id: job.id, flow_id: flow.id });
    }
    // Component failures are part of a 200 body (the "two-tier" contract).
    return executionResponse(done, spec);
  });

  app.get<{ Querystring: Static<typeof JobQuery> }>('/api/v2/workflows', { schema: { tags, querystring: JobQuery } }, async (request) => {
    const user = await caller(request);
    const job = await ownJob(request.query.job_id, user);
    if (job.status === 'failed') throw problem(500, 'JOB_FAILED', 'Job failed', job.error ?? 'The workflow failed', { job_id: job.id, flow_id: job.flowId });
    if (FINISHED_STATUSES.has(job.status)) return executionResponse(job, null);
    return jobResponse(job);
  });

  app.get<{ Params: Static<typeof JobParams> }>('/api/v2/workflows/:job_id/events', { schema: { tags, params: JobParams } }, async (request, reply) => {
    const user = await caller(request);
    const job = await ownJob(request.params.job_id, user);
    const header = request.headers['last-event-id'];
    const after = typeof header === 'string' && header ? header : null;
    const { queue } = jobs();
    await streamEvents(request, reply, (signal) => queue.events.follow(job.id, { after, signal }), { contentType: 'text/event-stream', encode: sse });
    return reply;
  });

  app.post<{ Body: Static<typeof StopRequest> }>('/api/v2/workflows/stop', { schema: { tags, body: StopRequest } }, async (request) => {
    const user = await caller(request);
    const job = await ownJob(request.body.job_id, user);
    if (FINISHED_STATUSES.has(job.status)) return { job_id: job.id, status: 'stopped', message: `Job already ${job.status}` };
    const stopped = await jobs().queue.cancel(job.id, { waitMs: request.body.force ? STOP_WAIT_MS : STOP_WAIT_MS / 2 });
    if (stopped === null) throw problem(404, 'JOB_NOT_FOUND', 'Job not found', `Job ${job.id} not found`, { job_id: job.id });
    return stopped
      ? { job_id: job.id, status: 'stopped', message: 'Job stopped successfully' }
      : { job_id: job.id, status: 'stopping', message: 'Stop requested; the job is still stopping' };
  });
}

/**
 * `inputs` in the seed's flat format (`"ChatInput-abc.input_value": v`) or nested
 * (`{"global": {...}, "<component id>": {...}}`), merged over `tweaks`.
 */
function splitInputs(inputs: Record<string, unknown>, base: Record<string, unknown>): { tweaks: Record<string, unknown>; global: Record<string, unknown> } {
  const tweaks: Record<string, unknown> = { ...base };
  let global: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(inputs)) {
    if (key === 'global' && value && typeof value === 'object') {
      global = value as Record<string, unknown>;
      continue;
    }
    const dot = key.indexOf('.');
    if (dot > 0) {
      const component = key.slice(0, dot);
      const existing = Object.hasOwn(tweaks, component) ? tweaks[component] : undefined;
      tweaks[component] = { ...(existing && typeof existing === 'object' ? existing : {}), [key.slice(dot + 1)]: value };
    } else if (value && typeof value === 'object' && !Array.isArray(value)) {
      const existing = Object.hasOwn(tweaks, key) ? tweaks[key] : undefined;
      tweaks[key] = { ...(existing && typeof existing === 'object' ? existing : {}), ...(value as Record<string, unknown>) };
    } else {
      tweaks[key] = value;
    }
  }
  return { tweaks, global };
}

function jobResponse(job: JobInfo) {
  return { job_id: job.id, flow_id: job.flowId, created_timestamp: job.createdAt, status: job.status, errors: job.error ? [{ error: job.error, code: 'JOB_FAILED', details: null }] : [] };
}

interface ResultLike {
  component_id: string;
  component_display_name: string;
  results: Record<string, unknown>;
  outputs: Record<string, { message: unknown; type: string }>;
  duration?: string | null;
}

/** WorkflowExecutionResponse: outputs keyed by component id, each `ComponentOutput {type, status, display_name, content, metadata}`. */
function executionResponse(job: JobInfo, spec: RunJobSpec | null) {
  const result = job.result as { session_id?: string; outputs?: { inputs: Record<string, unknown>; outputs: ResultLike[] }[] } | null;
  const outputs: Record<string, unknown> = {};
  for (const entry of result?.outputs ?? []) {
    for (const vertex of entry.outputs) {
      const [name, value] = Object.entries(vertex.results)[0] ?? [null, null];
      const log = name ? vertex.outputs[name] : undefined;
      const content = value && typeof value === 'object' && 'text' in value ? (value as { text: unknown }).text : (log?.message ?? value);
      outputs[vertex.component_id] = {
        type: log?.type ?? 'unknown',
        status: 'completed',
        display_name: vertex.component_display_name ?? null,
        content,
        metadata: { component_display_name: vertex.component_display_name, output_name: name, duration: vertex.duration ?? null },
      };
    }
  }
  const status = job.status === 'cancelled' ? 'cancelled' : job.status;
  const sessionId = result?.session_id ?? spec?.inputs.sessionId ?? null;
  return {
    flow_id: job.flowId,
    session_id: sessionId,
    job_id: job.id,
    object: 'response',
    created_timestamp: job.createdAt,
    status,
    errors: job.error ? [{ error: job.error, code: job.status === 'cancelled' ? 'JOB_CANCELLED' : 'COMPONENT_ERROR', details: null }] : [],
    inputs: spec ? { input_value: spec.inputs.inputValue ?? null, session_id: spec.inputs.sessionId ?? null } : {},
    outputs,
    metadata: { session_id: sessionId },
  };
}
