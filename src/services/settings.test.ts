import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import { providerVariableNames } from '../components/models_and_agents/providers/index.js';
import { DEFAULT_VARIABLES_FROM_ENVIRONMENT, loadSettings, PROVIDER_ENVIRONMENT_VARIABLES, readSettings } from './settings.js';

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
  assert.equal(settings.redisPrefix, 'weft');
  assert.equal(settings.jobs.redisUrl, null);
  assert.equal(settings.mcpServerEnabled, true);
  assert.deepEqual(settings.cors, { origins: [], allowCredentials: false, allowMethods: ['*'], allowHeaders: ['*'] });
  assert.deepEqual(settings.allowedHostHeaders, []);
  assert.equal(settings.maxBodySizeMb, 32);
  assert.deepEqual([settings.maxUnzippedSizeMb, settings.maxZipEntries], [32, 1000]);
  assert.equal(settings.requestTimeoutSeconds, 300);
  assert.equal(settings.logLevel, 'error');
  assert.deepEqual(settings.runRecords, { transactionsStorageEnabled: true, vertexBuildsStorageEnabled: true, maxTransactionsToKeep: 3000, maxVertexBuildsToKeep: 3000, maxVertexBuildsPerVertex: 2, maxTextLength: 20000, maxItemsLength: 1000, tracesStorageEnabled: true, maxTracesToKeep: 1000 });
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
    LANGFLOW_MAX_TEXT_LENGTH: '500',
    LANGFLOW_MAX_ITEMS_LENGTH: '7',
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
  assert.deepEqual(settings.cors.origins, ['https://a.example', 'https://b.example']);
  assert.equal(settings.databaseUrl, 'postgresql://u@h/db');
  assert.equal(settings.eventDelivery, 'polling');
  assert.deepEqual(settings.runRecords, { transactionsStorageEnabled: false, vertexBuildsStorageEnabled: false, maxTransactionsToKeep: 10, maxVertexBuildsToKeep: 20, maxVertexBuildsPerVertex: 1, maxTextLength: 500, maxItemsLength: 7, tracesStorageEnabled: true, maxTracesToKeep: 1000 });
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
  assert.throws(() => loadSettings({ LANGFLOW_CONFIG_DIR: dir, WEFT_MAX_BODY_SIZE_MB: '0' }), /WEFT_MAX_BODY_SIZE_MB/);
});

test('CORS: Langflow’s settings and defaults once origins are set; * never with credentials; the edge settings', () => {
  const dir = configDir();
  const configured = loadSettings({
    LANGFLOW_CONFIG_DIR: dir,
    LANGFLOW_CORS_ORIGINS: 'https://a.example, https://b.example',
    LANGFLOW_CORS_ALLOW_METHODS: 'GET,POST',
    LANGFLOW_CORS_ALLOW_HEADERS: 'x-api-key',
    WEFT_ALLOWED_HOSTS: 'weft.internal',
    WEFT_MAX_BODY_SIZE_MB: '64',
    WEFT_REQUEST_TIMEOUT_SECONDS: '0',
  });
  assert.deepEqual(configured.cors, { origins: ['https://a.example', 'https://b.example'], allowCredentials: true, allowMethods: ['GET', 'POST'], allowHeaders: ['x-api-key'] });
  assert.deepEqual([configured.allowedHostHeaders, configured.maxBodySizeMb, configured.requestTimeoutSeconds], [['weft.internal'], 64, 0]);
  // The unzipped limit follows the body limit unless set; the entry limit is its own.
  assert.equal(configured.maxUnzippedSizeMb, 64);
  const zipLimits = loadSettings({ LANGFLOW_CONFIG_DIR: dir, WEFT_MAX_UNZIPPED_SIZE_MB: '8', WEFT_MAX_ZIP_ENTRIES: '50' });
  assert.deepEqual([zipLimits.maxUnzippedSizeMb, zipLimits.maxZipEntries], [8, 50]);
  const wildcard = loadSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_CORS_ORIGINS: '*', LANGFLOW_CORS_ALLOW_CREDENTIALS: 'true' });
  assert.deepEqual(wildcard.cors.origins, ['*']);
  assert.equal(wildcard.cors.allowCredentials, false);
  assert.equal(loadSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_CORS_ORIGINS: 'https://a.example', LANGFLOW_CORS_ALLOW_CREDENTIALS: 'false' }).cors.allowCredentials, false);
});

