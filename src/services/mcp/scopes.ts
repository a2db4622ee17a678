import type { EngineEvent } from '../../engine/events.js';
import type { RunResponse } from '../../engine/run.js';
import { NotFoundError, UnauthenticatedError } from '../../engine/errors.js';
import type { FlowsAsToolsBackend, ToolFlow, ToolProject, ToolUser } from './backend.js';
import type { McpScope, RequestHeaders } from './server.js';

function header(headers: RequestHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function apiKeyFrom(headers: RequestHeaders, query: Record<string, unknown>): string | undefined {
  const fromQuery = query['x-api-key'];
  return (typeof fromQuery === 'string' && fromQuery) || header(headers, 'x-api-key') || undefined;
}

/**
 * Who may use a project's MCP server: with `auth_type: "apikey"` only an `x-api-key` (query or
 * header) of the project's owner; otherwise normal MCP user auth. Another user's (or a missing)
 * project is 404.
 */
export async function authenticateProject(
  backend: FlowsAsToolsBackend,
  projectId: string,
  headers: RequestHeaders,
  query: Record<string, unknown>,
): Promise<{ user: ToolUser; project: ToolProject }> {
  const project = await backend.getProject(projectId);
  if (!project) throw new NotFoundError('Project not found');
  let user: ToolUser;
  if (project.auth_settings?.auth_type === 'apikey') {
    const key = apiKeyFrom(headers, query);
    if (!key) throw new UnauthenticatedError('API key required for this project. Provide x-api-key header or query parameter.');
    const owner = await backend.userForApiKey(key);
    if (!owner) throw new UnauthenticatedError('Invalid API key');
    user = owner;
  } else {
    user = await backend.mcpUser(headers, query);
  }
  if (project.user_id !== user.id) throw new NotFoundError('Project not found');
  return { user, project };
}

/** The RunResponse of a finished run, or the failing component's error. */
export async function runToResponse(events: AsyncIterable<EngineEvent>): Promise<RunResponse> {
  let result: RunResponse | null = null;
  for await (const event of events) {
    if (event.event === 'end') result = (event.data as { result?: RunResponse }).result ?? null;
    if (event.event === 'error') {
      const data = event.data as { error?: unknown; text?: unknown };
      throw new Error(typeof data.error === 'string' ? data.error : typeof data.text === 'string' ? data.text : JSON.stringify(data));
    }
  }
  if (!result) throw new Error('The flow ended without a result');
  return result;
}

/** MCP scope over a project's MCP-enabled flows (project server) or all of the user's flows (global). */
export function toolScope(backend: FlowsAsToolsBackend, user: ToolUser, baseUrl: string, project?: ToolProject): McpScope {
  const listFlows = async (): Promise<ToolFlow[]> => {
    const flows = await backend.listFlows(user.id, project?.id);
    return project ? flows.filter((f) => f.mcp_enabled === true) : flows;
  };
  return {
    kind: project ? 'project' : 'global',
    registry: backend.registry,
    baseUrl,
    listFlows,
    runFlow: (flow, inputValue, { headers, sessionId }) =>
      runToResponse(backend.runFlow(flow as ToolFlow, user, { inputValue, sessionId, stream: false, headers })),
    listFiles: (flow) => backend.listFlowFiles(flow.id),
    readFile: (flowId, fileName) => backend.readFlowFile(flowId, fileName),
  };
}
