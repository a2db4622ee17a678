import { Type } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HttpProblem } from '../../services/mcp/backend.js';
import { installMcpConfig, installedClients, McpInstallError, projectUrls } from '../../services/mcp/install.js';
import { sanitizeMcpName } from '../../services/mcp/naming.js';
import { authenticateProject, toolScope } from '../../services/mcp/scopes.js';
import type { ApiContext } from '../context.js';
import { Uuid } from '../schemas.js';
import { baseUrlOf, flowsAsToolsFor, hasCredentials, headersOf, lazyMcpServer, queryOf, sendProblem, withAndWithoutSlash, hijackKeepingHeaders, authorizedOrAnswered } from './mcp-shared.js';

interface ProjectParams {
  project_id: string;
}

const ProjectIdParams = Type.Object({ project_id: Uuid });

interface McpSettingsBody {
  settings?: { id: string; mcp_enabled?: boolean | null; action_name?: string | null; action_description?: string | null }[];
  auth_settings?: Record<string, unknown> | null;
}

const SECRET_FIELDS = ['oauth_client_secret', 'api_key'];

function masked(settings: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!settings) return null;
  const copy = { ...settings };
  for (const field of SECRET_FIELDS) if (copy[field]) copy[field] = '*******';
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
    if (!project || project.user_id !== user.id) throw new HttpProblem(404, 'Project not found');
    return { user, project };
  };

  const owner = (userId: string, projectId: string) => `${userId}:${projectId}`;

  // --- transports ---------------------------------------------------------------------------
  app.head(`${base}/sse`, async (_request, reply) => reply.code(200).send());
  app.get<{ Params: ProjectParams }>(`${base}/sse`, async (request, reply) => {
    const auth = await authorizedOrAnswered(reply, () => transportAuth(request));
    if (!auth) return reply;
    hijackKeepingHeaders(reply);
    const scope = toolScope(backend, auth.user, baseUrlOf(request), auth.project);
    await transports.openSse(reply.raw, `/api/v1/mcp/project/${auth.project.id}/`, owner(auth.user.id, auth.project.id), lazyMcpServer(scope));
  });

  const postMessage = async (request: FastifyRequest<{ Params: ProjectParams }>, reply: FastifyReply) => {
    let sessionOwner: string | null = null;
    if (hasCredentials(request)) {
      const auth = await authorizedOrAnswered(reply, () => transportAuth(request));
      if (!auth) return reply;
      sessionOwner = owner(auth.user.id, auth.project.id);
    }
    hijackKeepingHeaders(reply);
    await transports.postSse(request.raw, reply.raw, request.body, sessionOwner);
  };
  for (const url of withSlash(base)) app.post<{ Params: ProjectParams }>(url, postMessage);

  const streamable = async (request: FastifyRequest<{ Params: ProjectParams }>, reply: FastifyReply) => {
    const auth = await authorizedOrAnswered(reply, () => transportAuth(request));
    if (!auth) return reply;
    hijackKeepingHeaders(reply);
    const scope = toolScope(backend, auth.user, baseUrlOf(request), auth.project);
    await transports.handleStreamable(request.raw, reply.raw, request.body, owner(auth.user.id, auth.project.id), lazyMcpServer(scope));
  };
  app.head(`${base}/streamable`, async (_request, reply) => reply.code(200).send());
  for (const url of withSlash(`${base}/streamable`)) app.route<{ Params: ProjectParams }>({ method: ['GET', 'POST', 'DELETE'], url, handler: streamable });

  // --- settings -----------------------------------------------------------------------------
  app.get<{ Params: ProjectParams; Querystring: { mcp_enabled?: string } }>(base, async (request, reply) => {
    try {
      const { user, project } = await ownedProject(request);
      const onlyEnabled = String(request.query.mcp_enabled ?? 'true').toLowerCase() !== 'false';
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
      return { tools, auth_settings: masked(project.auth_settings) };
    } catch (error) {
      return sendProblem(reply, error);
    }
  });

  app.patch<{ Params: ProjectParams; Body: McpSettingsBody }>(base, async (request, reply) => {
    try {
      const { user, project } = await ownedProject(request);
      const body = request.body ?? {};
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
      const response: Record<string, unknown> = { message: `Updated MCP settings for ${updated} flows and project auth settings` };
      if ('auth_settings' in body && body.auth_settings) {
        const next = { ...body.auth_settings };
        // A masked secret sent back unchanged keeps the stored one.
        for (const field of SECRET_FIELDS) if (next[field] === '*******') next[field] = project.auth_settings?.[field] ?? null;
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
    } catch (error) {
      return sendProblem(reply, error);
    }
  });

  app.get<{ Params: ProjectParams }>(`${base}/composer-url`, async (request, reply) => {
    try {
      const { project } = await ownedProject(request);
      const urls = projectUrls(baseUrlOf(request), project.id);
      // Weft runs no MCP Composer: clients connect to the project's own endpoints.
      return { project_id: project.id, uses_composer: false, streamable_http_url: urls.streamable, legacy_sse_url: urls.sse };
    } catch (error) {
      return sendProblem(reply, error);
    }
  });

  app.post<{ Params: ProjectParams; Body: { client?: string; transport?: string | null } }>(`${base}/install`, async (request, reply) => {
    const forwarded = request.headers['x-forwarded-for'];
    const clientIp = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0].trim() || request.ip;
    if (!isLoopback(clientIp)) return reply.code(500).send({ detail: 'MCP configuration can only be installed from a local connection' });
    try {
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
      });
      return { message: result.message };
    } catch (error) {
      if (error instanceof McpInstallError) return reply.code(error.status).send({ detail: error.message });
      return sendProblem(reply, error);
    }
  });

  app.get<{ Params: ProjectParams }>(`${base}/installed`, async (request, reply) => {
    try {
      const { project } = await ownedProject(request);
      return await installedClients(baseUrlOf(request), project.id);
    } catch (error) {
      return sendProblem(reply, error);
    }
  });
}
