import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export type EventDelivery = 'streaming' | 'polling' | 'direct';
export type LogLevel = 'debug' | 'info' | 'warning' | 'error' | 'critical';

/** Server settings, read from Langflow's `LANGFLOW_*` environment variables. */
export interface Settings {
  host: string;
  port: number;
  configDir: string;
  databaseUrl: string;
  autoLogin: boolean;
  skipAuthAutoLogin: boolean;
  superuser: string;
  superuserPassword: string;
  newUserIsActive: boolean;
  webhookAuthEnable: boolean;
  secretKey: string;
  accessTokenExpireSeconds: number;
  refreshTokenExpireSeconds: number;
  /** Megabytes, as Langflow counts it. */
  maxFileSizeUpload: number;
  fallbackToEnvVar: boolean;
  redisUrl: string | null;
  defaultFolderName: string;
  removeApiKeys: boolean;
  storeEnvironmentVariables: boolean;
  variablesToGetFromEnvironment: string[];
  developerApiEnabled: boolean;
  mcpServerEnabled: boolean;
  eventDelivery: EventDelivery;
  allowedHosts: string[];
  /** Empty means no cross-origin request may carry credentials. */
  corsOrigins: string[];
  /** What every run records (§G.3), as Langflow's settings of the same names govern it. */
  runRecords: RunRecordSettings;
  /** Langflow's `LANGFLOW_LOG_LEVEL` (default ERROR): the least severe record logged and kept for `/logs`. */
  logLevel: LogLevel;
}

export interface RunRecordSettings {
  transactionsStorageEnabled: boolean;
  vertexBuildsStorageEnabled: boolean;
  maxTransactionsToKeep: number;
  maxVertexBuildsToKeep: number;
  maxVertexBuildsPerVertex: number;
}

/** Langflow's defaults (the one place they are written): everything recorded, 3,000 transactions per flow, 3,000 builds in all and 2 per vertex. */
export const DEFAULT_RUN_RECORDS: Readonly<RunRecordSettings> = {
  transactionsStorageEnabled: true,
  vertexBuildsStorageEnabled: true,
  maxTransactionsToKeep: 3000,
  maxVertexBuildsToKeep: 3000,
  maxVertexBuildsPerVertex: 2,
};

export const DEFAULT_SUPERUSER = 'langflow';
export const DEFAULT_SUPERUSER_PASSWORD = 'langflow';

/** Langflow's `VARIABLES_TO_GET_FROM_ENVIRONMENT`: provider credentials worth importing as global variables. */
export const DEFAULT_VARIABLES_FROM_ENVIRONMENT: readonly string[] = [
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'GOOGLE_API_KEY',
  'GROQ_API_KEY',
  'MISTRAL_API_KEY',
  'COHERE_API_KEY',
  'NVIDIA_API_KEY',
  'AZURE_OPENAI_API_KEY',
  'AZURE_OPENAI_API_VERSION',
  'AZURE_OPENAI_API_INSTANCE_NAME',
  'AZURE_OPENAI_API_DEPLOYMENT_NAME',
  'AZURE_OPENAI_API_EMBEDDINGS_DEPLOYMENT_NAME',
  'ASTRA_DB_APPLICATION_TOKEN',
  'ASTRA_DB_API_ENDPOINT',
  'HUGGINGFACEHUB_API_TOKEN',
  'PINECONE_API_KEY',
  'SEARCHAPI_API_KEY',
  'SERPAPI_API_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'OLLAMA_BASE_URL',
  'COMPOSIO_API_KEY',
];

const EVENT_DELIVERIES: readonly EventDelivery[] = ['streaming', 'polling', 'direct'];
const LOG_LEVELS: readonly LogLevel[] = ['debug', 'info', 'warning', 'error', 'critical'];
const TRUE_WORDS = new Set(['true', '1', 'yes']);
const FALSE_WORDS = new Set(['false', '0', 'no']);

type Env = Record<string, string | undefined>;

class EnvReader {
  constructor(private readonly env: Env) {}

  raw(name: string): string | undefined {
    const value = this.env[`LANGFLOW_${name}`]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (TRUE_WORDS.has(value)) return true;
    if (FALSE_WORDS.has(value)) return false;
    throw new Error(`LANGFLOW_${name} must be true/false/1/0/yes/no, got "${value}"`);
  }

