import type { FastifyInstance } from 'fastify';
import type { FlowsAsToolsBackend } from '../../services/mcp/backend.js';
import type { ResponsesRequest } from '../../services/responses/format.js';
import { createResponse } from '../../services/responses/run.js';
import type { ApiContext } from '../context.js';
import { flowsAsToolsFor, headersOf, queryOf, sendProblem } from './mcp-shared.js';

/**
 * `POST /api/v1/responses` (§F.3): an OpenAI Responses-style call whose `model` is a flow id or
 * endpoint name. API-key auth; errors come back as HTTP 200 `{"error": {...}}`.
 */
export async function responsesRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const { backend } = flowsAsToolsFor(app, ctx);
  app.post<{ Body: Partial<ResponsesRequest> }>('/api/v1/responses', async (request, reply) => {
    let user;
    try {
      user = await backend.apiKeyUser(headersOf(request), queryOf(request));
    } catch (error) {
      return sendProblem(reply, error);
    }
    const body = request.body ?? {};
    const missing = (['model', 'input'] as const).filter((field) => typeof body[field] !== 'string');
    if (missing.length > 0) {
      return reply.code(422).send({
        detail: missing.map((field) => ({ type: 'string_type', loc: ['body', field], msg: 'Input should be a valid string', input: body[field] ?? null })),
      });
    }
    const abort = new AbortController();
    reply.raw.on('close', () => {
      if (!reply.raw.writableFinished) abort.abort();
    });
    const headers = headersOf(request);
    const outcome = await createResponse(
      {
        findFlow: (model) => backend.findFlow(model, user.id),
        run: (flow, run) => backend.runFlow(flow as Parameters<FlowsAsToolsBackend['runFlow']>[0], user, { ...run, headers }),
      },
      body as ResponsesRequest,
      abort.signal,
    );
    if (outcome.kind === 'json') return outcome.body;
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'access-control-allow-origin': '*',
    });
    try {
      for await (const chunk of outcome.chunks) {
        if (abort.signal.aborted) break;
        reply.raw.write(chunk);
      }
    } finally {
      reply.raw.end();
    }
  });
}
