import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toolScope } from '../../services/mcp/scopes.js';
import type { ApiContext } from '../context.js';
import type { FlowsAsTools } from '../flows-as-tools-backend.js';
import { sseSessionProblem } from '../../services/mcp/transports.js';
import { baseUrlOf, flowsAsToolsFor, headersOf, lazyMcpServer, queryOf, withAndWithoutSlash, hijackKeepingHeaders, rawBodyOf, withRawBodies } from './mcp-shared.js';

/**
 * The global MCP server (`/api/v1/mcp`): every flow of the authenticated user is a tool.
 * SSE at `/sse` (messages POSTed to `/`), Streamable HTTP at `/streamable`. With
 * `mcp_server_enabled` (the default) the same server is also mounted at `/api/mcp`, as Langflow does.
 */
export async function mcpRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tools = flowsAsToolsFor(app, ctx);
  mountGlobalServer(app, tools, '/api/v1/mcp');
  if (ctx.settings.mcpServerEnabled) mountGlobalServer(app, tools, '/api/mcp');
}

function mountGlobalServer(app: FastifyInstance, { backend, transports }: FlowsAsTools, prefix: string): void {
  const user = (request: FastifyRequest) => backend.mcpUser(headersOf(request), queryOf(request));
  // Sessions are shared between both mounts: one user, one global server.
  const owner = (userId: string) => `${userId}:global`;

  app.head(`${prefix}/sse`, async (_request, reply) => reply.code(200).send());
  app.get(`${prefix}/sse`, async (request, reply) => {
    const caller = await user(request);
    hijackKeepingHeaders(reply);
    const scope = toolScope(backend, caller, baseUrlOf(request));
    await transports.openSse(reply.raw, `${prefix}/`, owner(caller.id), lazyMcpServer(scope));
  });

  // Messages need the same credentials as the stream: a session id alone is no credential. A missing
  // or malformed session id is answered first (Langflow's message route checks it before anything).
  withRawBodies(app, (scope) => {
    scope.post(`${prefix}/`, async (request, reply) => {
      const problem = sseSessionProblem(request.raw);
      if (problem) return reply.code(problem.status).send({ detail: problem.detail });
      const caller = await user(request);
      hijackKeepingHeaders(reply);
      await transports.postSse(request.raw, reply.raw, rawBodyOf(request), owner(caller.id));
    });
  });

  const streamable = async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = await user(request);
    hijackKeepingHeaders(reply);
    const scope = toolScope(backend, caller, baseUrlOf(request));
    await transports.handleStreamable(request.raw, reply.raw, request.body, owner(caller.id), lazyMcpServer(scope));
  };
  app.head(`${prefix}/streamable`, async (_request, reply) => reply.code(200).send());
  for (const url of withAndWithoutSlash(app, `${prefix}/streamable`)) {
    app.route({ method: ['GET', 'POST', 'DELETE'], url, handler: streamable });
  }
}
