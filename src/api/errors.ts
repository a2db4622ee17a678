import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { WeftError, type ErrorCode } from '../engine/errors.js';
import { UnsafeKeyError } from '../engine/safe-json.js';

/**
 * The one table from error codes (thrown by the engine and services as `WeftError`s) to HTTP statuses.
 * `invalid_flow` is 500 because Langflow answers 500 when a stored flow cannot be built.
 */
export const STATUS_OF_CODE: Readonly<Record<ErrorCode, number>> = {
  invalid_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  validation: 422,
  rate_limited: 429,
  invalid_flow: 500,
  unavailable: 503,
};

/** The HTTP status of any error: its code's, or 500. */
export function statusOf(error: unknown): number {
  return error instanceof WeftError ? STATUS_OF_CODE[error.code] : 500;
}

/** A WeftError as FastAPI's `{"detail": ...}` answer: status, headers and body. */
export function problemOf(error: WeftError): { status: number; headers: Record<string, string>; body: { detail: unknown } } {
  const headers: Record<string, string> = {};
  if (error.challenge) headers['WWW-Authenticate'] = error.challenge;
  if (error.retryAfterSeconds !== undefined) headers['Retry-After'] = String(error.retryAfterSeconds);
  return { status: STATUS_OF_CODE[error.code], headers, body: { detail: error.detail } };
}

/** An error that becomes FastAPI's `{"detail": ...}` body with the given status. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    readonly detail: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(typeof detail === 'string' ? detail : JSON.stringify(detail));
    this.name = 'HttpError';
  }
}

export const notFound = (detail = 'Not Found') => new HttpError(404, detail);
export const badRequest = (detail: unknown) => new HttpError(400, detail);
export const forbidden = (detail: unknown) => new HttpError(403, detail);
export const unauthorized = (detail: string) => new HttpError(401, detail, { 'WWW-Authenticate': 'Bearer' });

/** One pydantic-style validation error item. */
export interface ValidationItem {
  type: string;
  loc: (string | number)[];
  msg: string;
  input: unknown;
}

/** FastAPI lists every validation error; Weft lists the first hundred (a million-item body made a 94 MB 422). */
export const MAX_REPORTED_ERRORS = 100;

export function validationError(items: ValidationItem[]): HttpError {
  return new HttpError(422, items.slice(0, MAX_REPORTED_ERRORS));
}

interface AjvError {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

/** FastAPI names request parts `body`, `query`, `path`, `header`; Fastify says body/querystring/params/headers. */
const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'path', headers: 'header' };

function valueAt(root: unknown, segments: string[]): unknown {
  let current = root;
  for (const segment of segments) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[segment];
  }
  return current;
}

/** How much of the input a validation error quotes, in characters of strings and keys. */
const QUOTED_INPUT_BUDGET = 1000;
const QUOTED_INPUT_DEPTH = 8;

/**
 * The input as FastAPI quotes it in a 422, but at most about a thousand characters of it: strings
 * are cut (ending in `…`) and lists and objects stop once the budget is spent, so a huge body is
 * never echoed back whole.
 */
export function quotedInput(value: unknown, budget = { left: QUOTED_INPUT_BUDGET }, depth = 0): unknown {
  if (typeof value === 'string') {
    if (value.length <= budget.left) {
      budget.left -= value.length;
      return value;
    }
    const cut = `${value.slice(0, Math.max(budget.left, 0))}…`;
    budget.left = 0;
    return cut;
  }
  if (value === null || typeof value !== 'object') {
    budget.left -= 8;
    return value;
  }
  if (depth >= QUOTED_INPUT_DEPTH || budget.left <= 0) return '…';
  if (Array.isArray(value)) {
    const items: unknown[] = [];
    for (const item of value) {
      if (budget.left <= 0) {
        items.push('…');
        break;
      }
      items.push(quotedInput(item, budget, depth + 1));
    }
    return items;
  }
  const quoted: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.hasOwn(value, key)) continue;
    if (budget.left <= 0) {
      Object.defineProperty(quoted, '…', { value: '…', enumerable: true, writable: true, configurable: true });
      break;
    }
    budget.left -= key.length;
    // defineProperty: a `__proto__` key stays a plain key.
    const item = quotedInput((value as Record<string, unknown>)[key], budget, depth + 1);
    Object.defineProperty(quoted, key, { value: item, enumerable: true, writable: true, configurable: true });
  }
  return quoted;
}