test('host safety settings: log retrieval off, stdio MCP commands by deployment, response size cap', () => {
  const single = loadSettings({ LANGFLOW_CONFIG_DIR: configDir() });
  assert.equal(single.enableLogRetrieval, false);
  assert.deepEqual(single.mcpStdioCommands, ['uvx', 'npx'], 'one user on their own machine');
  assert.equal(single.maxResponseBytes, 10 * 1024 * 1024);
  const multi = loadSettings({ LANGFLOW_CONFIG_DIR: configDir(), LANGFLOW_AUTO_LOGIN: 'false' });
  assert.deepEqual(multi.mcpStdioCommands, [], 'no stdio commands in a multi-user deployment unless listed');
  const listed = loadSettings({
    LANGFLOW_CONFIG_DIR: configDir(),
    LANGFLOW_AUTO_LOGIN: 'false',
    LANGFLOW_ENABLE_LOG_RETRIEVAL: 'true',
    WEFT_MCP_STDIO_COMMANDS: 'uvx, /usr/bin/node',
    WEFT_MAX_RESPONSE_BYTES: '1024',
  });
  assert.deepEqual([listed.enableLogRetrieval, listed.mcpStdioCommands, listed.maxResponseBytes], [true, ['uvx', '/usr/bin/node'], 1024]);
  assert.deepEqual(loadSettings({ LANGFLOW_CONFIG_DIR: configDir(), WEFT_MCP_STDIO_COMMANDS: '' }).mcpStdioCommands, [], 'empty: none, even with AUTO_LOGIN');
  assert.throws(() => loadSettings({ LANGFLOW_CONFIG_DIR: configDir(), WEFT_MAX_RESPONSE_BYTES: 'lots' }), /WEFT_MAX_RESPONSE_BYTES/);
});

test('readSettings parses everything and creates nothing (`weft run FLOW.json`); loadSettings makes the config dir and key', () => {
  const dir = configDir();
  const parsed = readSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_ALLOWED_HOSTS: '10.0.0.0/8' });
  assert.equal(parsed.configDir, dir);
  assert.equal(parsed.secretKey, null);
  assert.deepEqual(parsed.allowedHosts, ['10.0.0.0/8']);
  assert.ok(!existsSync(dir), 'no config dir');
  const loaded = loadSettings({ LANGFLOW_CONFIG_DIR: dir });
  assert.ok(existsSync(join(dir, 'secret_key')));
  assert.equal(statSync(dir).mode & 0o777, 0o700);
  assert.equal(readSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_SECRET_KEY: 'k' }).secretKey, 'k');
  assert.equal(typeof loaded.secretKey, 'string');
});

test("the environment a flow may reach is captured once: allow-listed names (never the server's own), the providers' variables", () => {
  const env: Record<string, string> = {
    LANGFLOW_CONFIG_DIR: configDir(),
    LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT: 'OPENAI_API_KEY, LANGFLOW_SECRET_KEY, weft_max_body_size_mb, EMPTY_KEY, UNSET_KEY',
    LANGFLOW_SECRET_KEY: 'server-secret',
    weft_max_body_size_mb: '1',
    OPENAI_API_KEY: 'sk-env',
    OPENAI_BASE_URL: 'https://proxy.example/v1',
    EMPTY_KEY: '',
    UNLISTED_KEY: 'not for flows',
  };
  const settings = readSettings(env);
  assert.deepEqual({ ...settings.environmentVariables }, { OPENAI_API_KEY: 'sk-env' });
  assert.deepEqual({ ...settings.providerEnvironment }, { OPENAI_API_KEY: 'sk-env', OPENAI_BASE_URL: 'https://proxy.example/v1' });
  assert.ok(Object.isFrozen(settings.environmentVariables) && Object.isFrozen(settings.providerEnvironment));
  env.OPENAI_API_KEY = 'changed later';
  assert.equal(settings.environmentVariables.OPENAI_API_KEY, 'sk-env', 'a snapshot, not a view');
  for (const name of providerVariableNames()) assert.ok(PROVIDER_ENVIRONMENT_VARIABLES.includes(name), `${name} is captured for the providers`);
});