  int(name: string, fallback: number, min = 0): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`LANGFLOW_${name} must be an integer ≥ ${min}, got "${value}"`);
    return parsed;
  }

  /** Comma list, or a JSON array as pydantic-settings accepts for list fields. */
  list(name: string, fallback: readonly string[]): string[] {
    const value = this.raw(name);
    if (value === undefined) return [...fallback];
    if (value.startsWith('[')) {
      const parsed: unknown = JSON.parse(value);
      if (!Array.isArray(parsed)) throw new Error(`LANGFLOW_${name} must be a JSON array or a comma list`);
      return parsed.map(String).map((s) => s.trim()).filter(Boolean);
    }
    return value.split(',').map((s) => s.trim()).filter(Boolean);
  }
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? join(homedir(), path.slice(1)) : path;
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

export function loadSettings(env: Env = process.env): Settings {
  const read = new EnvReader(env);
  const configDir = resolve(expandHome(read.string('CONFIG_DIR', '~/.cache/weft')));
  mkdirSync(configDir, { recursive: true });

  const autoLogin = read.bool('AUTO_LOGIN', true);
  const eventDelivery = read.string('EVENT_DELIVERY', 'streaming').toLowerCase() as EventDelivery;
  if (!EVENT_DELIVERIES.includes(eventDelivery)) {
    throw new Error(`LANGFLOW_EVENT_DELIVERY must be one of ${EVENT_DELIVERIES.join(', ')}, got "${eventDelivery}"`);
  }

  const logLevel = read.string('LOG_LEVEL', 'error').toLowerCase() as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new Error(`LANGFLOW_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);

  return {
    host: read.string('HOST', '127.0.0.1'),
    port: read.int('PORT', 7860),
    configDir,
    databaseUrl: read.string('DATABASE_URL', `sqlite:///${join(configDir, 'weft.db')}`),
    autoLogin,
    skipAuthAutoLogin: read.bool('SKIP_AUTH_AUTO_LOGIN', false),
    // Langflow forces the default credentials whenever AUTO_LOGIN is on.
    superuser: autoLogin ? DEFAULT_SUPERUSER : read.string('SUPERUSER', DEFAULT_SUPERUSER),
    superuserPassword: autoLogin ? DEFAULT_SUPERUSER_PASSWORD : read.string('SUPERUSER_PASSWORD', DEFAULT_SUPERUSER_PASSWORD),
    newUserIsActive: read.bool('NEW_USER_IS_ACTIVE', false),
    webhookAuthEnable: read.bool('WEBHOOK_AUTH_ENABLE', false),
    secretKey: read.raw('SECRET_KEY') ?? secretKeyFromFile(configDir),
    accessTokenExpireSeconds: read.int('ACCESS_TOKEN_EXPIRE_SECONDS', 3600, 1),
    refreshTokenExpireSeconds: read.int('REFRESH_TOKEN_EXPIRE_SECONDS', 604800, 1),
    maxFileSizeUpload: read.int('MAX_FILE_SIZE_UPLOAD', 1024, 1),
    fallbackToEnvVar: read.bool('FALLBACK_TO_ENV_VAR', true),
    redisUrl: read.raw('REDIS_URL') ?? null,
    defaultFolderName: read.string('DEFAULT_FOLDER_NAME', 'Starter Project'),
    removeApiKeys: read.bool('REMOVE_API_KEYS', false),
    storeEnvironmentVariables: read.bool('STORE_ENVIRONMENT_VARIABLES', true),
    variablesToGetFromEnvironment: read.list('VARIABLES_TO_GET_FROM_ENVIRONMENT', DEFAULT_VARIABLES_FROM_ENVIRONMENT),
    developerApiEnabled: read.bool('DEVELOPER_API_ENABLED', false),
    mcpServerEnabled: read.bool('MCP_SERVER_ENABLED', true),
    eventDelivery,
    allowedHosts: read.list('ALLOWED_HOSTS', []),
    corsOrigins: read.list('CORS_ORIGINS', []),
    logLevel,
    runRecords: {
      transactionsStorageEnabled: read.bool('TRANSACTIONS_STORAGE_ENABLED', DEFAULT_RUN_RECORDS.transactionsStorageEnabled),
      vertexBuildsStorageEnabled: read.bool('VERTEX_BUILDS_STORAGE_ENABLED', DEFAULT_RUN_RECORDS.vertexBuildsStorageEnabled),
      maxTransactionsToKeep: read.int('MAX_TRANSACTIONS_TO_KEEP', DEFAULT_RUN_RECORDS.maxTransactionsToKeep, 1),
      maxVertexBuildsToKeep: read.int('MAX_VERTEX_BUILDS_TO_KEEP', DEFAULT_RUN_RECORDS.maxVertexBuildsToKeep, 1),
      maxVertexBuildsPerVertex: read.int('MAX_VERTEX_BUILDS_PER_VERTEX', DEFAULT_RUN_RECORDS.maxVertexBuildsPerVertex, 1),
    },
  };
}
