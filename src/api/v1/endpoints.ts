import { parseUntrustedJson, UnsafeKeyError } from '../../engine/safe-json.js';
import { advancedRequestErrors } from '../runs/advanced-request.js';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { hasCode } from '../../engine/errors.js';
import { type EngineEvent, type FlowRun, type ResultData, type RunResponse } from '../../engine/index.js';
import { isFlowIdLike, type FlowRecord, type UserRecord } from '../../services/database/index.js';
import { asFlowJson, type FlowRunRequest } from '../../services/runs/host.js';
import { requestVariablesFromHeaders } from '../../services/variables/index.js';
import { currentUser, type ApiContext } from '../context.js';
import { badRequest, forbidden, HttpError, notFound, statusOf, validationError } from '../errors.js';
import { presentedApiKey } from '../auth.js';
import { AuthError } from '../../services/auth/index.js';
import { nestingProblem } from '../body-parsing.js';
import { jobsOf } from '../jobs.js';
import { componentPalette } from '../palette.js';
import { CUSTOM_CATEGORY } from '../../components/custom/custom-component.js';
import { customPalette } from './custom-components.js';
import { checkInputTweakClash, parseSimplifiedRequest, refuseUnstorableText } from '../runs/run-request.js';
import { disconnectSignal, streamEvents } from '../runs/stream.js';
import { uncheckedBodyValidatorCompiler } from '../request-validation.js';

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
  // /run and /webhook read the raw body themselves (lenient parsing; any webhook payload), but never
  // one nested deeper than the app's limit: the handlers and the engine walk it recursively.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => {
    const tooDeep = nestingProblem(body as string);
    done(tooDeep, tooDeep ? undefined : body);
  });
  // The body is parsed leniently by the handler (parseSimplifiedRequest); the query is checked.
  const documentOnly = { validatorCompiler: uncheckedBodyValidatorCompiler() };
  const log = (message: string, error: unknown) => app.log.error({ err: error }, message);

  const missing = (idOrName: string) => notFound(`Flow identifier ${idOrName} not found`);

  /**
   * `get_flow_by_id_or_endpoint_name` for a caller: a flow id is found before any auth (404 first, as
   * Langflow); an endpoint name only among the caller's own flows (endpoint names are unique per
   * user, so another user's flow of the same name is never picked).
   */
  async function callersFlow(idOrName: string, caller: () => Promise<UserRecord>): Promise<{ flow: FlowRecord; user: UserRecord }> {
    if (isFlowIdLike(idOrName)) {
      // Run-only callers: the flow's parse is shared with the other runs of its stored version.
      const flow = await ctx.database.flows.getByIdOrEndpointName(idOrName, undefined, 'shared-read-only');
      if (!flow) throw missing(idOrName);
      return { flow, user: await caller() };
    }
    // A name no flow has is 404 before auth, as Langflow answers.
    if ((await ctx.database.flows.listByEndpointName(idOrName, 1)).length === 0) throw missing(idOrName);
    const user = await caller();
    const flow = await ctx.database.flows.getByIdOrEndpointName(idOrName, user.id, 'shared-read-only');
    if (!flow) throw missing(idOrName);
    return { flow, user };
  }

  app.post<{ Params: FlowIdOrName; Querystring: Static<typeof StreamQuery>; Body: string }>(
    '/api/v1/run/:flow_id_or_name',
    { schema: { tags, params: FlowIdOrName, querystring: StreamQuery, body: SimplifiedAPIRequest, security: [{ 'API key header': [] }, { 'API key query': [] }] }, ...documentOnly },
    async (request, reply) => {
      const { flow, user } = await callersFlow(request.params.flow_id_or_name, () => ctx.auth.requireApiKeyUser(request));
      // Another user's flow is "not found", as Langflow's user-scoped lookup answers since its fix of
      // issue #10202: a 403 would tell the caller that the id exists.
      if (flow.user_id !== user.id) throw missing(request.params.flow_id_or_name);
      const body = parseSimplifiedRequest(typeof request.body === 'string' ? request.body : undefined);
      checkInputTweakClash(body);
      refuseUnstorableText(body, ctx.database.dialect !== 'postgres');
      const signal = disconnectSignal(request, reply);
      const runRequest: FlowRunRequest = {
        flow: asFlowJson(flow),
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
      const events = ctx.host.recordedEvents(run);
      if (request.query.stream) return streamEvents(reply, events, RUN_STREAM_EVENTS, signal);
      return finalResult(run, events);
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
            flow: asFlowJson(flow), userId: user.id, signal, requestVariables,
            inputValue: input.input_value ?? null,
            inputType: input.type ?? 'any',
            inputComponents: input.components ?? [],
            outputType: body.outputs && body.outputs.length > 0 ? 'debug' : 'any',
            tweaks: body.tweaks ?? null,
            sessionId,
          });
          const result = await finalResult(run, ctx.host.recordedEvents(run));
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
    {
      // The payload is stored with the run (builds, transactions, messages): bounded before it is read.
      bodyLimit: ctx.settings.webhookMaxPayloadBytes,
      schema: { tags, params: FlowIdOrName, response: { 202: Type.Object({ message: Type.String(), status: Type.String() }) } },
    },
    async (request, reply) => {
      const { flow, owner } = await webhookTarget(request, request.params.flow_id_or_name);
      const payload = typeof request.body === 'string' ? request.body : '';
      // Langflow refuses an empty body; a JSON `null` carries nothing either and is refused the same way.
      if (payload === '' || payload.trim() === 'null') throw badRequest('Request body is empty. You should provide a JSON payload containing the flow ID.');
      refuseUnsafeKeys(payload);
      const webhookIds = webhookVertexIds(flow);
      if (webhookIds.length === 0) throw badRequest('Flow does not have a webhook component');
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

  /**
   * The flow a webhook runs and the user it runs as. WEBHOOK_AUTH_ENABLE on: an API key of the
   * owner, and an endpoint name is looked up among the key owner's flows only. Off: no credentials,
   * the flow owner; an endpoint name must then name exactly one flow of all users, else it is
   * refused (409), so nobody captures another user's webhook by taking the same name.
   */
  async function webhookTarget(request: FastifyRequest, idOrName: string): Promise<{ flow: FlowRecord; owner: UserRecord }> {
    if (ctx.settings.webhookAuthEnable) {
      const { flow, user } = await callersFlow(idOrName, () => webhookKeyUser(request));
      if (user.id !== flow.user_id) throw forbidden('Access denied: You can only execute webhooks for flows you own');
      return { flow, owner: user };
    }
    const flow = isFlowIdLike(idOrName) ? await ctx.database.flows.getByIdOrEndpointName(idOrName) : await onlyFlowNamed(idOrName);
    if (!flow) throw missing(idOrName);
    const owner = flow.user_id ? await ctx.database.users.getById(flow.user_id) : undefined;
    if (!owner) throw notFound('Flow owner not found');
    return { flow, owner };
  }

  async function onlyFlowNamed(endpointName: string): Promise<FlowRecord | undefined> {
    const named = await ctx.database.flows.listByEndpointName(endpointName, 2);
    if (named.length > 1) {
      throw new HttpError(409, `Endpoint name ${endpointName} is used by more than one user's flow; call this webhook by its flow id`);
    }
    return named[0];
  }

  async function webhookKeyUser(request: FastifyRequest): Promise<UserRecord> {
    const key = presentedApiKey(request);
    if (!key) throw forbidden('API key required when webhook authentication is enabled');
    let user: UserRecord;
    try {
      user = await ctx.auth.userFromApiKey(key);
    } catch {
      throw forbidden('Invalid API key');
    }
    return user;
  }

  function startRun(request: FlowRunRequest) {
    try {
      return ctx.host.createFlowRun(request);
    } catch (error) {
      // The flow cannot be loaded (missing component, bad edge): Langflow answers 500 here too.
      throw new HttpError(statusOf(error), error instanceof Error ? error.message : String(error));
    }
  }

  app.get('/api/v1/version', { schema: { tags } }, async () => ({ version: WEFT_VERSION, main_version: WEFT_VERSION, package: 'Langflow' }));

  // Langflow's `get_optional_user`: signed-in callers get the whole config, anyone else the public part.
  app.get('/api/v1/config', { schema: { tags } }, async (request) => {
    const user = await ctx.auth.requireUser(request).catch((error: unknown) => {
      if (error instanceof AuthError) return null;
      throw error;
    });
    return user ? configResponse(ctx) : publicConfig(configResponse(ctx));
  });

  app.get('/api/v1/all', { schema: { tags }, preHandler: ctx.auth.userPreHandler }, async (request) => {
    const palette = componentPalette(ctx.registry.all());
    // The caller's own Weft custom components (saved components), under "Custom".
    const custom = await customPalette(ctx, currentUser(request).id);
    if (Object.keys(custom).length > 0) palette[CUSTOM_CATEGORY] = { ...palette[CUSTOM_CATEGORY], ...custom };
    return palette;
  });

  // /api/v1/custom_component and /custom_component/update: custom-components.ts.

  for (const name of ['process', 'predict']) {
    app.post(`/api/v1/${name}/:flow_id`, { schema: { tags, deprecated: true } }, async () => {
      throw badRequest(`The /${name} endpoint is deprecated and will be removed in a future version. Please use /run instead.`);
    });
  }
  app.get('/api/v1/task/:task_id', { schema: { tags, deprecated: true } }, async () => {
    throw badRequest('The /task endpoint is deprecated and will be removed in a future version. Please use /run instead.');
  });
}

/** Drives a non-streaming run to its RunResponse; a failure becomes Langflow's 500 (404 when the flow names a missing vertex). */
async function finalResult(run: FlowRun, events: AsyncIterable<EngineEvent>): Promise<RunResponse> {
  for await (const event of events) {
    if (event.event === 'end') return event.data.result as RunResponse;
    if (event.event === 'error') {
      const message = String(event.data.error ?? 'The run failed');
      if (hasCode(run.error, 'not_found') && !event.data.component_id) throw notFound(message);
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
  let parsed: unknown;
  try {
    parsed = parseUntrustedJson(raw);
  } catch (error) {
    if (error instanceof UnsafeKeyError) throw error;
    throw new HttpError(422, [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {} }]);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
  const errors = advancedRequestErrors(parsed as Record<string, unknown>);
  if (errors.length > 0) throw validationError(errors);
  return parsed as AdvancedRequest;
}

/** A webhook payload is any text; when it is JSON, a `__proto__` / `constructor.prototype` key is refused (422). */
function refuseUnsafeKeys(payload: string): void {
  try {
    parseUntrustedJson(payload);
  } catch (error) {
    if (error instanceof UnsafeKeyError) throw error;
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

/** What `/config` tells a caller who is not signed in (the login page needs these before any login). */
const PUBLIC_CONFIG_FIELDS = ['max_file_size_upload', 'event_delivery', 'voice_mode_available', 'frontend_timeout'] as const;

function publicConfig(config: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(PUBLIC_CONFIG_FIELDS.map((name) => [name, config[name]]));
}

function configResponse(ctx: ApiContext): Record<string, unknown> {
  const settings = ctx.settings;
  return {
    feature_flags: { mvp_components: false },
    serialization_max_items_length: settings.runRecords.maxItemsLength,
    serialization_max_text_length: settings.runRecords.maxTextLength,
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

