import type { EngineEvent } from '../../engine/events.js';
import type { ComponentRegistry } from '../../engine/registry.js';
import type { McpFlow, RequestHeaders } from './server.js';

export interface ToolUser {
  id: string;
  username?: string;
}

export interface ToolProject {
  id: string;
  name: string;
  user_id: string | null;
  auth_settings: Record<string, unknown> | null;
}

/** A stored flow with the columns MCP and `/responses` read. */
export interface ToolFlow extends McpFlow {
  user_id: string | null;
  folder_id: string | null;
  mcp_enabled: boolean | null;
  is_component: boolean | null;
  endpoint_name?: string | null;
}

export interface RunFlowRequest {
  inputValue: string;
  sessionId: string;
  stream: boolean;
  headers: RequestHeaders;
  signal?: AbortSignal;
}

/**
 * What the flows-as-tools routes need from the server: who is calling, projects and flows, files,
 * API keys, and running a stored flow for a user exactly as `/run` does. The API layer builds one
 * from its services; tests can build one over memory.
 */
export interface FlowsAsToolsBackend {
  registry: ComponentRegistry;
  /** `get_current_active_user_mcp`: Bearer JWT, else API key (query, then header), else auto-login rules. Throws the auth service's WeftErrors. */
  mcpUser(headers: RequestHeaders, query: Record<string, unknown>): Promise<ToolUser>;
  /** `api_key_security` (§B): API key only, auto-login rules. Throws the auth service's WeftErrors. */
  apiKeyUser(headers: RequestHeaders, query: Record<string, unknown>): Promise<ToolUser>;
  /** The owner of a valid API key, else null. */
  userForApiKey(key: string): Promise<ToolUser | null>;
  getProject(projectId: string): Promise<ToolProject | null>;
  setProjectAuthSettings(projectId: string, settings: Record<string, unknown> | null): Promise<void>;
  /** Non-component flows of the user, optionally only those of one project. */
  listFlows(userId: string, projectId?: string): Promise<ToolFlow[]>;
  updateFlowMcpSettings(flowId: string, settings: { mcp_enabled: boolean; action_name: string | null; action_description: string | null }): Promise<void>;
  /** A flow by id or endpoint name that the user may run, else null. */
  findFlow(idOrEndpointName: string, userId: string): Promise<ToolFlow | null>;
  createApiKey(userId: string, name: string): Promise<string>;
  listFlowFiles(flowId: string): Promise<string[]>;
  readFlowFile(flowId: string, fileName: string): Promise<Uint8Array | null>;
  /** Runs a stored flow for a user like `/run` (chat input/output, request variables from the headers). */
  runFlow(flow: ToolFlow, user: ToolUser, request: RunFlowRequest): AsyncIterable<EngineEvent>;
  /** AUTO_LOGIN: decides whether `install` must mint an API key for projects without auth settings. */
  autoLogin: boolean;
}
