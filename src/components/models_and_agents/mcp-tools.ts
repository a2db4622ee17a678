import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { defineComponent, type ComponentContext, type Tool } from '../../engine/component.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';
import { sanitizeToolName } from '../../engine/tools.js';
import { guardedFetch, outboundPolicyFrom } from '../shared/guarded-fetch.js';

/** One MCP server, as Langflow stores it (Claude-desktop style): a command to spawn, or a URL. */
export interface McpServerConfig {
  command?: string;
  args?: string[];
  env?: Record<string, string>;
  cwd?: string;
  url?: string;
  headers?: Record<string, string>;
  /** 'sse' or 'streamable_http' (default for URLs: streamable HTTP, falling back to SSE). */
  transport?: string;
}

/** The host's saved MCP servers (`ctx.services.mcpServers`), looked up by name. */
export interface McpServerRegistry {
  get(name: string): Promise<McpServerConfig | undefined>;
}

declare module '../../engine/component.js' {
  interface EngineServices {
    mcpServers?: McpServerRegistry;
  }
}

interface SavedServer {
  name?: string;
  config?: McpServerConfig;
}

async function serverConfig(ctx: ComponentContext): Promise<{ name: string; config: McpServerConfig }> {
  const value = ctx.params.mcp_server as SavedServer | string | null | undefined;
  const saved: SavedServer = typeof value === 'string' ? { name: value } : value ?? {};
  // A flow or a tweak may name a server or give its URL, never a command: stdio servers are the
  // ones the host's registry hands out (a superuser's saved servers), so a config with a command
  // is looked up by name instead of started as written.
  let config = saved.config && saved.config.url && !saved.config.command ? saved.config : undefined;
  const name = saved.name ?? '';
  if (!config && name) config = await ctx.services.mcpServers?.get(name);
  if (!config) throw new Error(name ? `MCP server "${name}" is not configured` : 'No MCP server selected');
  const extra = ctx.params.headers;
  if (config.url && extra && typeof extra === 'object' && !Array.isArray(extra) && Object.keys(extra).length > 0) {
    config = { ...config, headers: { ...(config.headers ?? {}), ...(extra as Record<string, string>) } };
  }
  return { name: name || 'mcp', config };
}

/** The MCP client SDK loads on first use, so the registry stays cheap to load. */
async function transports(config: McpServerConfig, fetch: typeof globalThis.fetch | undefined): Promise<(() => Transport)[]> {
  if (config.command) {
    const { StdioClientTransport, getDefaultEnvironment } = await import('@modelcontextprotocol/sdk/client/stdio.js');
    // The child gets the SDK's minimal environment (PATH, HOME, USER, SHELL, TERM...) plus the
    // config's own `env`: never the server's secrets.
    const env = { ...getDefaultEnvironment(), ...(config.env ?? {}) };
    return [() => new StdioClientTransport({ command: config.command!, args: config.args ?? [], env, cwd: config.cwd, stderr: 'ignore' })];
  }
  const [{ SSEClientTransport }, { StreamableHTTPClientTransport }] = await Promise.all([
    import('@modelcontextprotocol/sdk/client/sse.js'),
    import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
  ]);
  const url = new URL(config.url!);
  const requestInit = { headers: config.headers ?? {} };
  const sse = () => new SSEClientTransport(url, { requestInit, fetch });
  const http = () => new StreamableHTTPClientTransport(url, { requestInit, fetch });
  const kind = (config.transport ?? '').toLowerCase();
  if (kind === 'sse' || (!kind && url.pathname.endsWith('/sse'))) return [sse];
  if (kind === 'streamable_http' || kind === 'http') return [http];
  return [http, sse];
}

/**
 * Opens a client, runs `work`, closes the client. Aborting the signal closes it early. URL servers
 * are reached through `fetch` (the host's SSRF-guarded fetch; see guarded-fetch.ts).
 */
export async function withMcpClient<T>(config: McpServerConfig, signal: AbortSignal, work: (client: Client) => Promise<T>, fetch?: typeof globalThis.fetch): Promise<T> {
  let lastError: unknown;
  const { Client } = await import('@modelcontextprotocol/sdk/client/index.js');
  for (const make of await transports(config, fetch)) {
    signal.throwIfAborted();
    const client = new Client({ name: 'weft', version: '0.1.0' });
    const onAbort = () => void client.close();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      try {
        await client.connect(make(), { signal });
      } catch (error) {
        lastError = error;
        continue;
      }
      return await work(client);
    } finally {
      signal.removeEventListener('abort', onAbort);
      await client.close().catch(() => undefined);
    }
  }
  throw new Error(`Could not connect to the MCP server: ${(lastError as Error)?.message ?? String(lastError)}`);
}

