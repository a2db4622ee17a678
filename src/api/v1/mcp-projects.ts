import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../engine/errors.js';
import { installMcpConfig, installedClients, projectServerName, projectUrls } from '../../services/mcp/install.js';
import { sanitizeMcpName } from '../../services/mcp/naming.js';
import { authenticateProject, toolScope } from '../../services/mcp/scopes.js';
import type { ApiContext } from '../context.js';
import { Uuid } from '../schemas.js';
import { baseUrlOf, flowsAsToolsFor, headersOf, lazyMcpServer, queryOf, withAndWithoutSlash, hijackKeepingHeaders, rawBodyOf, withRawBodies } from './mcp-shared.js';

interface ProjectParams {
  project_id: string;
}

const ProjectIdParams = Type.Object({ project_id: Uuid });
const ListToolsQuery = Type.Object({ mcp_enabled: Type.Boolean({ default: true }) });

interface McpSettingsBody {
  settings?: { id: string; mcp_enabled?: boolean | null; action_name?: string | null; action_description?: string | null }[];
  auth_settings?: Record<string, unknown> | null;
}

const SECRET_FIELDS = ['oauth_client_secret', 'api_key'];
/** How pydantic serialises a SecretStr, which is what Langflow's AuthSettings answers for a secret. */
const MASK = '**********';
/** Sent back unchanged, either mask (Weft's earlier seven stars too) keeps the stored secret. */
const MASKS = new Set([MASK, '*******']);

function masked(settings: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!settings) return null;
  const copy = { ...settings };
  for (const field of SECRET_FIELDS) if (copy[field]) copy[field] = MASK;
  return copy;
}

function isLoopback(address: string): boolean {
  if (address === 'localhost' || address === '0.0.0.0') return true;
  const ip = address.replace(/^::ffff:/, '');
  return ip === '::1' || /^127\./.test(ip);
}

/**
 * Per-project MCP servers (`/api/v1/mcp/project/{project_id}`): SSE and Streamable HTTP transports
 * whose tools are the project's MCP-enabled flows, the project's MCP settings, and installing the
 * server into a local MCP client's config.
 */
