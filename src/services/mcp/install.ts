import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Settings } from '../settings.js';
import { InvalidRequestError } from '../../engine/errors.js';
import { sanitizeMcpName } from './naming.js';
import { trimEndChar } from '../../engine/trim.js';

export const MCP_CLIENTS = ['cursor', 'windsurf', 'claude'] as const;
export type McpClient = (typeof MCP_CLIENTS)[number];
export const MAX_MCP_SERVER_NAME_LENGTH = 30;

/** A client or transport the install route cannot configure (Langflow's 400s). */
export class McpInstallError extends InvalidRequestError {}

/** The user's directories the clients' config files are under (from the settings: `HOME`, `APPDATA`). */
export type ClientDirs = Pick<Settings, 'homeDir' | 'appDataDir'>;

/**
 * Where a client keeps its MCP servers (Langflow's `get_config_path`), under the user's home.
 * Claude Desktop on Linux (which Langflow refuses) uses `~/.config/Claude`.
 */
export function configPath(client: string, dirs: ClientDirs, platform: NodeJS.Platform = process.platform): string {
  const home = dirs.homeDir;
  switch (client.toLowerCase()) {
    case 'cursor':
      return join(home, '.cursor', 'mcp.json');
    case 'windsurf':
      return join(home, '.codeium', 'windsurf', 'mcp_config.json');
    case 'claude':
      if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Claude', 'claude_desktop_config.json');
      if (platform === 'win32') return join(dirs.appDataDir, 'Claude', 'claude_desktop_config.json');
      return join(home, '.config', 'Claude', 'claude_desktop_config.json');
    default:
      throw new McpInstallError('Unsupported client');
  }
}

export interface ProjectUrls {
  sse: string;
  streamable: string;
}

export function projectUrls(baseUrl: string, projectId: string): ProjectUrls {
  const root = `${trimEndChar(baseUrl, '/')}/api/v1/mcp/project/${projectId}`;
  return { sse: `${root}/sse`, streamable: `${root}/streamable` };
}

interface McpConfigFile {
  mcpServers?: Record<string, { command?: string; args?: unknown[]; url?: string; [key: string]: unknown }>;
  [key: string]: unknown;
}

async function readConfig(path: string): Promise<McpConfigFile> {
  if (!existsSync(path)) return {};
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as McpConfigFile) : { mcpServers: {} };
  } catch {
    return { mcpServers: {} };
  }
}

function referencesUrls(server: { args?: unknown[]; url?: string }, urls: string[]): boolean {
  if (typeof server.url === 'string' && urls.includes(server.url)) return true;
  return (server.args ?? []).some((a) => typeof a === 'string' && urls.includes(a));
}

export interface InstallOptions {
  client: string;
  transport?: string | null;
  projectId: string;
  projectName: string;
  baseUrl: string;
  /** An API key to put in the proxy's headers (projects with `apikey` auth). */
  apiKey?: string | null;
  dirs: ClientDirs;
  platform?: NodeJS.Platform;
}

/**
 * Adds this project's server to the client's config file as Langflow does: an `mcp-proxy`
 * command pointing at the project's SSE (or Streamable HTTP) URL, named `lf-<project>`, replacing
 * entries that already point at this project's URLs. Returns Langflow's message.
 */
/** `lf-<project>`: the MCP server name of a project in client configs. */
export function projectServerName(projectName: string): string {
  return `lf-${sanitizeMcpName(projectName).slice(0, MAX_MCP_SERVER_NAME_LENGTH - 4)}`;
}

export async function installMcpConfig(options: InstallOptions): Promise<{ message: string; path: string; serverName: string }> {
  const transport = (options.transport || 'sse').toLowerCase();
  if (transport !== 'sse' && transport !== 'streamablehttp') {
    throw new McpInstallError("Invalid transport. Use 'sse' or 'streamablehttp'.");
  }
  const path = configPath(options.client, options.dirs, options.platform);
  const clientName = options.client.charAt(0).toUpperCase() + options.client.slice(1).toLowerCase();
  if (!existsSync(dirname(path))) {
    throw new McpInstallError(`${clientName} is not installed on this system. Please install ${clientName} first.`);
  }
  const urls = projectUrls(options.baseUrl, options.projectId);
  const args: string[] = ['mcp-proxy'];
  if (options.apiKey) args.push('--headers', 'x-api-key', options.apiKey);
  if (transport === 'streamablehttp') args.push('--transport', 'streamablehttp');
  args.push(transport === 'streamablehttp' ? urls.streamable : urls.sse);
  const entry = (options.platform ?? process.platform) === 'win32' ? { command: 'cmd', args: ['/c', 'uvx', ...args] } : { command: 'uvx', args };
  const serverName = projectServerName(options.projectName);

  const config = await readConfig(path);
  const servers = { ...(config.mcpServers ?? {}) };
  const removed: string[] = [];
  for (const [name, server] of Object.entries(servers)) {
    if (server && typeof server === 'object' && referencesUrls(server, [urls.sse, urls.streamable])) {
      delete servers[name];
      removed.push(name);
    }
  }
  servers[serverName] = entry;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify({ ...config, mcpServers: servers }, null, 2));

  let message = `Successfully ${removed.length > 0 ? 'reinstalled' : 'installed'} MCP configuration for ${options.client}`;
  if (removed.length > 0) message += ` (replaced existing servers: ${removed.join(', ')})`;
  return { message, path, serverName };
}

export interface InstalledClient {
  name: McpClient;
  installed: boolean;
  available: boolean;
}

/** For each client: is its config directory there, and does its config point at this project? */
export async function installedClients(baseUrl: string, projectId: string, dirs: ClientDirs, platform?: NodeJS.Platform): Promise<InstalledClient[]> {
  const urls = projectUrls(baseUrl, projectId);
  const results: InstalledClient[] = [];
  for (const name of MCP_CLIENTS) {
    const path = configPath(name, dirs, platform);
    const available = existsSync(dirname(path));
    let installed = false;
    if (available && existsSync(path)) {
      const config = await readConfig(path);
      installed = Object.values(config.mcpServers ?? {}).some((s) => s && typeof s === 'object' && referencesUrls(s, [urls.sse, urls.streamable]));
    }
    results.push({ name, installed, available });
  }
  return results;
}
