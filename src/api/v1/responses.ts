import { disconnectSignal } from '../runs/stream.js';
import type { FastifyInstance } from 'fastify';
import type { FlowsAsToolsBackend } from '../../services/mcp/backend.js';
import type { ResponsesRequest } from '../../services/responses/format.js';
import { createResponse } from '../../services/responses/run.js';
import type { ApiContext } from '../context.js';
import { hookHeaders } from '../jobs.js';
import { flowsAsToolsFor, headersOf, queryOf } from './mcp-shared.js';

/**
 * `POST /api/v1/responses` (§F.3): an OpenAI Responses-style call whose `model` is a flow id or
 * endpoint name. API-key auth; errors come back as HTTP 200 `{"error": {...}}`.
 */
export async function responsesRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const { backend } = flowsAsToolsFor(app, ctx);
  app.post<{ Body: Partial<ResponsesRequest> }>('/api/v1/responses', async (request, reply) => {
    const user = await backend.apiKeyUser(headersOf(request), queryOf(request));
    const body = request.body ?? {};
    const missing = (['model', 'input'] as const).filter((field) => typeof body[field] !== 'string');
    if (missing.length > 0) {
      return reply.code(422).send({
        detail: missing.map((field) => ({ type: 'string_type', loc: ['body', field], msg: 'Input should be a valid string', input: body[field] ?? null })),
      });
    }
    const signal = disconnectSignal(request, reply);
    const headers = headersOf(request);
    const outcome = await createResponse(
      {
        findFlow: (model) => backend.findFlow(model, user.id),
        run: (flow, run) => backend.runFlow(flow as Parameters<FlowsAsToolsBackend['runFlow']>[0], user, { ...run, headers }),
      },
      body as ResponsesRequest,
      signal,
    );
    if (outcome.kind === 'json') return outcome.body;
    reply.hijack();
    // Cross-origin access is the CORS policy's decision (its hooks set the headers on the reply), not `*` as in Langflow.
    reply.raw.writeHead(200, {
      ...hookHeaders(reply),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    try {
      for await (const chunk of outcome.chunks) {
        if (signal.aborted) break;
        reply.raw.write(chunk);
      }
    } finally {
      reply.raw.end();
    }
  });
}
