import type { FlowRecord } from '../services/database/index.js';
import { flowRead } from './flow-shapes.js';

/** Name parts and whole names that mark a value as a credential (snake, kebab and camel case alike). */
const SECRET_PARTS = new Set(['credential', 'credentials', 'passwd', 'password', 'secret']);
const SECRET_NAMES = new Set([
  'access_key', 'api_key', 'apikey', 'authorization', 'client_secret', 'connection_string', 'cookie',
  'database_uri', 'database_url', 'dsn', 'private_key', 'proxy_authorization', 'set_cookie',
]);

function normalisedName(name: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const char = name[i];
    const previous = i > 0 ? name[i - 1] : '';
    if (char >= 'A' && char <= 'Z' && /[a-z0-9]/.test(previous)) out += '_';
    out += /[a-zA-Z0-9]/.test(char) ? char.toLowerCase() : '_';
  }
  return out.split('_').filter(Boolean).join('_');
}

export function isSecretName(name: unknown): boolean {
  if (typeof name !== 'string' || name === '') return false;
  const normalised = normalisedName(name);
  if (SECRET_NAMES.has(normalised)) return true;
  const parts = normalised.split('_');
  if (parts.some((part) => SECRET_PARTS.has(part))) return true;
  if (normalised === 'token' || normalised.endsWith('_token')) return true;
  return parts.includes('api') && parts.includes('key');
}

/** A URL with a user:password part or a secret-named query/fragment parameter. */
function hasUrlCredentials(text: string): boolean {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return false;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return false;
  }
  if (url.username || url.password) return true;
  const fragment = new URLSearchParams(url.hash.startsWith('#') ? url.hash.slice(1) : url.hash);
  return [...url.searchParams.keys(), ...fragment.keys()].some(isSecretName);
}

/** Nulls secret-named entries at any depth of a structured value (headers tables, dicts, lists). */
function scrubStructured(value: unknown): unknown {
  if (typeof value === 'string') return hasUrlCredentials(value) ? null : value;
  if (Array.isArray(value)) return value.map(scrubStructured);
  if (value === null || typeof value !== 'object') return value;
  const entry = value as Record<string, unknown>;
  // `{key: "Authorization", value: "Bearer …"}` rows: the row's name decides for its value.
  const namedSecret = ['key', 'name', 'header'].some((field) => isSecretName(entry[field]));
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(entry)) {
    out[key] = isSecretName(key) || (namedSecret && key === 'value') ? null : scrubStructured(inner);
  }
  return out;
}

function scrubField(field: Record<string, unknown>, fieldName: string): void {
  if (!('value' in field)) return;
  // A public page is anonymous: even the name of a global variable the owner bound is withheld.
  if (field.load_from_db === true || field.password === true || isSecretName(field.name ?? fieldName)) {
    field.value = null;
    return;
  }
  field.value = scrubStructured(field.value);
}

function scrubNodes(nodes: unknown): void {
  if (!Array.isArray(nodes)) return;
  for (const node of nodes) {
    const inner = (node as { data?: { node?: { template?: unknown; flow?: { data?: { nodes?: unknown } } } } } | null)?.data?.node;
    if (!inner || typeof inner !== 'object') continue;
    const template = inner.template;
    if (template && typeof template === 'object') {
      for (const [name, field] of Object.entries(template as Record<string, unknown>)) {
        if (field && typeof field === 'object' && !Array.isArray(field)) scrubField(field as Record<string, unknown>, name);
      }
    }
    // Group nodes carry their members in a nested flow.
    scrubNodes(inner.flow?.data?.nodes);
  }
}

/** A copy of flow data with the values of password fields, secret-named fields and bound variables removed. */
export function stripSecretValues(data: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!data) return data;
  const copy = structuredClone(data);
  scrubNodes(copy.nodes);
  return copy;
}

/**
 * What `GET /flows/public_flow/{id}` shows anyone: the flow without secrets typed into its
 * templates (as Langflow's `strip_secret_field_values` for anonymous readers) and without the
 * owner's ids or server paths (Langflow returns `user_id`; Weft does not, so a public link does not
 * tell strangers whose flow it is).
 */
export function publicFlowRead(flow: FlowRecord): Record<string, unknown> {
  return { ...flowRead(flow), user_id: null, folder_id: null, fs_path: null, data: stripSecretValues(flow.data) };
}
