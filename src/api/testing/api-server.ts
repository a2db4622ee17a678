import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshDatabaseUrl, type FreshDatabase } from '../../services/database/testing.js';
import type { DialectName } from '../../services/database/index.js';
import { loadSettings } from '../../services/settings.js';
import { startServer, type RunningServer } from '../../server.js';

/** A real server over loopback on a free port, with its own config dir and fresh database. */
export interface TestServer extends RunningServer {
  stop(): Promise<void>;
  /** fetch relative to the server, JSON body helpers. */
  call(path: string, init?: RequestInit & { json?: unknown }): Promise<{ status: number; body: unknown; text: string; headers: Headers }>;
}

export async function startTestServer(dialect: DialectName, env: Record<string, string> = {}): Promise<TestServer> {
  const configDir = mkdtempSync(join(tmpdir(), 'weft-api-'));
  const fresh: FreshDatabase = await freshDatabaseUrl(dialect);
  const settings = loadSettings({
    LANGFLOW_CONFIG_DIR: configDir,
    LANGFLOW_DATABASE_URL: fresh.url,
    LANGFLOW_HOST: '127.0.0.1',
    LANGFLOW_PORT: '0',
    LANGFLOW_SECRET_KEY: 'test-secret-key-for-the-api-suite',
    ...env,
  });
  const server = await startServer(settings, { handleSignals: false });
  return {
    ...server,
    async stop() {
      await server.close();
      await fresh.cleanup();
      rmSync(configDir, { recursive: true, force: true });
    },
    async call(path, init = {}) {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (json !== undefined) headers.set('content-type', 'application/json');
      const response = await fetch(server.url + path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // Not JSON (streams, zips): keep the text.
      }
      return { status: response.status, body, text, headers: response.headers };
    },
  };
}
