import { hasCode } from '../../engine/errors.js';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { UserRecord } from '../../services/database/index.js';
import { isTerminal } from '../../services/events/types.js';
import { loadRedisJobs, type JobInfo, type JobServices, type RunJobSpec } from '../../services/jobs/index.js';
import { currentUser, type ApiContext } from '../context.js';
import { badRequest, forbidden, notFound } from '../errors.js';
import { parseJsonBody } from '../body-parsing.js';
import { closeJobs, cookie, jobsOf, NAMESPACE_DNS, ndjson, streamEvents, uuid5 } from '../jobs.js';
import { FlowIdParams } from '../schemas.js';
import { buildVertexRoutes } from './build-vertices.js';

const EventDelivery = Type.Union([Type.Literal('streaming'), Type.Literal('polling'), Type.Literal('direct')]);
type EventDelivery = Static<typeof EventDelivery>;
const NullableString = Type.Union([Type.String(), Type.Null()]);

const BuildQuery = Type.Object({
  stop_component_id: Type.Optional(NullableString),
  start_component_id: Type.Optional(NullableString),
  log_builds: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  flow_name: Type.Optional(NullableString),
  event_delivery: Type.Optional(EventDelivery),
});
type BuildQuery = Static<typeof BuildQuery>;

const InputValueRequest = Type.Object(
  {
    components: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
    input_value: Type.Optional(NullableString),
    session: Type.Optional(NullableString),
    type: Type.Optional(Type.Union([Type.Literal('chat'), Type.Literal('text'), Type.Literal('any'), Type.Null()])),
    client_request_time: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  },
  { additionalProperties: true },
);
const FlowDataRequest = Type.Object(
  { nodes: Type.Array(Type.Object({}, { additionalProperties: true })), edges: Type.Array(Type.Object({}, { additionalProperties: true })), viewport: Type.Optional(Type.Unknown()) },
  { additionalProperties: true },
);
const BuildBody = Type.Union([
  Type.Object(
    {
      inputs: Type.Optional(Type.Union([InputValueRequest, Type.Null()])),
      data: Type.Optional(Type.Union([FlowDataRequest, Type.Null()])),
      files: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
    },
    { additionalProperties: true },
  ),
  Type.Null(),
]);
type BuildBody = Static<typeof BuildBody>;

const JobIdParams = Type.Object({ job_id: Type.String() });
const EventsQuery = Type.Object({ event_delivery: Type.Optional(EventDelivery) });

const NDJSON = 'application/x-ndjson';
/** How long a polling request waits for the first event before answering empty. */
const POLL_WAIT_MS = 30_000;
const CANCEL_WAIT_MS = 10_000;

/** Langflow's 404 for an unknown job: its JobQueueNotFoundError text behind "Job not found: ". */
const jobNotFound = (jobId: string) => notFound(`Job not found: Job queue not found for job_id: ${jobId}`);

/**
 * The playground build API (§A.3, §E): start a build job, read its events (streaming, polling or
 * direct), cancel it. Jobs run on the job queue, so with Redis any replica serves any job's events.
 */
