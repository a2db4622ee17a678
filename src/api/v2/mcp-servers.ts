import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { withMcpClient } from '../../components/models_and_agents/mcp-tools.js';
import { guardedFetch } from '../../components/shared/guarded-fetch.js';
import type { UserRecord } from '../../services/database/index.js';
import { stdioCommandOf, stdioRefusal } from '../../services/mcp/stdio-policy.js';
import type { McpServerDocument } from '../../services/mcp/user-servers.js';
import { currentUser, type ApiContext } from '../context.js';
import { forbidden, notFound } from '../errors.js';
import { mcpServerConfig } from '../../services/runs/host.js';

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
  /** A Weft addition to Langflow's answer: the tools' names and descriptions (the settings page lists them). */
  tools?: { name: string; description?: string }[];
}

/**
 * `/api/v2/mcp/servers` (§A.13): the user's outgoing MCP server configs, used by MCP Tools through
 * `ctx.services.mcpServers`. Langflow's texts, not its statuses: POST of an existing name is 409
 * "Server already exists." and DELETE of a missing one 404 "Server not found." (Langflow answers 500
 * to both); GET of a missing one answers `null`.
 */
export async function mcpServerRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['MCP'];
  const user = { preHandler: ctx.auth.userPreHandler };
  const { mcpServers } = ctx.host;
  const allowedCommands = ctx.settings.mcpStdioCommands;
  // Server URLs are the user's choice: the SSRF guard of runs applies (loopback with AUTO_LOGIN only).
  const outboundFetch = guardedFetch({ allowedHosts: ctx.settings.allowedHosts, loopback: ctx.settings.autoLogin });
  /** Stdio servers run OS commands: only a superuser may save one, with an allow-listed command (a Weft deviation). */
  const checkStdio = (user: UserRecord, document: McpServerDocument): void => {
    const command = stdioCommandOf(document);
    const refusal = command === null ? null : stdioRefusal(user, command, allowedCommands);
    if (refusal) throw forbidden(refusal);
  };

  app.get<{ Querystring: Static<typeof ListQuery> }>('/api/v2/mcp/servers', { ...user, schema: { tags, querystring: ListQuery } }, async (request) => {
    const user = currentUser(request);
    if (!request.query.action_count) return (await mcpServers.names(user.id)).map((name): ServerInfo => ({ name, mode: null, toolsCount: null }));
    const servers = await mcpServers.list(user.id);
    return Promise.all(servers.map(({ name, config }) => countTools(name, config, (command) => stdioRefusal(user, command, allowedCommands), outboundFetch)));
  });

  app.get<{ Params: ServerParams }>('/api/v2/mcp/servers/:server_name', { ...user, schema: { tags, params: ServerParams } }, async (request) => {
    return (await mcpServers.get(currentUser(request).id, request.params.server_name)) ?? null;
  });

  app.post<{ Params: ServerParams; Body: McpServerDocument }>(
    '/api/v2/mcp/servers/:server_name',
    { ...user, schema: { tags, params: ServerParams, body: ServerConfig } },
    async (request) => {
      checkStdio(currentUser(request), request.body);
      // An existing name is McpServerExistsError, a conflict: 409 (Langflow answers 500).
      return mcpServers.add(currentUser(request).id, request.params.server_name, request.body);
    },
  );

  app.patch<{ Params: ServerParams; Body: McpServerDocument }>(
    '/api/v2/mcp/servers/:server_name',
    { ...user, schema: { tags, params: ServerParams, body: ServerConfig } },
    async (request) => {
      checkStdio(currentUser(request), request.body);
      return mcpServers.put(currentUser(request).id, request.params.server_name, request.body);
    },
  );

  app.delete<{ Params: ServerParams }>('/api/v2/mcp/servers/:server_name', { ...user, schema: { tags, params: ServerParams } }, async (request) => {
    if (!(await mcpServers.delete(currentUser(request).id, request.params.server_name))) throw notFound('Server not found.');
    return null;
  });
}

/**
 * Connects to one server and counts its tools; failures become the entry's `error`, never the response's.
 * A stdio server whose command `refusal` names is never started (saved before the policy, or its owner lost superuser).
 */
async function countTools(name: string, document: McpServerDocument, refusal: (command: string) => string | null, fetch: typeof globalThis.fetch): Promise<ServerInfo> {
  const info: ServerInfo = { name, mode: null, toolsCount: null };
  const config = mcpServerConfig(document);
  if (!config.command && !config.url) return { ...info, error: 'Configuration error: a server needs a command or a url' };
  const refused = config.command ? refusal(config.command) : null;
  if (refused) return { ...info, mode: 'stdio', error: refused };
  try {
    const signal = AbortSignal.timeout(TOOL_COUNT_TIMEOUT_MS);
    const tools = await withMcpClient(config, signal, async (client) => (await client.listTools(undefined, { signal })).tools, fetch);
    info.mode = config.command ? 'stdio' : (config.transport ?? '').toLowerCase() === 'sse' || (!config.transport && new URL(config.url!).pathname.endsWith('/sse')) ? 'sse' : 'streamable_http';
    info.toolsCount = tools.length;
    info.tools = tools.map((tool) => ({ name: tool.name, ...(tool.description ? { description: tool.description } : {}) }));
    if (tools.length === 0) info.error = 'No tools found';
  } catch (error) {
    info.error = error instanceof Error && error.name === 'TimeoutError' ? 'Timeout when checking server tools' : `Error loading server: ${error instanceof Error ? error.message : String(error)}`;
  }
  return info;
}