test('jobs, worker timeout, log buffer, home and APPDATA are settings too', () => {
  const defaults = readSettings({ LANGFLOW_CONFIG_DIR: configDir(), HOME: '/home/someone' });
  assert.deepEqual({ ...defaults.jobs, perUserConcurrency: 0 }, { redisUrl: null, redisPrefix: 'weft', ttlSeconds: 3600, workerEnabled: true, workerConcurrency: 16, lockMs: 5000, stalledIntervalMs: 1000, maxQueued: 10_000, perUserConcurrency: 0 });
  assert.ok(defaults.jobs.perUserConcurrency >= 2);
  assert.deepEqual([defaults.workerTimeoutSeconds, defaults.logRetrieverBufferSize], [300, 10_000]);
  assert.deepEqual([defaults.homeDir, defaults.appDataDir], ['/home/someone', join('/home/someone', 'AppData', 'Roaming')]);
  assert.equal(readSettings({ HOME: '/home/someone' }).configDir, join('/home/someone', '.cache', 'weft'), '~ is the settings\' home');
  const set = readSettings({
    LANGFLOW_CONFIG_DIR: configDir(),
    LANGFLOW_REDIS_URL: 'redis://r:6379',
    LANGFLOW_REDIS_PREFIX: 'p',
    LANGFLOW_JOB_TTL_SECONDS: '60',
    LANGFLOW_WORKER_ENABLED: 'off',
    LANGFLOW_WORKER_CONCURRENCY: '2',
    LANGFLOW_JOB_LOCK_MS: '600',
    LANGFLOW_JOB_STALLED_INTERVAL_MS: '200',
    LANGFLOW_JOB_MAX_QUEUED: '5',
    LANGFLOW_MAX_CONCURRENT_JOBS_PER_USER: '3',
    LANGFLOW_WORKER_TIMEOUT: '7',
    LANGFLOW_LOG_RETRIEVER_BUFFER_SIZE: '0',
    APPDATA: 'C:\\Users\\me\\AppData\\Roaming',
  });
  assert.deepEqual(set.jobs, { redisUrl: 'redis://r:6379', redisPrefix: 'p', ttlSeconds: 60, workerEnabled: false, workerConcurrency: 2, lockMs: 600, stalledIntervalMs: 200, maxQueued: 5, perUserConcurrency: 3 });
  assert.deepEqual([set.workerTimeoutSeconds, set.logRetrieverBufferSize, set.appDataDir], [7, 0, 'C:\\Users\\me\\AppData\\Roaming']);
  // With Redis the per-user limit spans the workers: by default half of one worker's slots.
  assert.equal(readSettings({ LANGFLOW_REDIS_URL: 'redis://r:6379', LANGFLOW_WORKER_CONCURRENCY: '10' }).jobs.perUserConcurrency, 5);
  assert.equal(readSettings({ LANGFLOW_REDIS_URL: 'redis://r:6379', LANGFLOW_WORKER_CONCURRENCY: '1' }).jobs.perUserConcurrency, 1);
  assert.throws(() => readSettings({ LANGFLOW_JOB_LOCK_MS: '100' }), /LANGFLOW_JOB_LOCK_MS/);
  assert.throws(() => readSettings({ LANGFLOW_WORKER_TIMEOUT: 'soon' }), /LANGFLOW_WORKER_TIMEOUT/);
  assert.throws(() => readSettings({ LANGFLOW_LOG_RETRIEVER_BUFFER_SIZE: '-1' }), /LANGFLOW_LOG_RETRIEVER_BUFFER_SIZE/);
});

test('traces, Prometheus and OTLP settings', () => {
  const defaults = readSettings({});
  assert.equal(defaults.runRecords.tracesStorageEnabled, true);
  assert.equal(defaults.runRecords.maxTracesToKeep, 1000);
  assert.deepEqual(defaults.prometheus, { enabled: false, port: 9090 });
  assert.deepEqual(defaults.otlp, { tracesEndpoint: null, headers: {}, serviceName: 'weft' });
  const set = readSettings({ LANGFLOW_NATIVE_TRACING: 'false', WEFT_MAX_TRACES_TO_KEEP: '5', LANGFLOW_PROMETHEUS_ENABLED: 'true', LANGFLOW_PROMETHEUS_PORT: '9464', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/', OTEL_EXPORTER_OTLP_HEADERS: 'api-key=a%3Db, x=y', OTEL_SERVICE_NAME: 'weft-eu' });
  assert.equal(set.runRecords.tracesStorageEnabled, false);
  assert.equal(set.runRecords.maxTracesToKeep, 5);
  assert.deepEqual(set.prometheus, { enabled: true, port: 9464 });
  assert.deepEqual(set.otlp, { tracesEndpoint: 'http://collector:4318/v1/traces', headers: { 'api-key': 'a=b', x: 'y' }, serviceName: 'weft-eu' });
  assert.equal(readSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://b/traces' }).otlp.tracesEndpoint, 'https://b/traces', 'the traces-specific endpoint is used as given');
  assert.throws(() => readSettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' }), /OTEL_EXPORTER_OTLP_ENDPOINT must be an http\(s\) URL/);
});
