import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createApiKey, hashPassword } from '../src/services/auth/index.js';
import type { Database, DialectName, UserRecord } from '../src/services/database/index.js';
import { loadSettings, type Settings } from '../src/services/settings.js';
import { startServer } from '../src/server.js';
import { freshDatabaseUrl, type FreshDatabase } from './database.js';

/**
 * A real server over loopback on a free port, started as `weft serve` starts it (migrations, the
 * superuser, the app), with its own config dir and fresh database.
 */
export interface TestServer {
  app: FastifyInstance;
  /** `http://127.0.0.1:<port>`. */
  url: string;
  settings: Settings;
  /** The server's database, for arranging what a test needs without going through the API. */
  database: Database;
  configDir: string;
  /** The content of `<config_dir>/secret_key` (the server's secret key unless `LANGFLOW_SECRET_KEY` is given), which no route may ever return. */
  secret: string;
  /** fetch relative to the server, with a JSON body helper; the body is parsed when it is JSON. */
  call(path: string, init?: RequestInit & { json?: unknown }): Promise<{ status: number; body: unknown; text: string; headers: Headers }>;
  /** Closes the server and removes its database and config dir. */
  stop(): Promise<void>;
}

/** `uiDir`: the built browser app to serve (see `startServer`). */
export async function startTestServer(dialect: DialectName, env: Record<string, string> = {}, options: { uiDir?: string } = {}): Promise<TestServer> {
  const configDir = mkdtempSync(join(tmpdir(), 'weft-api-'));
  const secret = randomBytes(24).toString('base64url');
  writeFileSync(join(configDir, 'secret_key'), secret, { mode: 0o600 });
  const fresh: FreshDatabase = await freshDatabaseUrl(dialect);
  const settings = loadSettings({
    LANGFLOW_CONFIG_DIR: configDir,
    LANGFLOW_DATABASE_URL: fresh.url,
    LANGFLOW_HOST: '127.0.0.1',
    LANGFLOW_PORT: '0',
    ...env,
  });
  let server;
  try {
    server = await startServer(settings, { handleSignals: false, uiDir: options.uiDir });
  } catch (error) {
    await fresh.cleanup();
    rmSync(configDir, { recursive: true, force: true });
    throw error;
  }
  const { app, url } = server;
  return {
    app,
    url,
    settings,
    database: app.weft.database,
    configDir,
    secret,
    async stop() {
      await server.close();
      await fresh.cleanup();
      rmSync(configDir, { recursive: true, force: true });
    },
    async call(path, init = {}) {
      const { json, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (json !== undefined) headers.set('content-type', 'application/json');
      const response = await fetch(url + path, { ...rest, headers, body: json !== undefined ? JSON.stringify(json) : rest.body });
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

/** An active user made straight in the database, with an API key and the headers that carry it. */
export interface TestUser {
  user: UserRecord;
  apiKey: string;
  headers: Record<string, string>;
}

let counter = 0;

export async function addUser(database: Database, prefix: string, options: { superuser?: boolean } = {}): Promise<TestUser> {
  counter += 1;
  const user = await database.users.create({
    username: `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    passwordHash: await hashPassword('password'),
    isActive: true,
    isSuperuser: options.superuser ?? false,
  });
  const key = await createApiKey(database, user.id, 'test');
  return { user, apiKey: key.api_key, headers: { 'x-api-key': key.api_key } };
}

/** An empty flow of `owner`'s; returns its id. */
export async function addFlow(database: Database, owner: TestUser, name = 'Flow'): Promise<string> {
  const flow = await database.flows.create(owner.user.id, { name: `${name} ${Math.random().toString(36).slice(2, 8)}`, data: { nodes: [], edges: [] } });
  return flow.id;
}

/** A multipart body with one `file` field. */
export function fileForm(name: string, content: string | Uint8Array, type = 'application/octet-stream'): FormData {
  const form = new FormData();
  const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content;
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), name);
  return form;
}
