import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type EngineEvent, type ResultData, type RunResponse } from '../../engine/index.js';
import type { FlowRecord, UserRecord } from '../../services/database/index.js';
import { requestVariablesFromHeaders } from '../../services/variables/index.js';
import { currentUser, type ApiContext } from '../context.js';
import { badRequest, forbidden, HttpError, notFound } from '../errors.js';
import { presentedApiKey } from '../auth.js';
import { jobsOf } from '../jobs.js';
import { componentPalette } from '../palette.js';
import { createFlowRun, recordedEvents, type FlowRunRequest } from '../runs/flow-runs.js';
import { checkInputTweakClash, parseSimplifiedRequest } from '../runs/run-request.js';
import { disconnectSignal, streamEvents } from '../runs/stream.js';

export const WEFT_VERSION = '1.8.0';
const RUN_STREAM_EVENTS = new Set(['add_message', 'token', 'end', 'error']);
const FlowIdOrName = Type.Object({ flow_id_or_name: Type.String() });
type FlowIdOrName = Static<typeof FlowIdOrName>;
const StreamQuery = Type.Object({ stream: Type.Boolean({ default: false }), user_id: Type.Optional(Type.String()) });

/** Documented body of /run, for OpenAPI only: the handler parses leniently (see parseSimplifiedRequest). */
const SimplifiedAPIRequest = Type.Object({
  input_value: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  input_type: Type.Optional(Type.Union([Type.Literal('chat'), Type.Literal('text'), Type.Literal('any')])),
  output_type: Type.Optional(Type.Union([Type.Literal('chat'), Type.Literal('text'), Type.Literal('any'), Type.Literal('debug')])),
  output_component: Type.Optional(Type.String()),
  tweaks: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
  session_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
const AdvancedRequest = Type.Object({
  inputs: Type.Optional(Type.Union([Type.Array(Type.Object({
    components: Type.Optional(Type.Array(Type.String())),
    input_value: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    session: Type.Optional(Type.Union([Type.String(), Type.Null()])),
    type: Type.Optional(Type.Union([Type.Literal('chat'), Type.Literal('text'), Type.Literal('any')])),
  })), Type.Null()])),
  outputs: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
  tweaks: Type.Optional(Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()])),
  stream: Type.Optional(Type.Boolean()),
  session_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
type AdvancedRequest = Static<typeof AdvancedRequest>;

/** `/api/v1` base routes: run, advanced run, webhook, version, config, the component palette. */
export async function endpointRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Base'];
  // /run and /webhook read the raw body themselves (lenient parsing; any webhook payload).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  const documentOnly = { validatorCompiler: () => () => true };
  const log = (message: string, error: unknown) => app.log.error({ err: error }, message);

  /** `get_flow_by_id_or_endpoint_name`: 404 before any auth. */
  async function flowByIdOrName(idOrName: string): Promise<FlowRecord> {
    const flow = await ctx.database.flows.getByIdOrEndpointName(idOrName);
    if (!flow) throw notFound(`Flow identifier ${idOrName} not found`);
    return flow;
  }

  app.post<{ Params: FlowIdOrName; Querystring: Static<typeof StreamQuery>; Body: string }>(
    '/api/v1/run/:flow_id_or_name',
    { schema: { tags, params: FlowIdOrName, querystring: StreamQuery, body: SimplifiedAPIRequest, security: [{ 'API key header': [] }, { 'API key query': [] }] }, ...documentOnly },
    async (request, reply) => {
      const flow = await flowByIdOrName(request.params.flow_id_or_name);
      const user = await ctx.auth.requireApiKeyUser(request);
      if (flow.user_id !== user.id) throw forbidden('You do not have permission to run this flow');
      const body = parseSimplifiedRequest(typeof request.body === 'string' ? request.body : undefined);
      checkInputTweakClash(body);
      const signal = disconnectSignal(request, reply);
      const runRequest: FlowRunRequest = {
        flow,
        userId: user.id,
        inputValue: body.input_value,
        inputType: body.input_type,
        outputType: body.output_type,
        outputComponent: body.output_component,
        tweaks: body.tweaks,
        sessionId: body.session_id,
        stream: request.query.stream,
        signal,
        requestVariables: requestVariablesFromHeaders(request.headers),
      };
      const run = startRun(runRequest);
      const events = recordedEvents(ctx, run, log);
      if (request.query.stream) return streamEvents(reply, events, RUN_STREAM_EVENTS, signal);
      return finalResult(events);
    },
  );

  app.post<{ Params: FlowIdOrName; Body: string }>(
    '/api/v1/run/advanced/:flow_id_or_name',
    { schema: { tags, params: FlowIdOrName, body: AdvancedRequest }, ...documentOnly },
    async (request, reply) => {
      const user = await ctx.auth.requireApiKeyUser(request);
      const flow = await ctx.database.flows.getByIdOrEndpointName(request.params.flow_id_or_name, user.id);
      if (!flow || flow.user_id !== user.id) throw notFound(`Flow identifier ${request.params.flow_id_or_name} not found`);
      const body = parseAdvancedBody(request.body);
      const signal = disconnectSignal(request, reply);
      const requestVariables = requestVariablesFromHeaders(request.headers);
      const inputs = body.inputs && body.inputs.length > 0 ? body.inputs : [{ components: [], input_value: null, type: 'chat' as const }];
      let sessionId: string | null = body.session_id ?? null;
      const collected: RunResponse['outputs'] = [];
      try {
        for (const input of inputs) {
          const run = startRun({
            flow, userId: user.id, signal, requestVariables,
            inputValue: input.input_value ?? null,
            inputType: input.type ?? 'any',
            inputComponents: input.components ?? [],
            outputType: body.outputs && body.outputs.length > 0 ? 'debug' : 'any',
            tweaks: body.tweaks ?? null,
            sessionId,
          });
          const result = await finalResult(recordedEvents(ctx, run, log));
          const outputs = result.outputs.map((entry) => ({ ...entry, outputs: selectOutputs(entry.outputs, body.outputs ?? []) }));
          sessionId = result.session_id;
          collected.push(...outputs);
        }
      } catch (error) {
        if (error instanceof HttpError && error.statusCode !== 500) throw error;
        throw new HttpError(500, error instanceof HttpError ? runErrorMessage(error) : error instanceof Error ? error.message : String(error));
      }
      return { session_id: sessionId, outputs: collected };
    },
  );

  app.post<{ Params: FlowIdOrName; Body: string }>(
    '/api/v1/webhook/:flow_id_or_name',
    { schema: { tags, params: FlowIdOrName, response: { 202: Type.Object({ message: Type.String(), status: Type.String() }) } } },
    async (request, reply) => {
      const flow = await flowByIdOrName(request.params.flow_id_or_name);
      const owner = await webhookCaller(request, flow);
      const payload = typeof request.body === 'string' ? request.body : '';
      if (payload === '') throw badRequest('Request body is empty. You should provide a JSON payload containing the flow ID.');
      const webhookIds = webhookVertexIds(flow);
      const tweaks = Object.fromEntries(webhookIds.map((id) => [id, { data: payload }]));
      // The run goes to the job queue (in-process, or a Redis worker of any replica). Errors during
      // the run are only logged and recorded as failed builds, as in Langflow.
      const jobs = jobsOf(ctx);
      const job = await jobs.queue.submit({
        kind: 'webhook',
        flowId: flow.id,
        userId: owner.id,
        inputs: { inputValue: '', inputType: 'chat', outputType: 'chat', tweaks },
        options: { startComponentId: webhookIds[0] ?? null },
      });
      if (jobs.queue.mode === 'in-process') {
        // Tracked so `ctx.background.idle()` (tests, shutdown) waits for in-process webhook runs.
        ctx.background.start(`webhook ${flow.id}`, async () => {
          const done = await jobs.queue.waitUntilFinished(job.id, 86_400_000);
          if (done?.status === 'failed') log(`webhook run of flow ${flow.id} failed: ${done.error}`, null);
        });
      }
      return reply.code(202).send({ message: 'Task started in the background', status: 'in progress' });
    },
  );

  /** WEBHOOK_AUTH_ENABLE off: the flow owner, no credentials. On: an API key of the owner. */
  async function webhookCaller(request: FastifyRequest, flow: FlowRecord): Promise<UserRecord> {
    if (!ctx.settings.webhookAuthEnable) {
      const owner = flow.user_id ? await ctx.database.users.getById(flow.user_id) : undefined;
      if (!owner) throw notFound('Flow owner not found');
      return owner;
    }
    const key = presentedApiKey(request);
    if (!key) throw forbidden('API key required when webhook authentication is enabled');
    let user: UserRecord;
    try {
      user = await ctx.auth.userFromApiKey(key);
    } catch {
      throw forbidden('Invalid API key');
    }
    if (user.id !== flow.user_id) throw forbidden('Access denied: You can only execute webhooks for flows you own');
    return user;
  }

  function startRun(request: FlowRunRequest) {
    try {
      return createFlowRun(ctx, request);
    } catch (error) {
      // The flow cannot be loaded (missing component, bad edge): Langflow answers 500 here too.
      const message = error instanceof Error ? error.message : String(error);
      throw new HttpError(message.toLowerCase().includes('not found') ? 404 : 500, message);
    }
  }

  app.get('/api/v1/version', { schema: { tags } }, async () => ({ version: WEFT_VERSION, main_version: WEFT_VERSION, package: 'Langflow' }));

  app.get('/api/v1/config', { schema: { tags }, preHandler: ctx.auth.userPreHandler }, async () => configResponse(ctx));

  app.get('/api/v1/all', { schema: { tags }, preHandler: ctx.auth.userPreHandler }, async () => componentPalette(ctx.registry.all()));

  const notSupported = 'Custom Python components are not supported by Weft: it never executes user code.';
  app.post('/api/v1/custom_component', { schema: { tags }, preHandler: ctx.auth.userPreHandler }, async (request) => {
    currentUser(request);
    throw badRequest(notSupported);
  });
  app.post('/api/v1/custom_component/update', { schema: { tags }, preHandler: ctx.auth.userPreHandler }, async () => {
    throw badRequest(notSupported);
  });

  for (const name of ['process', 'predict']) {
    app.post(`/api/v1/${name}/:flow_id`, { schema: { tags, deprecated: true } }, async () => {
      throw badRequest(`The /${name} endpoint is deprecated and will be removed in a future version. Please use /run instead.`);
    });
  }
  app.get('/api/v1/task/:task_id', { schema: { tags, deprecated: true } }, async () => {
    throw badRequest('The /task endpoint is deprecated and will be removed in a future version. Please use /run instead.');
  });
}

/** Drives a non-streaming run to its RunResponse; a failure becomes Langflow's 500 (404 for "not found"). */
async function finalResult(events: AsyncIterable<EngineEvent>): Promise<RunResponse> {
  for await (const event of events) {
    if (event.event === 'end') return event.data.result as RunResponse;
    if (event.event === 'error') {
      const message = String(event.data.error ?? 'The run failed');
      if (message.toLowerCase().includes('not found') && !event.data.component_id) throw notFound(message);
      throw new HttpError(500, JSON.stringify({ message, component_id: event.data.component_id ?? null, component_display_name: event.data.component_display_name ?? null }), {});
    }
  }
  throw new HttpError(500, 'The run ended without a result');
}

function runErrorMessage(error: HttpError): string {
  try {
    const parsed = JSON.parse(String(error.detail)) as { message?: string };
    return parsed.message ?? String(error.detail);
  } catch {
    return String(error.detail);
  }
}

function parseAdvancedBody(raw: unknown): AdvancedRequest {
  if (typeof raw !== 'string' || raw.trim() === '') return {};
  try {
    const parsed: unknown = JSON.parse(raw);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as AdvancedRequest) : {};
  } catch {
    throw new HttpError(422, [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} }]);
  }
}

