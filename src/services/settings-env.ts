/**
 * Parsing of environment values for `readSettings` (src/services/settings.ts), with pydantic-settings'
 * rules for booleans and lists. Nothing here reads `process.env`: the caller passes the environment.
 */

export type Env = Readonly<Record<string, string | undefined>>;

// pydantic's words for booleans.
const TRUE_WORDS = new Set(['true', '1', 'yes', 'on', 't', 'y']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off', 'f', 'n']);

export class EnvReader {
  constructor(
    private readonly env: Env,
    private readonly prefix = 'LANGFLOW_',
  ) {}

  raw(name: string): string | undefined {
    const value = this.env[`${this.prefix}${name}`]?.trim();
    return value === undefined || value === '' ? undefined : value;
  }

  /** Set at all (an empty value counts: it means an empty list). */
  isSet(name: string): boolean {
    return this.env[`${this.prefix}${name}`] !== undefined;
  }

  string(name: string, fallback: string): string {
    return this.raw(name) ?? fallback;
  }

  bool(name: string, fallback: boolean): boolean {
    const value = this.raw(name)?.toLowerCase();
    if (value === undefined) return fallback;
    if (TRUE_WORDS.has(value)) return true;
    if (FALSE_WORDS.has(value)) return false;
    throw new Error(`${this.prefix}${name} must be true/false/1/0/yes/no/on/off, got "${value}"`);
  }

  int(name: string, fallback: number, min = 0): number {
    const value = this.raw(name);
    if (value === undefined) return fallback;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < min) throw new Error(`${this.prefix}${name} must be an integer ≥ ${min}, got "${value}"`);
    return parsed;
  }

  /** Comma list, or a JSON array as pydantic-settings accepts for list fields. */
  list(name: string, fallback: readonly string[]): string[] {
    const value = this.raw(name);
    if (value === undefined) return [...fallback];
    if (value.startsWith('[')) {
      const parsed: unknown = JSON.parse(value);
      if (!Array.isArray(parsed)) throw new Error(`${this.prefix}${name} must be a JSON array or a comma list`);
      return parsed.map(String).map((s) => s.trim()).filter(Boolean);
    }
    return value.split(',').map((s) => s.trim()).filter(Boolean);
  }
}

/** Prefixes of the server's own settings: never a flow's to read, whatever the allow-list says. */
const SETTINGS_PREFIXES = ['LANGFLOW_', 'WEFT_'];

/**
 * Whether a `load_from_db` name may fall back to the server's environment: only the provider
 * credentials of the allow-list (Langflow's `VARIABLES_TO_GET_FROM_ENVIRONMENT`, the
 * `LANGFLOW_VARIABLES_TO_GET_FROM_ENVIRONMENT` setting), never a setting of the server itself.
 * Langflow falls back for any name, which hands every user the server's secrets.
 */
export function mayReadFromEnvironment(name: string, allowed: readonly string[]): boolean {
  const upper = name.toUpperCase();
  if (SETTINGS_PREFIXES.some((prefix) => upper.startsWith(prefix))) return false;
  return allowed.includes(name);
}

/**
 * Whether a captured environment variable holds a credential of the server (an API key, a token, a
 * password) rather than configuration: names ending in `_URL`, `_ENDPOINT`, `_VERSION` or `_NAME`
 * (OLLAMA_BASE_URL, AZURE_OPENAI_API_VERSION...) are configuration, anything else is a credential.
 */
export function isCredentialVariable(name: string): boolean {
  return !/_(?:URL|ENDPOINT|VERSION|NAME)$/i.test(name);
}

/**
 * The server's credentials captured at start-up (`environmentVariables` and `providerEnvironment`), by
 * value: a user's variable holding one of these values (the login import copies them) is the
 * server's credential, not the user's.
 */
export function serverCredentialsByValue(...snapshots: Readonly<Record<string, string>>[]): ReadonlyMap<string, string> {
  const byValue = new Map<string, string>();
  for (const captured of snapshots) {
    for (const [name, value] of Object.entries(captured)) if (value && isCredentialVariable(name) && !byValue.has(value)) byValue.set(value, name);
  }
  return byValue;
}

/** The set, non-empty values of `names` in `env`, frozen: what is captured cannot change after start-up. */
export function snapshot(env: Env, names: Iterable<string>): Readonly<Record<string, string>> {
  // Keyed by configured names: no prototype for a `__proto__` name to reach.
  const values: Record<string, string> = Object.create(null);
  for (const name of names) {
    const value = env[name];
    if (value !== undefined && value !== '') values[name] = value;
  }
  return Object.freeze(values);
}

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

/**
 * The model providers' own environment variables (their API keys and base URLs), which Langflow's
 * providers' SDKs read themselves when a model component gives none. `readSettings` captures them;
 * the provider table (src/components/models_and_agents/providers) names no others (a test checks).
 */
export const PROVIDER_ENVIRONMENT_VARIABLES: readonly string[] = [
  'OPENAI_API_KEY',
  'OPENAI_BASE_URL',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_BASE_URL',
  'GOOGLE_API_KEY',
  'GOOGLE_BASE_URL',
  'GROQ_API_KEY',
  'GROQ_BASE_URL',
  'MISTRAL_API_KEY',
  'MISTRAL_BASE_URL',
  'AZURE_OPENAI_API_KEY',
  'AZURE_OPENAI_ENDPOINT',
  'OLLAMA_BASE_URL',
];
