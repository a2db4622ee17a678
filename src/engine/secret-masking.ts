/**
 * What a transaction log may show of a secret, as Langflow's transaction model masks it: keys named
 * like a secret (exactly, or ending in one) have their values masked at any depth, `code` keys are
 * left out entirely.
 */
const SECRET_KEY_NAMES: ReadonlySet<string> = new Set([
  'api_key', 'api-key', 'apikey', 'password', 'passwd', 'secret', 'token', 'auth_token', 'access_token', 'api_token',
  'bearer_token', 'credential', 'credentials', 'auth', 'authorization', 'bearer', 'private_key', 'private-key',
  'access_key', 'access-key', 'openai_api_key', 'anthropic_api_key',
]);
// Ends in a secret's name: `openai_api_key`, `db_password`, `x-auth` (but not `max_tokens`).
const SECRET_KEY_SUFFIX = /(api[_-]?key|password|secret|token|credential|auth|bearer|private[_-]?key|access[_-]?key)$/i;
const LEFT_OUT_KEYS: ReadonlySet<string> = new Set(['code']);
/** Values this long or shorter are hidden entirely; longer ones keep their first and last 4 characters. */
const SHORTEST_PARTLY_SHOWN = 13;
export const REDACTED = '***REDACTED***';

export function isSecretKey(key: string): boolean {
  return SECRET_KEY_NAMES.has(key.toLowerCase()) || SECRET_KEY_SUFFIX.test(key);
}

/** A secret value as a log shows it: `sk-p...wxyz` for long strings, else `***REDACTED***`. */
export function maskSecret(value: unknown): string {
  if (typeof value === 'string' && value.length >= SHORTEST_PARTLY_SHOWN) return `${value.slice(0, 4)}...${value.slice(-4)}`;
  return REDACTED;
}

/** A `JSON.stringify` replacer that masks secrets and leaves out `code` at every depth. */
export function secretMaskingReplacer(this: unknown, key: string, value: unknown): unknown {
  if (key === '' || Array.isArray(this)) return value;
  if (LEFT_OUT_KEYS.has(key)) return undefined;
  return isSecretKey(key) ? maskSecret(value) : value;
}

/** A JSON copy of `value` with its secrets masked (see secretMaskingReplacer). */
export function maskSecrets<T>(value: T): T {
  if (value === null || value === undefined) return value;
  return JSON.parse(JSON.stringify(value, secretMaskingReplacer)) as T;
}

/** A key's last characters that the replacer may mask or leave out (a superset of isSecretKey's, and `code`). */
const MAYBE_MASKED_TAIL = /(?:api[_-]?key|password|passwd|secret|token|credentials?|auth|authorization|bearer|private[_-]?key|access[_-]?key|code)$/;

/** Whether some key of a JSON text might be masked or left out: each `":` is checked against the 16 characters before it. */
function mayNeedMasking(json: string): boolean {
  for (let at = json.indexOf('":'); at !== -1; at = json.indexOf('":', at + 2)) {
    if (MAYBE_MASKED_TAIL.test(json.slice(Math.max(0, at - 16), at).toLowerCase())) return true;
  }
  return false;
}

/**
 * `JSON.stringify(value, secretMaskingReplacer)`, faster when nothing needs masking (the common case):
 * a plain stringify, scanned for keys the replacer would change, and redone with the replacer only then.
 */
export function maskedJson(value: unknown): string {
  const json = JSON.stringify(value);
  return mayNeedMasking(json) ? JSON.stringify(value, secretMaskingReplacer) : json;
}