/** Maps Ajv errors to pydantic's shapes so clients that parse 422 bodies keep working. */
export function pydanticItems(errors: AjvError[], part: string, input: unknown): ValidationItem[] {
  const location = PART_NAMES[part] ?? part;
  return errors.map((error) => {
    const segments = error.instancePath.split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const loc: (string | number)[] = [location, ...segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s))];
    const value = quotedInput(valueAt(input, segments));
    switch (error.keyword) {
      case 'required': {
        const missing = String(error.params.missingProperty);
        return { type: 'missing', loc: [...loc, missing], msg: 'Field required', input: value ?? null };
      }
      case 'type': {
        const type = String(error.params.type).split(',')[0];
        const named: Record<string, [string, string]> = {
          string: ['string_type', 'Input should be a valid string'],
          integer: ['int_parsing', 'Input should be a valid integer, unable to parse string as an integer'],
          number: ['float_parsing', 'Input should be a valid number, unable to parse string as a number'],
          boolean: ['bool_parsing', 'Input should be a valid boolean, unable to interpret input'],
          object: ['dict_type', 'Input should be a valid dictionary'],
          array: ['list_type', 'Input should be a valid list'],
        };
        const [kind, msg] = named[type] ?? [`${type}_type`, `Input should be a valid ${type}`];
        return { type: kind, loc, msg, input: value ?? null };
      }
      case 'format':
        if (error.params.format === 'uuid') {
          return { type: 'uuid_parsing', loc, msg: 'Input should be a valid UUID, invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-]', input: value ?? null };
        }
        return { type: 'value_error', loc, msg: `Input should match format ${String(error.params.format)}`, input: value ?? null };
      case 'enum':
        return {
          type: 'enum',
          loc,
          msg: `Input should be ${(error.params.allowedValues as unknown[]).map((v) => `'${String(v)}'`).join(' or ')}`,
          input: value ?? null,
        };
      case 'minimum':
        return { type: 'greater_than_equal', loc, msg: `Input should be greater than or equal to ${String(error.params.limit)}`, input: value ?? null };
      case 'maximum':
        return { type: 'less_than_equal', loc, msg: `Input should be less than or equal to ${String(error.params.limit)}`, input: value ?? null };
      case 'minLength':
        return { type: 'string_too_short', loc, msg: `String should have at least ${String(error.params.limit)} characters`, input: value ?? null };
      case 'maxLength':
        return { type: 'string_too_long', loc, msg: `String should have at most ${String(error.params.limit)} characters`, input: value ?? null };
      case 'pattern':
        return { type: 'string_pattern_mismatch', loc, msg: `String should match pattern '${String(error.params.pattern)}'`, input: value ?? null };
      default:
        return { type: 'value_error', loc, msg: error.message ?? 'Invalid value', input: value ?? null };
    }
  });
}

/** A refused `__proto__` / `constructor.prototype` key, as pydantic would word a failed validator. */
function unsafeKeyItem(error: UnsafeKeyError): ValidationItem {
  return { type: 'value_error', loc: ['body', ...error.path], msg: `Value error, ${error.message}`, input: null };
}

/** busboy's complaints about a multipart body (no boundary, cut short), which FastAPI answers with 400. */
const MULTIPART_SYNTAX = /^(Multipart: Boundary not found|Unexpected end of multipart data|.* terminated early due to unexpected end of multipart data|Unsupported Content-Type\.)$/;

function isMultipartSyntaxError(error: Error): boolean {
  // busboy's errors carry no code: their text is all there is.
  // eslint-disable-next-line no-restricted-syntax
  return !('statusCode' in error) && MULTIPART_SYNTAX.test(error.message);
}

function requestPart(request: FastifyRequest, part: string): unknown {
  if (part === 'body') return request.body;
  if (part === 'querystring') return request.query;
  if (part === 'params') return request.params;
  if (part === 'headers') return request.headers;
  return undefined;
}