export async function buildRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Chat'];
  const user = { preHandler: ctx.auth.userPreHandler };
  if (ctx.settings.jobs.redisUrl) await loadRedisJobs();
  const jobs = (): JobServices => jobsOf(ctx);
  jobs();
  app.addHook('onClose', async () => closeJobs(ctx));
  // Clients post cancel (and bodiless builds) with a JSON content type and no body; FastAPI accepts that.
  app.removeContentTypeParser('application/json');
  // Otherwise as the app's parser: deep nesting and malformed JSON are FastAPI's 422 (they were 500s).
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, null);
    try {
      done(null, parseJsonBody(text));
    } catch (error) {
      done(error as Error, undefined);
    }
  });

  await buildVertexRoutes(app, ctx);

  function buildSpec(flowId: string, userId: string | null, query: BuildQuery, body: BuildBody, data: Record<string, unknown> | null, extra: Partial<RunJobSpec['options']> = {}): RunJobSpec {
    if (query.start_component_id && query.stop_component_id) throw badRequest('You can only provide one of start_component_id or stop_component_id');
    const inputs = body?.inputs ?? null;
    return {
      kind: 'build',
      flowId,
      userId,
      inputs: {
        inputValue: inputs?.input_value ?? null,
        inputType: inputs?.type ?? 'any',
        inputComponents: inputs?.components ?? undefined,
        sessionId: inputs?.session ?? null,
        files: body?.files ?? undefined,
      },
      options: {
        data,
        startComponentId: query.start_component_id ?? null,
        stopComponentId: query.stop_component_id ?? null,
        logBuilds: query.log_builds ?? true,
        flowName: query.flow_name ?? null,
        ...extra,
      },
    };
  }

  /** `{job_id}`, or with event_delivery=direct the event stream itself. */
  async function start(request: FastifyRequest, reply: FastifyReply, spec: RunJobSpec, delivery: EventDelivery | undefined): Promise<unknown> {
    const job = await jobs().queue.submit(spec);
    if (delivery !== 'direct') return { job_id: job.id };
    await streamJob(request, reply, job.id, null);
    return reply;
  }

  async function streamJob(request: FastifyRequest, reply: FastifyReply, jobId: string, after: string | null): Promise<void> {
    const { queue } = jobs();
    await streamEvents(request, reply, (signal) => queue.events.follow(jobId, { after, signal }), {
      contentType: NDJSON,
      encode: ndjson,
      // Langflow cancels the build when its event stream's client goes away.
      onDisconnect: () => void queue.cancel(jobId, { waitMs: 0 }).catch(() => {}),
    });
  }

  app.post<{ Params: FlowIdParams; Querystring: BuildQuery; Body: BuildBody }>(
    '/api/v1/build/:flow_id/flow',
    { ...user, schema: { tags, params: FlowIdParams, querystring: BuildQuery, body: BuildBody } },
    async (request, reply) => {
      const caller = currentUser(request);
      const flow = await ctx.database.flows.getForUser(request.params.flow_id, caller.id);
      if (!flow) throw notFound('Flow not found');
      // The owner's unsaved graph (the editor sends it) runs instead of the stored one.
      const data = (request.body?.data as Record<string, unknown> | null | undefined) ?? null;
      const spec = buildSpec(flow.id, caller.id, request.query, request.body ?? null, data, { flowName: request.query.flow_name ?? flow.name });
      return start(request, reply, spec, request.query.event_delivery);
    },
  );

  app.post<{ Params: FlowIdParams; Querystring: BuildQuery; Body: BuildBody }>(
    '/api/v1/build_public_tmp/:flow_id/flow',
    { schema: { tags, params: FlowIdParams, querystring: BuildQuery, body: BuildBody } },
    async (request, reply) => {
      const clientId = cookie(request, 'client_id');
      if (!clientId) throw badRequest('No client_id cookie found');
      const flow = await ctx.database.flows.getById(request.params.flow_id);
      if (!flow) throw notFound('Flow not found');
      if (flow.access_type !== 'PUBLIC') throw forbidden('Flow is not public');
      // Langflow advisory: a public build runs the STORED flow; client-sent `data` is ignored.
      const runFlowId = uuid5(`${clientId}_${flow.id}`, NAMESPACE_DNS);
      const spec = buildSpec(flow.id, flow.user_id, request.query, request.body ?? null, null, { runFlowId, public: true, flowName: flow.name });
      return start(request, reply, spec, request.query.event_delivery);
    },
  );

  /** The job, if the caller may see it (its owner, or anyone for a public flow's build); else 404. */
  async function visibleJob(jobId: string, caller: UserRecord): Promise<JobInfo> {
    const job = await jobs().queue.status(jobId);
    if (!job || job.kind !== 'build' || (!job.public && job.userId !== caller.id)) throw jobNotFound(jobId);
    return job;
  }

  app.get<{ Params: Static<typeof JobIdParams>; Querystring: Static<typeof EventsQuery> }>(
    '/api/v1/build/:job_id/events',
    { ...user, schema: { tags, params: JobIdParams, querystring: EventsQuery } },
    async (request, reply) => {
      const job = await visibleJob(request.params.job_id, currentUser(request));
      const delivery = request.query.event_delivery ?? 'streaming';
      if (delivery !== 'polling') {
        const lastEventId = request.headers['last-event-id'];
        await streamJob(request, reply, job.id, typeof lastEventId === 'string' && lastEventId ? lastEventId : null);
        return reply;
      }
      // Polling: what is queued since the previous poll (waiting for at least one event).
      const { events } = jobs().queue;
      const cursor = await events.getCursor(job.id, 'polling');
      const controller = new AbortController();
      const onClose = () => controller.abort();
      request.raw.on('close', onClose);
      try {
        const batch = await events.waitForEvents(job.id, cursor, POLL_WAIT_MS, controller.signal);
        const end = batch.findIndex(isTerminal);
        const delivered = end >= 0 ? batch.slice(0, end + 1) : batch;
        if (delivered.length > 0) await events.setCursor(job.id, 'polling', delivered[delivered.length - 1].id);
        return reply.type(NDJSON).send(delivered.map(ndjson).join('\n'));
      } finally {
        request.raw.off('close', onClose);
      }
    },
  );

  app.post<{ Params: Static<typeof JobIdParams> }>(
    '/api/v1/build/:job_id/cancel',
    { ...user, schema: { tags, params: JobIdParams } },
    async (request) => {
      const job = await visibleJob(request.params.job_id, currentUser(request));
      let cancelled: boolean | null;
      try {
        cancelled = await jobs().queue.cancel(job.id, { waitMs: CANCEL_WAIT_MS });
      } catch (error) {
        if (hasCode(error, 'unavailable')) throw error;
        cancelled = false;
      }
      if (cancelled === null) throw jobNotFound(job.id);
      return cancelled
        ? { success: true, message: 'Flow build cancelled successfully' }
        : { success: false, message: 'Failed to cancel flow build' };
    },
  );
}

