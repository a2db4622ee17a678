import type { ComponentContext } from '../../../engine/component.js';
import { ForbiddenError } from '../../../engine/errors.js';
import { ServerCredential, serverCredentialValue } from '../../../engine/server-credential.js';
import { providerBaseUrl, providerInfo, type ProviderId } from './index.js';
import { trimEndChar } from '../../../engine/trim.js';

/** A key or URL and where it came from: the user (a field, a tweak, their variable, a request header) or the server's environment. */
interface Sourced {
  value: string;
  server: boolean;
  /** Where it came from, for error messages: `the OpenAI API Base field`, `your OPENAI_BASE_URL variable`. */
  source: string;
  /** The server's variable, for a server credential. */
  variable?: string;
}

export interface CredentialFields {
  /** The node's key field: text, a sealed server credential (a `load_from_db` name the server answered), or empty. */
  apiKey?: unknown;
  baseUrl?: unknown;
  /** Display names of the node's key and base-URL fields, for error messages. */
  keyField?: string;
  urlField?: string;
}

export interface Credentials {
  apiKey: string | undefined;
  /** The base URL the SDK is given (the provider's official one when nothing sets any). */
  baseUrl: string | undefined;
}

/**
 * The server's key would go somewhere the server did not configure for it: the user pointed the
 * provider at another base URL. The message names the provider and the fields, never a value.
 */
export class ServerKeyRefusedError extends ForbiddenError {
  constructor(label: string, key: Sourced, url: Sourced | undefined, keyField: string, keyVariable: string) {
    const elsewhere = url ? `, not to the base URL set in ${url.source}` : '';
    super(
      `${label}: the server's ${key.variable} is only sent to the server's own ${label} endpoint${elsewhere}. ` +
        `To use that URL, enter your own key in the ${keyField} field or your ${keyVariable} variable.`,
    );
    this.name = 'ServerKeyRefusedError';
  }
}

function fromField(value: unknown, field: string): Sourced | undefined {
  if (value instanceof ServerCredential) return { value: serverCredentialValue(value), server: true, source: `the ${field} field`, variable: value.variable };
  const text = typeof value === 'string' ? value.trim() : '';
  return text ? { value: text, server: false, source: `the ${field} field` } : undefined;
}

/** A provider variable: the run's variables (the user's own, or sealed server credentials), then the server's environment. */
async function fromVariables(ctx: ComponentContext, name: string | null): Promise<Sourced | undefined> {
  if (!name) return undefined;
  const resolved = await ctx.services.variables?.resolve(name);
  if (resolved instanceof ServerCredential) return { value: serverCredentialValue(resolved), server: true, source: `the server's ${resolved.variable}`, variable: resolved.variable };
  if (resolved) return { value: resolved, server: false, source: `your ${name} variable` };
  const environment = ctx.services.providerEnvironment;
  const value = environment && Object.hasOwn(environment, name) ? environment[name] : undefined;
  return value ? { value, server: true, source: `the server's ${name}`, variable: name } : undefined;
}

/** Two base URLs name the same endpoint: scheme, host and port compared as URLs, paths exactly (trailing slashes aside). */
function sameEndpoint(a: string, b: string): boolean {
  try {
    const [x, y] = [new URL(a), new URL(b)];
    return x.protocol === y.protocol && x.host === y.host && x.username === y.username && x.password === y.password && trimEndChar(x.pathname, '/') === trimEndChar(y.pathname, '/') && x.search === y.search;
  } catch {
    return false;
  }
}

/**
 * The API key and base URL for a provider: the node's fields first (a `load_from_db` key field was
 * already resolved by the engine), then the provider's variables (OPENAI_API_KEY, OPENAI_BASE_URL...)
 * through the variable service, then the host's snapshot of them from the server's environment.
 *
 * A key of the server (its environment, or a user's copy of it) is only ever sent to the base URL the
 * server's environment sets for the provider, or the provider's official API when it sets none. When
 * the user points the provider elsewhere (a field, a tweak, their own variable), the server's key is not
 * used: a provider that needs a key fails with `ServerKeyRefusedError`, one that does not goes keyless.
 * Keys the user supplies go wherever the user points them.
 */
export async function resolveCredentials(ctx: ComponentContext, provider: ProviderId, fields: CredentialFields): Promise<Credentials> {
  const info = providerInfo(provider);
  const keyField = fields.keyField ?? 'API Key';
  let key = fromField(fields.apiKey, keyField) ?? (await fromVariables(ctx, info.keyVariable));
  const url = fromField(fields.baseUrl, fields.urlField ?? 'base URL') ?? (await fromVariables(ctx, info.baseUrlVariable));
  const baseUrl = providerBaseUrl(provider, url?.value) ?? info.officialUrl;
  if (key?.server) {
    const environment = ctx.services.providerEnvironment ?? {};
    const serverUrl = info.baseUrlVariable && Object.hasOwn(environment, info.baseUrlVariable) ? environment[info.baseUrlVariable] : undefined;
    const allowed = providerBaseUrl(provider, serverUrl) ?? info.officialUrl;
    if (!allowed || !baseUrl || !sameEndpoint(baseUrl, allowed)) {
      if (info.needsKey) throw new ServerKeyRefusedError(info.label, key, url, keyField, info.keyVariable ?? 'API key');
      key = undefined;
    }
  }
  if (!key && info.needsKey) {
    throw new Error(`no API key for ${info.label} (set ${info.keyVariable} or the API Key field)`);
  }
  return { apiKey: key?.value, baseUrl };
}