function selectOutputs(results: ResultData[], wanted: string[]): ResultData[] {
  if (wanted.length === 0) return results;
  return results.filter((r) => wanted.includes(r.component_id) || wanted.includes(r.component_display_name));
}

function webhookVertexIds(flow: FlowRecord): string[] {
  const nodes = (flow.data?.nodes ?? []) as { id?: string; data?: { type?: string } }[];
  return nodes.filter((n) => typeof n.id === 'string' && (n.id.includes('Webhook') || n.data?.type === 'Webhook')).map((n) => n.id as string);
}

function configResponse(ctx: ApiContext): Record<string, unknown> {
  const settings = ctx.settings;
  return {
    feature_flags: { mvp_components: false },
    serialization_max_items_length: 1000,
    serialization_max_text_length: 20000,
    frontend_timeout: 0,
    auto_saving: true,
    auto_saving_interval: 1000,
    health_check_max_retries: 5,
    max_file_size_upload: settings.maxFileSizeUpload,
    webhook_polling_interval: 5000,
    public_flow_cleanup_interval: 3600,
    public_flow_expiration: 86400,
    event_delivery: settings.eventDelivery,
    webhook_auth_enable: settings.webhookAuthEnable,
    voice_mode_available: false,
    default_folder_name: settings.defaultFolderName,
    hide_getting_started_progress: false,
  };
}