export async function mcpProjectRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const { backend, transports } = flowsAsToolsFor(app, ctx);
  const base = '/api/v1/mcp/project/:project_id';
  const withSlash = (url: string) => withAndWithoutSlash(app, url);
  // `project_id` is a UUID path parameter, as in Langflow: anything else is FastAPI's 422, on every route here.
  app.addHook('onRoute', (route) => {
    if (route.url.includes(':project_id')) route.schema = { ...route.schema, params: ProjectIdParams };
  });

  /** Transport auth: the project's auth_settings decide (API key only, or normal MCP user auth). */
  const transportAuth = (request: FastifyRequest<{ Params: ProjectParams }>) =>
    authenticateProject(backend, request.params.project_id, headersOf(request), queryOf(request));

  /** Settings endpoints: MCP user auth, and the project must be the caller's. */
  const ownedProject = async (request: FastifyRequest<{ Params: ProjectParams }>) => {
    const user = await backend.mcpUser(headersOf(request), queryOf(request));
    const project = await backend.getProject(request.params.project_id);
    if (!project || project.user_id !== user.id) throw new NotFoundError('Project not found');
    return { user, project };
  };

  const owner = (userId: string, projectId: string) => `${userId}:${projectId}`;

  // --- transports ---------------------------------------------------------------------------
  app.head(`${base}/sse`, async (_request, reply) => reply.code(200).send());
  app.get<{ Params: ProjectParams }>(`${base}/sse`, async (request, reply) => {
    const auth = await transportAuth(request);
    hijackKeepingHeaders(reply);
    const scope = toolScope(backend, auth.user, baseUrlOf(request), auth.project);
    await transports.openSse(reply.raw, `/api/v1/mcp/project/${auth.project.id}/`, owner(auth.user.id, auth.project.id), lazyMcpServer(scope));
  });

  // Messages need the same credentials as the stream: a session id alone is no credential.
  const postMessage = async (request: FastifyRequest<{ Params: ProjectParams }>, reply: FastifyReply) => {
    const auth = await transportAuth(request);
    hijackKeepingHeaders(reply);
    await transports.postSse(request.raw, reply.raw, rawBodyOf(request), owner(auth.user.id, auth.project.id));
  };
  // PATCH on the same path keeps the JSON parser: only the message POSTs read their body as text.
  withRawBodies(app, (scope) => {
    for (const url of withSlash(base)) scope.post<{ Params: ProjectParams }>(url, postMessage);
  });

  const streamable = async (request: FastifyRequest<{ Params: ProjectParams }>, reply: FastifyReply) => {
    const auth = await transportAuth(request);
    hijackKeepingHeaders(reply);
    const scope = toolScope(backend, auth.user, baseUrlOf(request), auth.project);
    await transports.handleStreamable(request.raw, reply.raw, request.body, owner(auth.user.id, auth.project.id), lazyMcpServer(scope));
  };
  app.head(`${base}/streamable`, async (_request, reply) => reply.code(200).send());
  for (const url of withSlash(`${base}/streamable`)) app.route<{ Params: ProjectParams }>({ method: ['GET', 'POST', 'DELETE'], url, handler: streamable });

  // --- settings -----------------------------------------------------------------------------
  app.get<{ Params: ProjectParams; Querystring: { mcp_enabled: boolean } }>(base, { schema: { querystring: ListToolsQuery } }, async (request) => {
    const { user, project } = await ownedProject(request);
    const onlyEnabled = request.query.mcp_enabled;
    const flows = (await backend.listFlows(user.id, project.id)).filter((f) => !onlyEnabled || f.mcp_enabled === true);
    const tools = flows.map((flow) => {
      const flowName = sanitizeMcpName(flow.name);
      return {
        id: flow.id,
        action_name: flow.action_name ? sanitizeMcpName(flow.action_name) : flowName,
        action_description: flow.action_description || flow.description || `Tool generated from flow: ${flowName}`,
        mcp_enabled: flow.mcp_enabled ?? false,
        name: flow.name,
        description: flow.description ?? null,
      };
    });
    // server_name: the name installs register the project under, so clients can show the same one.
    return { tools, auth_settings: masked(project.auth_settings), server_name: projectServerName(project.name) };
  });

  app.patch<{ Params: ProjectParams; Body: McpSettingsBody | McpSettingsBody['settings'] }>(base, async (request, reply) => {
    const { user, project } = await ownedProject(request);
    // Langflow before project auth settings took the bare list of flow settings: older clients send it.
    const bareList = Array.isArray(request.body);
    const body: McpSettingsBody = Array.isArray(request.body) ? { settings: request.body } : request.body ?? {};
    if (!Array.isArray(body.settings)) {
      return reply.code(422).send({ detail: [{ type: 'missing', loc: ['body', 'settings'], msg: 'Field required', input: body }] });
    }
    const wanted = new Map(body.settings.map((s) => [s.id, s]));
    let updated = 0;
    for (const flow of await backend.listFlows(user.id, project.id)) {
      const settings = wanted.get(flow.id);
      if (!settings) continue;
      await backend.updateFlowMcpSettings(flow.id, {
        mcp_enabled: settings.mcp_enabled ?? false,
        action_name: settings.action_name ?? null,
        action_description: settings.action_description ?? null,
      });
      updated += 1;
    }
    const response: Record<string, unknown> = { message: `Updated MCP settings for ${updated} flows${bareList ? '' : ' and project auth settings'}` };
    if ('auth_settings' in body && body.auth_settings) {
      const next = { ...body.auth_settings };
      // A masked secret sent back unchanged keeps the stored one.
      for (const field of SECRET_FIELDS) if (MASKS.has(next[field] as string)) next[field] = project.auth_settings?.[field] ?? null;
      await backend.setProjectAuthSettings(project.id, next);
      if (next.auth_type === 'oauth') {
        response.result = {
          project_id: project.id,
          uses_composer: false,
          error_message: 'OAuth authentication is set but MCP Composer is disabled in settings',
        };
      }
    }
    return response;
  });

  app.get<{ Params: ProjectParams }>(`${base}/composer-url`, async (request) => {
    const { project } = await ownedProject(request);
    const urls = projectUrls(baseUrlOf(request), project.id);
    // Weft runs no MCP Composer: clients connect to the project's own endpoints.
    return { project_id: project.id, uses_composer: false, streamable_http_url: urls.streamable, legacy_sse_url: urls.sse };
  });

  app.post<{ Params: ProjectParams; Body: { client?: string; transport?: string | null } }>(`${base}/install`, async (request, reply) => {
    const forwarded = request.headers['x-forwarded-for'];
    const clientIp = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0].trim() || request.ip;
    if (!isLoopback(clientIp)) return reply.code(500).send({ detail: 'MCP configuration can only be installed from a local connection' });
    const { user, project } = await ownedProject(request);
    const client = request.body?.client;
    if (typeof client !== 'string' || !client) {
      return reply.code(422).send({ detail: [{ type: 'missing', loc: ['body', 'client'], msg: 'Field required', input: request.body ?? null }] });
    }
    const needsKey = project.auth_settings ? project.auth_settings.auth_type === 'apikey' : !backend.autoLogin;
    const apiKey = needsKey ? await backend.createApiKey(user.id, `MCP Server ${project.name}`) : null;
    const result = await installMcpConfig({
      client,
      transport: request.body?.transport,
      projectId: project.id,
      projectName: project.name,
      baseUrl: baseUrlOf(request),
      apiKey,
      dirs: ctx.settings,
    });
    return { message: result.message };
  });

  app.get<{ Params: ProjectParams }>(`${base}/installed`, async (request) => {
    const { project } = await ownedProject(request);
    return await installedClients(baseUrlOf(request), project.id, ctx.settings);
  });
}