/** Resolves when the request's body has been read to its end (data dropped), it closes, or after `maxMs`. */
function bodyDrained(request: FastifyRequest, maxMs: number): Promise<void> {
  const body = request.raw;
  // A declared length over the limit is refused before reading: no point waiting for the rest.
  const declared = Number(request.headers['content-length']);
  if (body.complete || body.destroyed || declared > (request.server.initialConfig.bodyLimit ?? Infinity)) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, maxMs);
    function done(): void {
      clearTimeout(timer);
      body.off('end', done).off('close', done).off('error', done);
      resolve();
    }
    body.on('end', done).on('close', done).on('error', done);
    body.resume();
  });
}

/**
 * The app-wide error handler: HttpError → its status and detail; a WeftError → its code's status
 * (STATUS_OF_CODE) and its detail; schema validation → 422 in
 * pydantic's shape; malformed JSON → 422 json_invalid; anything else → 500 `{"detail": message}`.
 */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof HttpError) {
    const detail = error.statusCode === 422 && Array.isArray(error.detail)
      ? error.detail.map((item: unknown) => (item !== null && typeof item === 'object' && 'input' in item ? { ...item, input: quotedInput(item.input) } : item))
      : error.detail;
    return reply.code(error.statusCode).headers(error.headers).send({ detail });
  }
  if (error instanceof UnsafeKeyError) return reply.code(422).send({ detail: [unsafeKeyItem(error)] });
  if (error instanceof WeftError) {
    const problem = problemOf(error);
    return reply.code(problem.status).headers(problem.headers).send(problem.body);
  }
  const fastifyError = error as FastifyError & { validation?: AjvError[]; validationContext?: string };
  if (fastifyError.validation) {
    const part = fastifyError.validationContext ?? 'body';
    // No body at all (none sent, or an empty one): FastAPI's single "Field required" for the body.
    if (part === 'body' && request.body === undefined) {
      return reply.code(422).send({ detail: [{ type: 'missing', loc: ['body'], msg: 'Field required', input: null }] });
    }
    return reply.code(422).send({ detail: pydanticItems(fastifyError.validation, part, requestPart(request, part)) });
  }
  if (fastifyError.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    const limit = request.server.weft?.settings.maxBodySizeMb;
    const detail = limit === undefined
      ? 'Request body is too large'
      : `Request body is larger than the maximum of ${limit} MB (WEFT_MAX_BODY_SIZE_MB); send files as multipart uploads`;
    // Answer once the client has stopped sending (the rest is read and dropped, never kept), or after
    // a few seconds: closing while a client still writes resets the connection and loses the 413.
    void bodyDrained(request, 5000).then(() => reply.code(413).header('connection', 'close').send({ detail }));
    return reply;
  }
  if (isMultipartSyntaxError(error)) return reply.code(400).send({ detail: 'There was an error parsing the body' });
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return reply.code(415).send({ detail: `Unsupported media type: ${request.headers['content-type'] ?? ''}` });
  }
  // Fastify's own JSON parser (secure-json-parse) refusing a `__proto__` / `constructor.prototype` key: a
  // SyntaxError without a code, so only its text tells it from malformed JSON.
  // eslint-disable-next-line no-restricted-syntax
  if (fastifyError.statusCode === 400 && error instanceof SyntaxError && /forbidden prototype property/.test(error.message)) {
    return reply.code(422).send({ detail: [{ type: 'value_error', loc: ['body'], msg: `Value error, ${error.message}`, input: null }] });
  }
  if (fastifyError.statusCode === 400 && (fastifyError.code === 'FST_ERR_CTP_EMPTY_JSON_BODY' || error instanceof SyntaxError)) {
    return reply.code(422).send({ detail: [{ type: 'json_invalid', loc: ['body', 0], msg: 'JSON decode error', input: {}, ctx: { error: error.message } }] });
  }
  if (typeof fastifyError.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return reply.code(fastifyError.statusCode).send({ detail: error.message });
  }
  request.log.error({ err: error }, 'unhandled error');
  return reply.code(500).send({ detail: error.message || 'Internal Server Error' });
}
