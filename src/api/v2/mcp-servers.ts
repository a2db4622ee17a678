import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { withMcpClient } from '../../components/models_and_agents/mcp-tools.js';
import { McpServerExistsError, type McpServerDocument } from '../../services/mcp/user-servers.js';
import { currentUser, type ApiContext } from '../context.js';
import { HttpError } from '../errors.js';
import { hostServicesOf, mcpServerConfig } from '../host-services.js';

const ServerParams = Type.Object({ server_name: Type.String() });
type ServerParams = Static<typeof ServerParams>;
const ListQuery = Type.Object({ action_count: Type.Optional(Type.Boolean()) });
const ServerConfig = Type.Record(Type.String(), Type.Unknown());

/** How long `?action_count=true` waits for one server's tool list. */
const TOOL_COUNT_TIMEOUT_MS = 15_000;

interface ServerInfo {
  name: string;
  mode: string | null;
  toolsCount: number | null;
  error?: string;
}

/**
 * `/api/v2/mcp/servers` (§A.13): the user's outgoing MCP server configs, used by MCP Tools through
 * `ctx.services.mcpServers`. Langflow's texts: POST of an existing name and DELETE of a missing one
 * answer 500 "Server already exists." / "Server not found."; GET of a missing one answers `null`.
 */
export async function mcpServerRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['MCP'];
  const user = { preHandler: ctx.auth.userPreHandler };
  const { mcpServers } = hostServicesOf(ctx);

  app.get<{ Querystring: Static<typeof ListQuery> }>('/api/v2/mcp/servers', { ...user, schema: { tags, querystring: ListQuery } }, async (request) => {
    const userId = currentUser(request).id;
    if (!request.query.action_count) return (await mcpServers.names(userId)).map((name): ServerInfo => ({ name, mode: null, toolsCount: null }));
    const servers = await mcpServers.list(userId);
    return Promise.all(servers.map(({ name, config }) => countTools(name, config)));
  });

  app.get<{ Params: ServerParams }>('/api/v2/mcp/servers/:server_name', { ...user, schema: { tags, params: ServerParams } }, async (request) => {
    return (await mcpServers.get(currentUser(request).id, request.params.server_name)) ?? null;
  });

  app.post<{ Params: ServerParams; Body: McpServerDocument }>(
    '/api/v2/mcp/servers/:server_name',
    { ...user, schema: { tags, params: ServerParams, body: ServerConfig } },
    async (request) => {
      try {
        return await mcpServers.add(currentUser(request).id, request.params.server_name, request.body);
      } catch (error) {
        if (error instanceof McpServerExistsError) throw new HttpError(500, error.message);
        throw error;
      }
    },
  );

  app.patch<{ Params: ServerParams; Body: McpServerDocument }>(
    '/api/v2/mcp/servers/:server_name',
    { ...user, schema: { tags, params: ServerParams, body: ServerConfig } },
    async (request) => mcpServers.put(currentUser(request).id, request.params.server_name, request.body),
  );

  app.delete<{ Params: ServerParams }>('/api/v2/mcp/servers/:server_name', { ...user, schema: { tags, params: ServerParams } }, async (request) => {
    if (!(await mcpServers.delete(currentUser(request).id, request.params.server_name))) throw new HttpError(500, 'Server not found.');
    return null;
  });
}

/** Connects to one server and counts its tools; failures become the entry's `error`, never the response's. */
async function countTools(name: string, document: McpServerDocument): Promise<ServerInfo> {
  const info: ServerInfo = { name, mode: null, toolsCount: null };
  const config = mcpServerConfig(document);
  if (!config.command && !config.url) return { ...info, error: 'Configuration error: a server needs a command or a url' };
  try {
    const signal = AbortSignal.timeout(TOOL_COUNT_TIMEOUT_MS);
    const tools = await withMcpClient(config, signal, async (client) => (await client.listTools(undefined, { signal })).tools);
    info.mode = config.command ? 'stdio' : (config.transport ?? '').toLowerCase() === 'sse' || (!config.transport && new URL(config.url!).pathname.endsWith('/sse')) ? 'sse' : 'streamable_http';
    info.toolsCount = tools.length;
    if (tools.length === 0) info.error = 'No tools found';
  } catch (error) {
    info.error = error instanceof Error && error.name === 'TimeoutError' ? 'Timeout when checking server tools' : `Error loading server: ${error instanceof Error ? error.message : String(error)}`;
  }
  return info;
}
