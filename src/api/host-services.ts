import type { McpServerConfig } from '../components/models_and_agents/mcp-tools.js';
import { McpServerStore } from '../services/mcp/user-servers.js';
import { ModelService } from '../services/models/index.js';
import type { ApiContext } from './context.js';

export interface HostServices {
  models: ModelService;
  mcpServers: McpServerStore;
}

const cache = new WeakMap<ApiContext, HostServices>();

/** The per-user model preferences and MCP server store over the context's database, built once per context. */
export function hostServicesOf(ctx: ApiContext): HostServices {
  let services = cache.get(ctx);
  if (!services) {
    services = { models: new ModelService(ctx.database.db, ctx.database), mcpServers: new McpServerStore(ctx.database.db, ctx.settings.secretKey) };
    cache.set(ctx, services);
  }
  return services;
}

/**
 * A stored server document as the MCP Tools component's config: strings only; headers given as a
 * list of `{key, value}` pairs (as the UI's key-value editor saves them) become an object.
 */
export function mcpServerConfig(document: Record<string, unknown>): McpServerConfig {
  const config: McpServerConfig = {};
  if (typeof document.command === 'string' && document.command) config.command = document.command;
  if (Array.isArray(document.args)) config.args = document.args.map(String);
  const env = stringRecord(document.env);
  if (env) config.env = env;
  if (typeof document.cwd === 'string' && document.cwd) config.cwd = document.cwd;
  if (typeof document.url === 'string' && document.url) config.url = document.url;
  const headers = stringRecord(document.headers);
  if (headers) config.headers = headers;
  if (typeof document.transport === 'string' && document.transport) config.transport = document.transport;
  return config;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (Array.isArray(value)) {
    const pairs = value.filter((p): p is { key: unknown; value: unknown } => !!p && typeof p === 'object' && 'key' in p);
    return Object.fromEntries(pairs.filter((p) => String(p.key ?? '')).map((p) => [String(p.key), String(p.value ?? '')]));
  }
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)]));
  return undefined;
}
