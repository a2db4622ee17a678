import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { pythonJson } from '../../engine/events.js';
import { Message } from '../../engine/schema/message.js';
import { asFlowJson } from '../../services/runs/host.js';
import { VertexBuildSessions } from '../../services/runs/vertex-builds.js';
import { currentUser, type ApiContext } from '../context.js';
import { badRequest, notFound } from '../errors.js';
import { FlowIdParams, Uuid } from '../schemas.js';

const NullableString = Type.Union([Type.String(), Type.Null()]);
const OrderQuery = Type.Object({ stop_component_id: Type.Optional(NullableString), start_component_id: Type.Optional(NullableString) });
const OrderBody = Type.Union([
  Type.Object(
    { data: Type.Optional(Type.Union([Type.Object({ nodes: Type.Array(Type.Unknown()), edges: Type.Array(Type.Unknown()) }, { additionalProperties: true }), Type.Null()])) },
    { additionalProperties: true },
  ),
  Type.Null(),
]);
const VertexParams = Type.Object({ flow_id: Uuid, vertex_id: Type.String() });
const VertexBody = Type.Union([
  Type.Object(
    {
      inputs: Type.Optional(Type.Union([Type.Object({ input_value: Type.Optional(NullableString) }, { additionalProperties: true }), Type.Null()])),
      files: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
    },
    { additionalProperties: true },
  ),
  Type.Null(),
]);

/** Langflow's StreamData framing: an SSE event whose data is the JSON object. */
const sse = (event: string, data: Record<string, unknown>) => `event: ${event}\ndata: ${pythonJson(data)}\n\n`;

/**
 * Langflow's deprecated vertex-by-vertex build API, which older clients still call: get the first layer
 * and a run id, build each vertex following `next_vertices_ids`, stream a built vertex's text.
 * Registered inside the build plugin so it shares its lenient JSON parser (bodiless posts).
 */
export async function buildVertexRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Chat'];
  const user = { preHandler: ctx.auth.userPreHandler };
  const sessions = new VertexBuildSessions(ctx.host);

  async function ownedFlow(flowId: string, userId: string) {
    const flow = await ctx.database.flows.getForUser(flowId, userId);
    if (!flow) throw notFound('Flow not found');
    return flow;
  }

  app.post<{ Params: FlowIdParams; Querystring: Static<typeof OrderQuery>; Body: Static<typeof OrderBody> }>(
    '/api/v1/build/:flow_id/vertices',
    { ...user, schema: { tags, hide: true, params: FlowIdParams, querystring: OrderQuery, body: OrderBody } },
    async (request) => {
      const caller = currentUser(request);
      const { start_component_id: start, stop_component_id: stop } = request.query;
      if (start && stop) throw badRequest('You can only provide one of start_component_id or stop_component_id');
      const stored = asFlowJson(await ownedFlow(request.params.flow_id, caller.id));
      const data = request.body?.data;
      const flow = data ? { ...stored, data: data as unknown as typeof stored.data } : stored;
      return sessions.prepare(flow, caller.id, { startComponentId: start ?? undefined, stopComponentId: stop ?? undefined });
    },
  );

  app.post<{ Params: Static<typeof VertexParams>; Body: Static<typeof VertexBody> }>(
    '/api/v1/build/:flow_id/vertices/:vertex_id',
    { ...user, schema: { tags, hide: true, params: VertexParams, body: VertexBody } },
    async (request) => {
      const caller = currentUser(request);
      const flow = asFlowJson(await ownedFlow(request.params.flow_id, caller.id));
      const inputValue = request.body?.inputs?.input_value ?? null;
      return sessions.build(flow, caller.id, request.params.vertex_id, inputValue);
    },
  );

  app.get<{ Params: Static<typeof VertexParams> }>(
    '/api/v1/build/:flow_id/:vertex_id/stream',
    { ...user, schema: { tags, hide: true, params: VertexParams } },
    async (request, reply) => {
      const caller = currentUser(request);
      const { flow_id: flowId, vertex_id: vertexId } = request.params;
      await ownedFlow(flowId, caller.id);
      reply.raw.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' });
      for await (const chunk of vertexStream(sessions, caller.id, flowId, vertexId)) reply.raw.write(chunk);
      reply.raw.end();
      return reply;
    },
  );
}

/** What Langflow's `_stream_vertex` sends: the vertex's text (streamed if it still streams), errors as events, then close. */
async function* vertexStream(sessions: VertexBuildSessions, userId: string, flowId: string, vertexId: string): AsyncGenerator<string> {
  const run = sessions.runOf(userId, flowId);
  if (!run) {
    yield sse('error', { error: `No cache found for ${flowId}.` });
  } else if (!run.graph.vertices.has(vertexId)) {
    yield sse('error', { error: `Vertex ${vertexId} not found` });
  } else {
    const build = run.vertexBuild(vertexId);
    const message = build && Object.values(build.values).find((value) => value instanceof Message);
    if (!build) {
      yield sse('error', { error: `No result found for vertex ${vertexId}` });
    } else {
      yield sse('message', { message: `Streaming vertex ${vertexId}` });
      try {
        // A model reply still streaming is read to its end here (Langflow's `vertex.stream()`).
        const text = message ? await message.drain() : pythonJson(Object.values(build.values)[0] ?? null);
        yield sse('message', { chunk: text });
      } catch (error) {
        yield sse('error', { error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
  yield sse('close', { message: 'Stream closed' });
}