interface McpContent {
  type: string;
  text?: string;
  [key: string]: unknown;
}

interface CallResult {
  content?: McpContent[];
  structuredContent?: unknown;
  isError?: boolean;
}

function resultText(result: CallResult): string {
  const texts = (result.content ?? []).map((c) => (c.type === 'text' ? c.text ?? '' : JSON.stringify(c)));
  if (texts.length > 0) return texts.join('\n');
  return result.structuredContent !== undefined ? JSON.stringify(result.structuredContent) : '';
}

async function callTool(ctx: ComponentContext, config: McpServerConfig, name: string, args: Record<string, unknown>, signal: AbortSignal): Promise<CallResult> {
  const result = (await withMcpClient(config, signal, (client) => client.callTool({ name, arguments: args }, undefined, { signal }), hostFetch(ctx))) as CallResult;
  if (result.isError) throw new Error(`MCP tool ${name} failed: ${resultText(result)}`);
  return result;
}

interface ToolMetadata {
  name?: string;
  description?: string;
  status?: boolean;
}

function hostFetch(ctx: ComponentContext): typeof globalThis.fetch {
  return guardedFetch(outboundPolicyFrom(ctx.services));
}

async function listTools(ctx: ComponentContext, config: McpServerConfig) {
  return ctx.memo('mcp-tools', () => withMcpClient(config, ctx.signal, async (client) => (await client.listTools(undefined, { signal: ctx.signal })).tools, hostFetch(ctx)));
}

export const mcpTools = defineComponent({
  type: 'MCPTools',
  displayName: 'MCP Tools',
  description: 'Connect to an MCP server to use its tools.',
  category: 'models_and_agents',
  icon: 'Mcp',
  dynamicFields: true,
  inputs: [
    { name: 'mcp_server', displayName: 'MCP Server', kind: 'other', default: {} },
    { name: 'tool', displayName: 'Tool', kind: 'text', default: '' },
    { name: 'tool_placeholder', displayName: 'Tool Placeholder', kind: 'text', default: '', toolMode: true },
    { name: 'use_cache', displayName: 'Use Cached Server', kind: 'bool', default: false, advanced: true },
    { name: 'verify_ssl', displayName: 'Verify SSL Certificate', kind: 'bool', default: true, advanced: true },
    { name: 'headers', displayName: 'Headers', kind: 'dict', default: {}, advanced: true },
  ],
  outputs: [{ name: 'response', displayName: 'Response', types: ['DataFrame'], method: 'build_output' }],
  compute: {
    response: async (ctx) => {
      const { config } = await serverConfig(ctx);
      const selected = String(ctx.params.tool ?? '');
      if (!selected) throw new Error('No MCP tool selected');
      const tools = await listTools(ctx, config);
      const tool = tools.find((t) => t.name === selected);
      if (!tool) throw new Error(`MCP tool "${selected}" not found on the server (it has: ${tools.map((t) => t.name).join(', ')})`);
      const args: Record<string, unknown> = {};
      for (const name of Object.keys(tool.inputSchema.properties ?? {})) {
        const value = ctx.params[name];
        if (value === undefined || value === null || value === '') continue;
        args[name] = value instanceof Message ? value.text : value;
      }
      const result = await callTool(ctx, config, selected, args, ctx.signal);
      ctx.setStatus(resultText(result));
      return new DataFrame((result.content ?? []).map((c) => ({ ...c })));
    },
    /** In tool mode: one Tool per MCP tool the server lists (minus those switched off in tools_metadata). */
    component_as_tool: async (ctx): Promise<Tool[]> => {
      const { config } = await serverConfig(ctx);
      const metadata = (Array.isArray(ctx.params.tools_metadata) ? ctx.params.tools_metadata : []) as ToolMetadata[];
      const tools = await listTools(ctx, config);
      return tools
        .filter((tool) => metadata.find((m) => m.name === tool.name)?.status !== false)
        .map((tool) => ({
          name: sanitizeToolName(tool.name),
          description: metadata.find((m) => m.name === tool.name)?.description || tool.description || tool.name,
          parameters: { type: 'object' as const, properties: (tool.inputSchema.properties ?? {}) as Record<string, unknown>, required: tool.inputSchema.required },
          invoke: async (args: Record<string, unknown>, signal: AbortSignal) => resultText(await callTool(ctx, config, tool.name, args, signal)),
        }));
    },
  },
});
