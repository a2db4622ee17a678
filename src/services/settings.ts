import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, homedir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JobSettings } from './jobs/config.js';
import { DEFAULT_LOG_BUFFER_SIZE } from './logs/buffer.js';
import { trimEndChar } from '../engine/trim.js';
import { DEFAULT_VARIABLES_FROM_ENVIRONMENT, EnvReader, mayReadFromEnvironment, PROVIDER_ENVIRONMENT_VARIABLES, snapshot, type Env } from './settings-env.js';

export { DEFAULT_VARIABLES_FROM_ENVIRONMENT, isCredentialVariable, mayReadFromEnvironment, PROVIDER_ENVIRONMENT_VARIABLES, serverCredentialsByValue } from './settings-env.js';

export type EventDelivery = 'streaming' | 'polling' | 'direct';
export type ApiKeySource = 'db' | 'env';
export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';

/**
 * Server settings, read from Langflow's `LANGFLOW_*` environment variables (and Weft's `WEFT_*`) by
 * `readSettings`: nothing else in src/ reads `process.env` (eslint enforces it). Parts of the
 * environment a flow may use are captured here too, as frozen snapshots.
 */
export interface Settings {
  host: string;
  port: number;
  configDir: string;
  /** `HOME`, else the OS's: where `~` in LANGFLOW_CONFIG_DIR and the MCP clients' config files are. */
  homeDir: string;
  /** Windows' `APPDATA` (Claude Desktop's config), else `<home>/AppData/Roaming`. */
  appDataDir: string;
  databaseUrl: string;
  autoLogin: boolean;
  skipAuthAutoLogin: boolean;
  superuser: string;
  superuserPassword: string;
  newUserIsActive: boolean;
  /** Anonymous POST /api/v1/users/ (sign-up) when AUTO_LOGIN is off; superusers may always add users. */
  enableSignup: boolean;
  webhookAuthEnable: boolean;
  /** Largest webhook body accepted, in bytes (`LANGFLOW_WEBHOOK_MAX_PAYLOAD_MB`, default 1 MB): the payload is stored with the run. */
  webhookMaxPayloadBytes: number;
  /**
   * The job queue (`redisUrl`/`redisPrefix` below, LANGFLOW_JOB_*, LANGFLOW_WORKER_*: docs/jobs.md), and the jobs
   * (builds, webhooks, v2 workflows) one user may run at once in this process (`LANGFLOW_MAX_CONCURRENT_JOBS_PER_USER`).
   */
  jobs: JobSettings;
  /** `LANGFLOW_WORKER_TIMEOUT`: seconds a v2 sync workflow may run before 408 EXECUTION_TIMEOUT (default 300). */
  workerTimeoutSeconds: number;
  secretKey: string;
  accessTokenExpireSeconds: number;
  refreshTokenExpireSeconds: number;
  /** Langflow's `API_KEY_SOURCE`: `env` also accepts `apiKeyFromEnv` (as the superuser); database keys work either way. */
  apiKeySource: ApiKeySource;
  /** Langflow's `LANGFLOW_API_KEY`, used only when `apiKeySource` is `env`. */
  apiKeyFromEnv: string | null;
  /** Failed logins allowed per client address within `loginFailureWindowSeconds` (10× that per account); 0 turns the limit off. */
  loginMaxFailures: number;
  loginFailureWindowSeconds: number;
  /** Megabytes, as Langflow counts it. */
  maxFileSizeUpload: number;
  fallbackToEnvVar: boolean;
  /** `LANGFLOW_REDIS_URL`: the distributed deployment (jobs, events, login limits shared by every instance). */
  redisUrl: string | null;
  /** `LANGFLOW_REDIS_PREFIX` (default `weft`): the key namespace of this deployment in Redis. */
  redisPrefix: string;
  defaultFolderName: string;
  removeApiKeys: boolean;
  storeEnvironmentVariables: boolean;
  variablesToGetFromEnvironment: string[];
  /**
   * The allow-listed names' values in the environment at start-up (never a LANGFLOW_ or WEFT_ name): what a
   * `load_from_db` field may fall back to (with `fallbackToEnvVar`) and what logins import as variables.
   */
  environmentVariables: Readonly<Record<string, string>>;
  /**
   * The model providers' own variables in the environment at start-up (API keys and base URLs,
   * `PROVIDER_ENVIRONMENT_VARIABLES`): a model component without them falls back on these, as the
   * providers' SDKs read them in Langflow.
   */
  providerEnvironment: Readonly<Record<string, string>>;
  developerApiEnabled: boolean;
  mcpServerEnabled: boolean;
  eventDelivery: EventDelivery;
  allowedHosts: string[];
  /** Cross-origin access (Langflow's `LANGFLOW_CORS_*`); none unless origins are configured. */
  cors: CorsSettings;
  /**
   * `WEFT_ALLOWED_HOSTS`: `Host` header names served besides loopback names (DNS-rebinding guard). The
   * guard is on when the server is bound to loopback or this list is set; `*` turns it off.
   */
  allowedHostHeaders: string[];
  /** `WEFT_MAX_BODY_SIZE_MB`: largest JSON, form or text body (and flow file) parsed in memory. Uploads keep `maxFileSizeUpload`. */
  maxBodySizeMb: number;
  /** `WEFT_MAX_UNZIPPED_SIZE_MB` (default `WEFT_MAX_BODY_SIZE_MB`) and `WEFT_MAX_ZIP_ENTRIES` (1,000): what an uploaded zip of flows may unpack to. */
  maxUnzippedSizeMb: number;
  maxZipEntries: number;
  /** `WEFT_REQUEST_TIMEOUT_SECONDS`: time to receive a whole request, headers and body (0: no limit). Responses are not limited. */
  requestTimeoutSeconds: number;
  /** What every run records (§G.3), as Langflow's settings of the same names govern it. */
  runRecords: RunRecordSettings;
  /** Langflow's `LANGFLOW_LOG_LEVEL` (default ERROR): the least severe record logged and kept for `/logs`. */
  logLevel: LogLevel;
  /** Langflow's `LANGFLOW_ENABLE_LOG_RETRIEVAL` (default off, as Langflow): `/logs` and `/logs-stream` answer 501 without it. */
  enableLogRetrieval: boolean;
  /** `LANGFLOW_LOG_RETRIEVER_BUFFER_SIZE`: log lines kept for `/logs` (default 10,000; 0 keeps none). */
  logRetrieverBufferSize: number;
  /**
   * `WEFT_MCP_STDIO_COMMANDS`: the executables a superuser's stdio MCP server may start (`*`: any).
   * Default `uvx,npx` with AUTO_LOGIN (one user, their own machine), none in a multi-user deployment.
   */
  mcpStdioCommands: string[];
  /** `WEFT_DIRECTORY_ROOTS`: server folders the Directory component may read (superusers' runs only; default none). */
  directoryRoots: string[];
  /** `WEFT_MAX_RESPONSE_BYTES`: the largest body, after decompression, a component's outbound fetch reads (default 10 MiB). */
  maxResponseBytes: number;
  /** `WEFT_MAX_FLOW_DEPTH`: how deep Run Flow may nest flows (default 10); a flow that runs itself stops there with an error. */
  maxFlowDepth: number;
  /** `WEFT_MAX_SUBFLOW_RUNS`: how many flows Run Flow may start within one top-level run, at any depth (default 1,000). */
  maxSubflowRuns: number;
  /** `WEFT_SHUTDOWN_GRACE_SECONDS`: after SIGTERM/SIGINT, runs are cancelled and the process exits within this time whatever is still running (default 10). */
  shutdownGraceSeconds: number;
  /** Langflow's `LANGFLOW_WORKERS` (or `weft serve --workers N`): server processes sharing one port (default 1). */
  workers: number;
  /** User-written TypeScript components in the WebAssembly sandbox (docs/custom-components.md). */
  customComponents: CustomComponentSettings;
  /** Prometheus metrics (docs/traces.md): Langflow's `LANGFLOW_PROMETHEUS_ENABLED` (default off) and `LANGFLOW_PROMETHEUS_PORT` (9090). */
  prometheus: { enabled: boolean; port: number };
  /** OpenTelemetry export of run traces over OTLP/HTTP (docs/traces.md), from the standard `OTEL_*` variables. */
  otlp: OtlpSettings;
}

