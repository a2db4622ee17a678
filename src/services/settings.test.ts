import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { DEFAULT_VARIABLES_FROM_ENVIRONMENT, loadSettings } from './settings.js';

const dirs: string[] = [];
function configDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'weft-settings-')), 'nested', 'config');
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(join(dir, '..', '..'), { recursive: true, force: true });
});

test('defaults match Langflow, with the config dir created and a private secret key file', () => {
  const dir = configDir();
  const settings = loadSettings({ LANGFLOW_CONFIG_DIR: dir });
  assert.equal(settings.host, '127.0.0.1');
  assert.equal(settings.port, 7860);
  assert.equal(settings.databaseUrl, `sqlite:///${join(dir, 'weft.db')}`);
  assert.equal(settings.autoLogin, true);
  assert.equal(settings.skipAuthAutoLogin, false);
  assert.equal(settings.newUserIsActive, false);
  assert.equal(settings.accessTokenExpireSeconds, 3600);
  assert.equal(settings.refreshTokenExpireSeconds, 604800);
  assert.equal(settings.maxFileSizeUpload, 1024);
  assert.equal(settings.defaultFolderName, 'Starter Project');
  assert.equal(settings.eventDelivery, 'streaming');
  assert.equal(settings.redisUrl, null);
  assert.equal(settings.mcpServerEnabled, true);
  assert.deepEqual(settings.corsOrigins, []);
  assert.equal(settings.logLevel, 'error');
  assert.deepEqual(settings.runRecords, { transactionsStorageEnabled: true, vertexBuildsStorageEnabled: true, maxTransactionsToKeep: 3000, maxVertexBuildsToKeep: 3000, maxVertexBuildsPerVertex: 2 });
  assert.deepEqual(settings.variablesToGetFromEnvironment, DEFAULT_VARIABLES_FROM_ENVIRONMENT);
  const keyFile = join(dir, 'secret_key');
  assert.ok(existsSync(keyFile));
  assert.equal(statSync(keyFile).mode & 0o777, 0o600);
  assert.equal(readFileSync(keyFile, 'utf8'), settings.secretKey);
  assert.equal(Buffer.from(settings.secretKey, 'base64url').length, 32);
  assert.equal(loadSettings({ LANGFLOW_CONFIG_DIR: dir }).secretKey, settings.secretKey, 'the key survives restarts');
});

test('AUTO_LOGIN forces the default superuser; without it the configured one is used', () => {
  const dir = configDir();
  const forced = loadSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'pw' });
  assert.deepEqual([forced.superuser, forced.superuserPassword], ['langflow', 'langflow']);
  const own = loadSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_AUTO_LOGIN: 'False', LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'pw' });
  assert.deepEqual([own.autoLogin, own.superuser, own.superuserPassword], [false, 'admin', 'pw']);
});

test('booleans, numbers, lists and the secret key are read from the environment', () => {
  const settings = loadSettings({
    LANGFLOW_CONFIG_DIR: configDir(),
    LANGFLOW_SKIP_AUTH_AUTO_LOGIN: 'YES',
    LANGFLOW_NEW_USER_IS_ACTIVE: '1',
    LANGFLOW_FALLBACK_TO_ENV_VAR: 'no',
    LANGFLOW_REMOVE_API_KEYS: '0',
    LANGFLOW_PORT: '9000',
    LANGFLOW_SECRET_KEY: 'from-env',
    LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT: 'A_KEY, B_KEY',
    LANGFLOW_CORS_ORIGINS: '["https://a.example","https://b.example"]',
    LANGFLOW_DATABASE_URL: 'postgresql://u@h/db',
    LANGFLOW_EVENT_DELIVERY: 'polling',
    LANGFLOW_TRANSACTIONS_STORAGE_ENABLED: 'false',
    LANGFLOW_VERTEX_BUILDS_STORAGE_ENABLED: 'False',
    LANGFLOW_MAX_TRANSACTIONS_TO_KEEP: '10',
    LANGFLOW_MAX_VERTEX_BUILDS_TO_KEEP: '20',
    LANGFLOW_MAX_VERTEX_BUILDS_PER_VERTEX: '1',
    LANGFLOW_LOG_LEVEL: 'WARNING',
  });
  assert.equal(settings.logLevel, 'warning');
  assert.equal(settings.skipAuthAutoLogin, true);
  assert.equal(settings.newUserIsActive, true);
  assert.equal(settings.fallbackToEnvVar, false);
  assert.equal(settings.removeApiKeys, false);
  assert.equal(settings.port, 9000);
  assert.equal(settings.secretKey, 'from-env');
  assert.deepEqual(settings.variablesToGetFromEnvironment, ['A_KEY', 'B_KEY']);
  assert.deepEqual(settings.corsOrigins, ['https://a.example', 'https://b.example']);
  assert.equal(settings.databaseUrl, 'postgresql://u@h/db');
  assert.equal(settings.eventDelivery, 'polling');
  assert.deepEqual(settings.runRecords, { transactionsStorageEnabled: false, vertexBuildsStorageEnabled: false, maxTransactionsToKeep: 10, maxVertexBuildsToKeep: 20, maxVertexBuildsPerVertex: 1 });
  assert.ok(!existsSync(join(dirs[0], 'secret_key')), 'no key file when the env provides the key');
});

test('malformed values are refused with the variable named', () => {
  const dir = configDir();
  assert.throws(() => loadSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_AUTO_LOGIN: 'maybe' }), /LANGFLOW_AUTO_LOGIN/);
  assert.throws(() => loadSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_PORT: 'eighty' }), /LANGFLOW_PORT/);
  assert.throws(() => loadSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_EVENT_DELIVERY: 'carrier-pigeon' }), /LANGFLOW_EVENT_DELIVERY/);
  assert.throws(() => loadSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_MAX_TRANSACTIONS_TO_KEEP: '0' }), /LANGFLOW_MAX_TRANSACTIONS_TO_KEEP/);
  assert.throws(() => loadSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_LOG_LEVEL: 'loud' }), /LANGFLOW_LOG_LEVEL/);
  assert.throws(() => loadSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_TRANSACTIONS_STORAGE_ENABLED: 'sometimes' }), /LANGFLOW_TRANSACTIONS_STORAGE_ENABLED/);
});
