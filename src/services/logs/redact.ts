/**
 * Credentials never reach a log line. Every line the logger writes (stdout and the `/logs` buffer)
 * passes through `redactSecrets`; pino's own `redact` paths (`PINO_REDACT_PATHS`) cover structured
 * fields before they are even serialised.
 */

const CENSOR = '[REDACTED]';

/** Names of query parameters, form fields and JSON keys whose values are credentials. */
const SECRET_NAMES = [
  'x-api-key',
  'api[_-]?key',
  'apikey',
  'token',
  'access[_-]?token',
  'refresh[_-]?token',
  'id[_-]?token',
  'password',
  'passwd',
  'pwd',
  'secret',
  'client[_-]?secret',
  'secret[_-]?key',
  'authorization',
  'cookie',
  // MCP's SSE message endpoint (`?sessionId=`): a session id is bound to its user, but still not for logs.
  'sessionid',
].join('|');

const RULES: [RegExp, string][] = [
  // `?x-api-key=sk-…` in request lines, `password=…` in form bodies.
  [new RegExp(`(^|[?&;\\s"'])((?:${SECRET_NAMES})=)([^&#\\s"']+)`, 'gim'), `$1$2${CENSOR}`],
  // `"password":"…"` in JSON bodies and serialised objects (escaped quotes inside the value included).
  [new RegExp(`("(?:${SECRET_NAMES})"\\s*:\\s*")((?:[^"\\\\]|\\\\.)*)(")`, 'gi'), `$1${CENSOR}$3`],
  // The same inside a JSON string (a body quoted in an error message): `\"password\": \"…\"`.
  [new RegExp(`(\\\\"(?:${SECRET_NAMES})\\\\"\\s*:\\s*\\\\")((?:[^"\\\\]|\\\\\\\\)*)(\\\\")`, 'gi'), `$1${CENSOR}$3`],
  // `Authorization: Bearer …`, wherever it is quoted.
  [/\b(bearer\s+)[A-Za-z0-9._~+/=-]+/gi, `$1${CENSOR}`],
  // Langflow API keys and most providers' (`sk-…`, `sk-proj-…`, `sk-ant-…`), even in free text.
  [/\bsk-[A-Za-z0-9_-]{12,}/g, `sk-${CENSOR}`],
  // Passwords in URLs: `postgresql://user:password@host`.
  [/(\b[a-z][a-z0-9+.-]*:\/\/[^/\s:@"']+:)[^@\s/"']+@/gi, `$1${CENSOR}@`],
];

/** A cheap first look: most lines hold none of these, and skip the rules entirely. */
const MAYBE_SECRET = new RegExp(`${SECRET_NAMES}|bearer|sk-|://`, 'i');

export function redactSecrets(text: string): string {
  if (!MAYBE_SECRET.test(text)) return text;
  let redacted = text;
  for (const [pattern, replacement] of RULES) redacted = redacted.replace(pattern, replacement);
  return redacted;
}

/** Structured fields pino censors itself (request headers, credentials logged as objects). */
export const PINO_REDACT_PATHS: readonly string[] = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'headers.authorization',
  'headers.cookie',
  'headers["x-api-key"]',
  'password',
  '*.password',
  'api_key',
  '*.api_key',
  'token',
  '*.token',
  'access_token',
  '*.access_token',
  'refresh_token',
  '*.refresh_token',
];

export const REDACTED = CENSOR;
