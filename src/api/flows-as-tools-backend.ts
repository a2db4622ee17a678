import { NotFoundError } from '../engine/errors.js';
import type { EngineEvent } from '../engine/index.js';
import { AuthError, checkApiKey, createApiKey, currentMcpUser, presentedApiKey, type AuthContext } from '../services/auth/index.js';
import type { FlowRecord, FolderRecord } from '../services/database/index.js';
import { assertSafeName, createFlowFileStorage, FileStorageError, type FileStorage } from '../services/files/index.js';
import type { FlowsAsToolsBackend, RunFlowRequest, ToolFlow, ToolProject, ToolUser } from '../services/mcp/backend.js';
import type { RequestHeaders } from '../services/mcp/server.js';
import { McpTransports } from '../services/mcp/transports.js';
import { asFlowJson } from '../services/runs/host.js';
import { requestVariablesFromHeaders } from '../services/variables/index.js';
import type { ApiContext } from './context.js';

function header(headers: RequestHeaders, name: string): string | null {
  const value = headers[name];
  return (Array.isArray(value) ? value[0] : value) ?? null;
}

function credentialsOf(headers: RequestHeaders, query: Record<string, unknown>) {
  const fromQuery = typeof query['x-api-key'] === 'string' ? query['x-api-key'] : null;
  return { authorization: header(headers, 'authorization'), apiKey: presentedApiKey(fromQuery, header(headers, 'x-api-key')) };
}

function toolProject(folder: FolderRecord): ToolProject {
  return { id: folder.id, name: folder.name, user_id: folder.user_id, auth_settings: folder.auth_settings };
}

/**
 * MCP servers and `POST /responses` over the server's real services: §B auth (JWT, hashed API keys,
 * AUTO_LOGIN rules), projects and flows from the database, v1 flow files from file storage, and
 * runs on the app's run host, so they get the same services as `/run` and messages, vertex builds and
 * transactions are recorded exactly as `/run` records them.
 */
export class ServiceToolsBackend implements FlowsAsToolsBackend {
  private readonly auth: AuthContext;
  private readonly storage: FileStorage;
  /** The stored record behind each ToolFlow handed out, so a run needs no second lookup. */
  private readonly records = new WeakMap<ToolFlow, FlowRecord>();

  constructor(private readonly ctx: ApiContext) {
    this.auth = { repos: ctx.database, settings: ctx.settings };
    this.storage = createFlowFileStorage(ctx.settings);
  }

  get registry() {
    return this.ctx.registry;
  }

  get autoLogin(): boolean {
    return this.ctx.settings.autoLogin;
  }

  private toolFlow(record: FlowRecord): ToolFlow {
    const flow: ToolFlow = {
      id: record.id,
      name: record.name,
      description: record.description,
      action_name: record.action_name,
      action_description: record.action_description,
      data: asFlowJson(record).data,
      user_id: record.user_id,
      folder_id: record.folder_id,
      mcp_enabled: record.mcp_enabled,
      is_component: record.is_component,
      endpoint_name: record.endpoint_name,
    };
    this.records.set(flow, record);
    return flow;
  }

  async mcpUser(headers: RequestHeaders, query: Record<string, unknown>): Promise<ToolUser> {
    return currentMcpUser(this.auth, credentialsOf(headers, query));
  }

  async apiKeyUser(headers: RequestHeaders, query: Record<string, unknown>): Promise<ToolUser> {
    return checkApiKey({ ...this.auth, key: credentialsOf(headers, query).apiKey });
  }

  async userForApiKey(key: string): Promise<ToolUser | null> {
    try {
      return await this.ctx.auth.userFromApiKey(key);
    } catch (error) {
      if (error instanceof AuthError) return null;
      throw error;
    }
  }

  async getProject(projectId: string): Promise<ToolProject | null> {
    const folder = await this.ctx.database.folders.getById(projectId);
    return folder ? toolProject(folder) : null;
  }

  async setProjectAuthSettings(projectId: string, settings: Record<string, unknown> | null): Promise<void> {
    const folder = await this.ctx.database.folders.getById(projectId);
    if (!folder?.user_id) throw new NotFoundError('Project not found');
    await this.ctx.database.folders.update(folder.id, folder.user_id, { authSettings: settings });
  }

  async listFlows(userId: string, projectId?: string): Promise<ToolFlow[]> {
    const records = await this.ctx.database.flows.list(userId, projectId === undefined ? {} : { folderId: projectId });
    return records.filter((record) => record.user_id === userId && !record.is_component).map((record) => this.toolFlow(record));
  }

  async updateFlowMcpSettings(flowId: string, settings: { mcp_enabled: boolean; action_name: string | null; action_description: string | null }): Promise<void> {
    const flow = await this.ctx.database.flows.getById(flowId);
    if (!flow?.user_id) throw new NotFoundError('Flow not found');
    await this.ctx.database.flows.update(flow.id, flow.user_id, settings);
  }

  async findFlow(idOrEndpointName: string, userId: string): Promise<ToolFlow | null> {
    const record = await this.ctx.database.flows.getByIdOrEndpointName(idOrEndpointName, userId);
    return record && record.user_id === userId ? this.toolFlow(record) : null;
  }

  async createApiKey(userId: string, name: string): Promise<string> {
    return (await createApiKey(this.ctx.database, userId, name)).api_key;
  }

  async listFlowFiles(flowId: string): Promise<string[]> {
    return this.storage.list(assertSafeName(flowId));
  }

  async readFlowFile(flowId: string, fileName: string): Promise<Uint8Array | null> {
    try {
      return await this.storage.read(assertSafeName(flowId), assertSafeName(fileName));
    } catch (error) {
      // A missing file or a name that is not a plain file name reads as "not found".
      if (error instanceof FileStorageError) return null;
      throw error;
    }
  }

  async *runFlow(flow: ToolFlow, user: ToolUser, request: RunFlowRequest): AsyncGenerator<EngineEvent> {
    const record = this.records.get(flow) ?? (await this.ctx.database.flows.getForUser(flow.id, user.id));
    if (!record) throw new Error(`Flow ${flow.id} not found`);
    const run = this.ctx.host.createFlowRun({
      flow: asFlowJson(record),
      userId: user.id,
      inputValue: request.inputValue,
      inputType: 'chat',
      outputType: 'chat',
      sessionId: request.sessionId,
      stream: request.stream,
      signal: request.signal,
      requestVariables: requestVariablesFromHeaders(request.headers),
    });
    yield* this.ctx.host.recordedEvents(run);
  }
}

export interface FlowsAsTools {
  backend: FlowsAsToolsBackend;
  /** Live MCP sessions of the global and project servers; the route plugins close them with the app. */
  transports: McpTransports;
}

const shared = new WeakMap<ApiContext, FlowsAsTools>();

/** One backend and one set of MCP transports per app, shared by the MCP and `/responses` plugins. */
export function flowsAsTools(ctx: ApiContext): FlowsAsTools {
  let found = shared.get(ctx);
  if (!found) {
    found = { backend: new ServiceToolsBackend(ctx), transports: new McpTransports() };
    shared.set(ctx, found);
  }
  return found;
}
