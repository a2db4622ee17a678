import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { createApiKey, hashPassword } from '../services/auth/index.js';
import { openDatabase, type Database, type DialectName, type UserRecord } from '../services/database/index.js';
import { freshDatabaseUrl, type FreshDatabase } from '../services/database/testing.js';
import { loadSettings, type Settings } from '../services/settings.js';
import { createApiAuth } from './auth.js';
import { createApp } from './app.js';

/** Test-only: a real server over loopback with a temp config dir and a fresh database. */
export interface Harness {
  app: FastifyInstance;
  base: string;
  settings: Settings;
  database: Database;
  configDir: string;
  /** The content of `<config_dir>/secret_key`, which no route may ever return. */
  secret: string;
  close(): Promise<void>;
}

export interface TestUser {
  user: UserRecord;
  apiKey: string;
  headers: Record<string, string>;
}

export async function startHarness(dialect: DialectName, env: Record<string, string> = {}): Promise<Harness> {
  const configDir = mkdtempSync(join(tmpdir(), 'weft-config-'));
  const secret = `secret-${Math.random().toString(36).slice(2)}`;
  writeFileSync(join(configDir, 'secret_key'), secret);
  const fresh: FreshDatabase = await freshDatabaseUrl(dialect);
  const settings = loadSettings({
    LANGFLOW_CONFIG_DIR: configDir,
    LANGFLOW_DATABASE_URL: fresh.url,
    LANGFLOW_AUTO_LOGIN: 'false',
    LANGFLOW_MAX_FILE_SIZE_UPLOAD: '1',
    ...env,
  });
  const database = await openDatabase(settings);
  const app = await createApp({ settings, database, auth: createApiAuth(settings, database), captureLogs: true });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as { port: number };
  return {
    app,
    base: `http://127.0.0.1:${port}`,
    settings,
    database,
    configDir,
    secret,
    async close() {
      await app.close();
      await database.close();
      await fresh.cleanup();
      rmSync(configDir, { recursive: true, force: true });
    },
  };
}

let counter = 0;

export async function addUser(database: Database, prefix: string): Promise<TestUser> {
  counter += 1;
  const user = await database.users.create({
    username: `${prefix}-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    passwordHash: await hashPassword('password'),
    isActive: true,
    isSuperuser: false,
  });
  const key = await createApiKey(database, user.id, 'test');
  return { user, apiKey: key.api_key, headers: { 'x-api-key': key.api_key } };
}

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