export interface OtlpSettings {
  /** `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as given, else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`; null: no export. */
  tracesEndpoint: string | null;
  /** `OTEL_EXPORTER_OTLP_TRACES_HEADERS` / `OTEL_EXPORTER_OTLP_HEADERS`: `key=value` pairs, comma-separated. */
  headers: Readonly<Record<string, string>>;
  /** `OTEL_SERVICE_NAME` (default `weft`). */
  serviceName: string;
}

/** The OTLP trace exporter's settings from the standard OpenTelemetry variables. */
function otlpSettings(env: Env): OtlpSettings {
  const specific = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  const general = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  const tracesEndpoint = specific || (general ? `${trimEndChar(general, '/')}/v1/traces` : null);
  if (tracesEndpoint && !/^https?:\/\//i.test(tracesEndpoint)) throw new Error(`OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL, got "${tracesEndpoint}"`);
  const headers: Record<string, string> = {};
  for (const pair of (env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ?? env.OTEL_EXPORTER_OTLP_HEADERS ?? '').split(',')) {
    const at = pair.indexOf('=');
    if (at > 0) headers[decodeURIComponent(pair.slice(0, at).trim())] = decodeURIComponent(pair.slice(at + 1).trim());
  }
  return { tracesEndpoint, headers, serviceName: env.OTEL_SERVICE_NAME?.trim() || 'weft' };
}

/** `WEFT_CUSTOM_COMPONENTS*`: custom components and the limits of every sandboxed call. */
export interface CustomComponentSettings {
  /** `WEFT_CUSTOM_COMPONENTS` (default true): false refuses custom code everywhere (routes and runs). */
  enabled: boolean;
  /** `WEFT_CUSTOM_COMPONENTS_MEMORY_MB` (default 32): the sandbox's whole heap for one call. */
  memoryMb: number;
  /** `WEFT_CUSTOM_COMPONENTS_TIMEOUT_MS` (default 10,000): wall time for one call, always with the memory limit. */
  timeoutMs: number;
  /** `WEFT_CUSTOM_COMPONENTS_MAX_OUTPUT_BYTES` (default 1 MiB): the largest value a call may return, as JSON. */
  maxOutputBytes: number;
  /** `WEFT_CUSTOM_COMPONENTS_THREADS` (default 2): worker threads running sandboxes, so no call holds the event loop. */
  threads: number;
  /** `WEFT_CUSTOM_COMPONENTS_WARM` (default 4): pre-warmed sandboxes kept per thread (each used once, for one owner). */
  warm: number;
  /** `WEFT_CUSTOM_COMPONENTS_FETCH` (default false): lets components call `fetch` through the SSRF-guarded client. */
  fetch: boolean;
}

export const DEFAULT_MAX_FLOW_DEPTH = 10;
export const DEFAULT_MAX_SUBFLOW_RUNS = 1000;

/** Langflow's CORS settings, applied with Starlette's `CORSMiddleware` semantics. */
export interface CorsSettings {
  /** Allowed origins; empty allows none (Weft's default), `['*']` any (never with credentials). */
  origins: string[];
  /** Off without origins, and forced off with `*` origins: credentials never go to any origin. */
  allowCredentials: boolean;
  /** `['*']` allows every method. */
  allowMethods: string[];
  /** `['*']` allows (echoes) every requested header. */
  allowHeaders: string[];
}

export interface RunRecordSettings {
  transactionsStorageEnabled: boolean;
  vertexBuildsStorageEnabled: boolean;
  maxTransactionsToKeep: number;
  maxVertexBuildsToKeep: number;
  maxVertexBuildsPerVertex: number;
  /** Langflow's `MAX_TEXT_LENGTH`: longer strings in recorded builds and transactions keep this many characters and "...". */
  maxTextLength: number;
  /** Langflow's `MAX_ITEMS_LENGTH`: longer lists in them keep this many items and a "... [truncated N items]" marker. */
  maxItemsLength: number;
  /** Langflow's `LANGFLOW_NATIVE_TRACING` (default on): every run records a trace (`/api/v1/monitor/traces`). */
  tracesStorageEnabled: boolean;
  /** `WEFT_MAX_TRACES_TO_KEEP`: traces kept per flow, the oldest pruned first (default 1,000). */
  maxTracesToKeep: number;
}

/**
 * Langflow's defaults (the one place they are written): everything recorded, 3,000 transactions per flow, 3,000 builds in
 * all and 2 per vertex, values cut at 20,000 characters and 1,000 items (what `/api/v1/config` reports).
 */
export const DEFAULT_RUN_RECORDS: Readonly<RunRecordSettings> = {
  transactionsStorageEnabled: true,
  vertexBuildsStorageEnabled: true,
  maxTransactionsToKeep: 3000,
  maxVertexBuildsToKeep: 3000,
  maxVertexBuildsPerVertex: 2,
  maxTextLength: 20000,
  maxItemsLength: 1000,
  tracesStorageEnabled: true,
  maxTracesToKeep: 1000,
};

/** Stdio MCP launchers allowed by default when one user runs Weft on their own machine (AUTO_LOGIN). */
export const DEFAULT_SINGLE_USER_STDIO_COMMANDS: readonly string[] = ['uvx', 'npx'];
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;
/** One user's share of the in-process job slots (4 × CPUs, at least 4): half, so another user always finds free slots. */
export const DEFAULT_JOBS_PER_USER = Math.max(2, Math.floor(Math.max(4, availableParallelism() * 4) / 2));

export const DEFAULT_SUPERUSER = 'langflow';
export const DEFAULT_SUPERUSER_PASSWORD = 'langflow';


const EVENT_DELIVERIES: readonly EventDelivery[] = ['streaming', 'polling', 'direct'];
const API_KEY_SOURCES: readonly ApiKeySource[] = ['db', 'env'];
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warning', 'error', 'critical'];
function expandHome(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? join(home, path.slice(1)) : path;
}

/** Reads `<configDir>/secret_key`, creating it (owner-only) on first start so tokens survive restarts. */
function secretKeyFromFile(configDir: string): string {
  const path = join(configDir, 'secret_key');
  if (existsSync(path)) {
    const stored = readFileSync(path, 'utf8').trim();
    if (stored) return stored;
  }
  const generated = randomBytes(32).toString('base64url');
  writeFileSync(path, generated, { mode: 0o600 });
  chmodSync(path, 0o600);
  return generated;
}

/**
 * Langflow's CORS settings with Langflow's defaults (any method, any header, credentials on) once
 * origins are set, but no origin by default, and `*` never with credentials.
 */
function corsSettings(read: EnvReader): CorsSettings {
  const origins = read.list('CORS_ORIGINS', []);
  return {
    origins,
    allowCredentials: read.bool('CORS_ALLOW_CREDENTIALS', true) && origins.length > 0 && !origins.includes('*'),
    allowMethods: read.list('CORS_ALLOW_METHODS', ['*']),
    allowHeaders: read.list('CORS_ALLOW_HEADERS', ['*']),
  };
}

/** The job queue's settings (docs/jobs.md), on the deployment's Redis (`redisUrl`, `redisPrefix`). */
function jobSettings(read: EnvReader, redis: Pick<JobSettings, 'redisUrl' | 'redisPrefix'>): JobSettings {
  const workerConcurrency = read.int('WORKER_CONCURRENCY', 16, 1);
  // With Redis the per-user limit holds across all workers; by default a user gets half of one worker's slots.
  const defaultPerUser = redis.redisUrl ? Math.max(1, Math.floor(workerConcurrency / 2)) : DEFAULT_JOBS_PER_USER;
  return {
    ...redis,
    ttlSeconds: read.int('JOB_TTL_SECONDS', 3600, 1),
    workerEnabled: read.bool('WORKER_ENABLED', true),
    workerConcurrency,
    lockMs: read.int('JOB_LOCK_MS', 5000, 500),
    stalledIntervalMs: read.int('JOB_STALLED_INTERVAL_MS', 1000, 100),
    maxQueued: read.int('JOB_MAX_QUEUED', 10_000, 1),
    perUserConcurrency: read.int('MAX_CONCURRENT_JOBS_PER_USER', defaultPerUser, 1),
  };
}

/** Settings as read, before start-up has a config dir and a secret key (see `loadSettings`). */
export type ParsedSettings = Omit<Settings, 'secretKey'> & { secretKey: string | null };

/**
 * Every setting, parsed from `env` (the process's environment by default): the one place Weft reads
 * its environment. Pure: nothing is created, so `weft run FLOW.json` can use it without a config dir.
 * Throws on a malformed value, naming the variable.
 */
export function readSettings(env: Env = process.env): ParsedSettings {
  const read = new EnvReader(env);
  // Weft's own settings, where Langflow has none.
  const weft = new EnvReader(env, 'WEFT_');
  const homeDir = env.HOME?.trim() || homedir();
  const configDir = resolve(expandHome(read.string('CONFIG_DIR', '~/.cache/weft'), homeDir));

  const autoLogin = read.bool('AUTO_LOGIN', true);
  const eventDelivery = read.string('EVENT_DELIVERY', 'streaming').toLowerCase() as EventDelivery;
  if (!EVENT_DELIVERIES.includes(eventDelivery)) {
    throw new Error(`LANGFLOW_EVENT_DELIVERY must be one of ${EVENT_DELIVERIES.join(', ')}, got "${eventDelivery}"`);
  }

  const apiKeySource = read.string('API_KEY_SOURCE', 'db').toLowerCase() as ApiKeySource;
  if (!API_KEY_SOURCES.includes(apiKeySource)) throw new Error(`LANGFLOW_API_KEY_SOURCE must be db or env, got "${apiKeySource}"`);

  const logLevel = read.string('LOG_LEVEL', 'error').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LANGFLOW_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  const redisUrl = read.raw('REDIS_URL') ?? null;
  const redisPrefix = read.string('REDIS_PREFIX', 'weft');
  const variablesToGetFromEnvironment = read.list('VARIABLES_TO_GET_FROM_ENVIRONMENT', DEFAULT_VARIABLES_FROM_ENVIRONMENT);

  return {
    host: read.string('HOST', '127.0.0.1'),
    port: read.int('PORT', 7860),
    configDir,
    homeDir,
    appDataDir: env.APPDATA?.trim() || join(homeDir, 'AppData', 'Roaming'),
    databaseUrl: read.string('DATABASE_URL', `sqlite:///${join(configDir, 'weft.db')}`),
    autoLogin,
    skipAuthAutoLogin: read.bool('SKIP_AUTH_AUTO_LOGIN', false),
    // Langflow forces the default credentials whenever AUTO_LOGIN is on.
    superuser: autoLogin ? DEFAULT_SUPERUSER : read.string('SUPERUSER', DEFAULT_SUPERUSER),
    superuserPassword: autoLogin ? DEFAULT_SUPERUSER_PASSWORD : read.string('SUPERUSER_PASSWORD', DEFAULT_SUPERUSER_PASSWORD),
    newUserIsActive: read.bool('NEW_USER_IS_ACTIVE', false),
    enableSignup: read.bool('ENABLE_SIGNUP', true),
    webhookAuthEnable: read.bool('WEBHOOK_AUTH_ENABLE', false),
    webhookMaxPayloadBytes: read.int('WEBHOOK_MAX_PAYLOAD_MB', 1, 1) * 1024 * 1024,
    jobs: jobSettings(read, { redisUrl, redisPrefix }),
    workerTimeoutSeconds: read.int('WORKER_TIMEOUT', 300, 1),
    secretKey: read.raw('SECRET_KEY') ?? null,
    accessTokenExpireSeconds: read.int('ACCESS_TOKEN_EXPIRE_SECONDS', 3600, 1),
    refreshTokenExpireSeconds: read.int('REFRESH_TOKEN_EXPIRE_SECONDS', 604800, 1),
    apiKeySource,
    apiKeyFromEnv: read.raw('API_KEY') ?? null,
    loginMaxFailures: read.int('LOGIN_MAX_FAILURES', 10),
    loginFailureWindowSeconds: read.int('LOGIN_FAILURE_WINDOW_SECONDS', 900, 1),
    maxFileSizeUpload: read.int('MAX_FILE_SIZE_UPLOAD', 1024, 1),
    fallbackToEnvVar: read.bool('FALLBACK_TO_ENV_VAR', true),
    redisUrl,
    redisPrefix,
    defaultFolderName: read.string('DEFAULT_FOLDER_NAME', 'Starter Project'),
    removeApiKeys: read.bool('REMOVE_API_KEYS', false),
    storeEnvironmentVariables: read.bool('STORE_ENVIRONMENT_VARIABLES', true),
    variablesToGetFromEnvironment,
    // Captured now; the server's own settings (LANGFLOW_ and WEFT_ names) are never among them.
    environmentVariables: snapshot(env, variablesToGetFromEnvironment.filter((name) => mayReadFromEnvironment(name, variablesToGetFromEnvironment))),
    providerEnvironment: snapshot(env, PROVIDER_ENVIRONMENT_VARIABLES),
    developerApiEnabled: read.bool('DEVELOPER_API_ENABLED', false),
    mcpServerEnabled: read.bool('MCP_SERVER_ENABLED', true),
    eventDelivery,
    allowedHosts: read.list('ALLOWED_HOSTS', []),
    cors: corsSettings(read),
    allowedHostHeaders: weft.list('ALLOWED_HOSTS', []),
    maxBodySizeMb: weft.int('MAX_BODY_SIZE_MB', 32, 1),
    maxUnzippedSizeMb: weft.int('MAX_UNZIPPED_SIZE_MB', weft.int('MAX_BODY_SIZE_MB', 32, 1), 1),
    maxZipEntries: weft.int('MAX_ZIP_ENTRIES', 1000, 1),
    requestTimeoutSeconds: weft.int('REQUEST_TIMEOUT_SECONDS', 300, 0),
    logLevel,
    enableLogRetrieval: read.bool('ENABLE_LOG_RETRIEVAL', false),
    logRetrieverBufferSize: read.int('LOG_RETRIEVER_BUFFER_SIZE', DEFAULT_LOG_BUFFER_SIZE, 0),
    directoryRoots: weft.list('DIRECTORY_ROOTS', []),
    mcpStdioCommands: weft.isSet('MCP_STDIO_COMMANDS') ? weft.list('MCP_STDIO_COMMANDS', []) : autoLogin ? [...DEFAULT_SINGLE_USER_STDIO_COMMANDS] : [],
    maxResponseBytes: weft.int('MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES, 1),
    maxFlowDepth: weft.int('MAX_FLOW_DEPTH', DEFAULT_MAX_FLOW_DEPTH, 1),
    maxSubflowRuns: weft.int('MAX_SUBFLOW_RUNS', DEFAULT_MAX_SUBFLOW_RUNS, 1),
    shutdownGraceSeconds: weft.int('SHUTDOWN_GRACE_SECONDS', 10, 1),
    workers: read.int('WORKERS', 1, 1),
    prometheus: { enabled: read.bool('PROMETHEUS_ENABLED', false), port: read.int('PROMETHEUS_PORT', 9090, 0) },
    otlp: otlpSettings(env),
    customComponents: {
      enabled: weft.bool('CUSTOM_COMPONENTS', true),
      memoryMb: weft.int('CUSTOM_COMPONENTS_MEMORY_MB', 32, 4),
      timeoutMs: weft.int('CUSTOM_COMPONENTS_TIMEOUT_MS', 10_000, 10),
      maxOutputBytes: weft.int('CUSTOM_COMPONENTS_MAX_OUTPUT_BYTES', 1024 * 1024, 1),
      threads: weft.int('CUSTOM_COMPONENTS_THREADS', 2, 1),
      warm: weft.int('CUSTOM_COMPONENTS_WARM', 4, 0),
      fetch: weft.bool('CUSTOM_COMPONENTS_FETCH', false),
    },
    runRecords: {
      transactionsStorageEnabled: read.bool('TRANSACTIONS_STORAGE_ENABLED', DEFAULT_RUN_RECORDS.transactionsStorageEnabled),
      vertexBuildsStorageEnabled: read.bool('VERTEX_BUILDS_STORAGE_ENABLED', DEFAULT_RUN_RECORDS.vertexBuildsStorageEnabled),
      maxTransactionsToKeep: read.int('MAX_TRANSACTIONS_TO_KEEP', DEFAULT_RUN_RECORDS.maxTransactionsToKeep, 1),
      maxVertexBuildsToKeep: read.int('MAX_VERTEX_BUILDS_TO_KEEP', DEFAULT_RUN_RECORDS.maxVertexBuildsToKeep, 1),
      maxVertexBuildsPerVertex: read.int('MAX_VERTEX_BUILDS_PER_VERTEX', DEFAULT_RUN_RECORDS.maxVertexBuildsPerVertex, 1),
      maxTextLength: read.int('MAX_TEXT_LENGTH', DEFAULT_RUN_RECORDS.maxTextLength, 1),
      maxItemsLength: read.int('MAX_ITEMS_LENGTH', DEFAULT_RUN_RECORDS.maxItemsLength, 1),
      tracesStorageEnabled: read.bool('NATIVE_TRACING', DEFAULT_RUN_RECORDS.tracesStorageEnabled),
      maxTracesToKeep: weft.int('MAX_TRACES_TO_KEEP', DEFAULT_RUN_RECORDS.maxTracesToKeep, 1),
    },
  };
}

/**
 * The settings of a process that serves or runs stored flows (`weft serve`, `weft worker`,
 * `weft run --user`): `readSettings`, then the config dir (owner-only: it holds the secret key, the
 * SQLite database and uploaded files) and the secret key, created on first start.
 */
export function loadSettings(env: Env = process.env): Settings {
  const parsed = readSettings(env);
  mkdirSync(parsed.configDir, { recursive: true, mode: 0o700 });
  return { ...parsed, secretKey: parsed.secretKey ?? secretKeyFromFile(parsed.configDir) };
}
