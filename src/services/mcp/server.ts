import { randomUUID } from 'node:crypto';
import { extname } from 'node:path';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  ReadResourceRequestSchema,
  type CallToolResult,
  type Resource,
  type Tool,
} from '@modelcontextprotocol/sdk/types.js';
import type { FlowJson } from '../../engine/flow-json.js';
import type { ComponentRegistry } from '../../engine/registry.js';
import type { RunResponse } from '../../engine/run.js';
import { toolIdentities, type NamedFlow, type ToolIdentity } from './naming.js';
import { jsonSchemaFromFlow } from './schema.js';

/** A stored flow as the MCP server needs it. */
export interface McpFlow extends NamedFlow {
  data: FlowJson['data'];
}

export type RequestHeaders = Record<string, string | string[] | undefined>;

/**
 * What one MCP server exposes: a project's MCP-enabled flows or all of a user's flows, how to run
 * them (as `/run` does, for the connected user) and their uploaded files. Read per request, so
 * settings changes show on the next `tools/list`.
 */
export interface McpScope {
  kind: 'project' | 'global';
  registry: ComponentRegistry;
  /** `http://host:port`, used in resource URIs. */
  baseUrl: string;
  listFlows(): Promise<McpFlow[]>;
  /** Runs the flow with this input in a new session; throws the failing component's error. */
  runFlow(flow: McpFlow, inputValue: string, options: { headers: RequestHeaders; sessionId: string }): Promise<RunResponse>;
  listFiles(flow: McpFlow): Promise<string[]>;
  readFile?(flowId: string, fileName: string): Promise<Uint8Array | null>;
}

export const MCP_SERVER_NAME = 'langflow-mcp-server';

/** A low-level MCP server whose tools are the scope's flows. One per connection/session. */
export function createMcpServer(scope: McpScope, version = '1.0.0'): Server {
  const server = new Server(
    { name: MCP_SERVER_NAME, version },
    { capabilities: { tools: { listChanged: true }, resources: { listChanged: true }, prompts: { listChanged: true } } },
  );

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: await listTools(scope) }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) =>
    callTool(scope, request.params.name, request.params.arguments ?? {}, (extra.requestInfo?.headers ?? {}) as RequestHeaders),
  );
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: [] }));
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: await listResources(scope) }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => readResource(scope, request.params.uri));
  return server;
}

interface ExposedTool extends ToolIdentity {
  flow: McpFlow;
}

async function exposedTools(scope: McpScope): Promise<ExposedTool[]> {
  const flows = await scope.listFlows();
  const identities = toolIdentities(flows, scope.kind);
  return identities.map((identity, i) => ({ ...identity, flow: flows[i] }));
}

export async function listTools(scope: McpScope): Promise<Tool[]> {
  const tools = await exposedTools(scope);
  return tools.map((tool) => ({
    name: tool.name,
    description: tool.description,
    inputSchema: jsonSchemaFromFlow({ id: tool.flow.id, name: tool.flow.name, data: tool.flow.data }, scope.registry),
  }));
}

export async function callTool(scope: McpScope, name: string, args: Record<string, unknown>, headers: RequestHeaders): Promise<CallToolResult> {
  const tools = await exposedTools(scope);
  const tool = tools.find((t) => t.name === name);
  if (!tool) return { isError: true, content: [{ type: 'text', text: `Flow with name '${name}' not found` }] };
  const input = args.input_value;
  try {
    const response = await scope.runFlow(tool.flow, input === undefined || input === null ? '' : String(input), {
      headers,
      sessionId: randomUUID(),
    });
    return { content: resultTexts(response).map((text) => ({ type: 'text' as const, text })) };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { isError: true, content: [{ type: 'text', text: `Error Executing the ${tool.flow.name} tool. Error: ${message}` }] };
  }
}

/** Each output's message texts, then each result value's text, without repeats (Langflow's order). */
export function resultTexts(response: RunResponse): string[] {
  const seen = new Set<string>();
  const texts: string[] = [];
  const add = (text: string) => {
    if (seen.has(text)) return;
    seen.add(text);
    texts.push(text);
  };
  for (const run of response.outputs) {
    for (const output of run.outputs) {
      for (const message of output.messages ?? []) add(textOf(message.message));
      for (const value of Object.values(output.results ?? {})) add(textOf(value));
    }
  }
  return texts;
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') {
    const record = value as { text_key?: unknown; text?: unknown };
    if ('text_key' in record && typeof record.text === 'string') return record.text;
    return JSON.stringify(value);
  }
  return String(value);
}

export async function listResources(scope: McpScope): Promise<Resource[]> {
  const resources: Resource[] = [];
  for (const flow of await scope.listFlows()) {
    let files: string[];
    try {
      files = await scope.listFiles(flow);
    } catch {
      continue;
    }
    for (const file of files) {
      resources.push({
        uri: `${scope.baseUrl}/api/v1/files/download/${flow.id}/${encodeURIComponent(file)}`,
        name: file,
        description: `File in flow: ${flow.name}`,
        mimeType: contentType(file),
      });
    }
  }
  return resources;
}

async function readResource(scope: McpScope, uri: string) {
  const parts = new URL(uri).pathname.split('/').filter(Boolean);
  if (parts.length < 2) throw new Error(`Invalid URI format: ${uri}`);
  const flowId = parts[parts.length - 2];
  const fileName = decodeURIComponent(parts[parts.length - 1]);
  const flows = await scope.listFlows();
  const content = flows.some((f) => f.id === flowId) && scope.readFile ? await scope.readFile(flowId, fileName) : null;
  if (!content) throw new Error(`File ${fileName} not found in flow ${flowId}`);
  return { contents: [{ uri, mimeType: contentType(fileName), blob: Buffer.from(content).toString('base64') }] };
}

const CONTENT_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.md': 'text/markdown',
  '.csv': 'text/csv',
  '.json': 'application/json',
  '.pdf': 'application/pdf',
  '.html': 'text/html',
  '.xml': 'application/xml',
  '.yaml': 'application/x-yaml',
  '.yml': 'application/x-yaml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.svg': 'image/svg+xml',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Langflow's `build_content_type_from_extension`: unknown extensions are octet-stream. */
export function contentType(fileName: string): string {
  return CONTENT_TYPES[extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}
