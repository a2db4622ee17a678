import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';

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

export function validationError(items: ValidationItem[]): HttpError {
  return new HttpError(422, items);
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

/** Maps Ajv errors to pydantic's shapes so clients that parse 422 bodies keep working. */
export function pydanticItems(errors: AjvError[], part: string, input: unknown): ValidationItem[] {
  const location = PART_NAMES[part] ?? part;
  return errors.map((error) => {
    const segments = error.instancePath.split('/').filter(Boolean).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    const loc: (string | number)[] = [location, ...segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s))];
    const value = valueAt(input, segments);
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
      case 'pattern':
        return { type: 'string_pattern_mismatch', loc, msg: `String should match pattern '${String(error.params.pattern)}'`, input: value ?? null };
      default:
        return { type: 'value_error', loc, msg: error.message ?? 'Invalid value', input: value ?? null };
    }
  });
}

function requestPart(request: FastifyRequest, part: string): unknown {
  if (part === 'body') return request.body;
  if (part === 'querystring') return request.query;
  if (part === 'params') return request.params;
  if (part === 'headers') return request.headers;
  return undefined;
}

/**
 * The app-wide error handler: HttpError → its status and detail; schema validation → 422 in
 * pydantic's shape; malformed JSON → 422 json_invalid; anything else → 500 `{"detail": message}`.
 */
export function handleError(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  if (error instanceof HttpError) return reply.code(error.statusCode).headers(error.headers).send({ detail: error.detail });
  const fastifyError = error as FastifyError & { validation?: AjvError[]; validationContext?: string; status?: number; detail?: unknown; headers?: Record<string, string> };
  // Services report HTTP problems as { status, detail } errors (e.g. the MCP backend's HttpProblem).
  if (typeof fastifyError.status === 'number' && fastifyError.detail !== undefined) {
    return reply.code(fastifyError.status).headers(fastifyError.headers ?? {}).send({ detail: fastifyError.detail });
  }
  if (fastifyError.validation) {
    const part = fastifyError.validationContext ?? 'body';
    return reply.code(422).send({ detail: pydanticItems(fastifyError.validation, part, requestPart(request, part)) });
  }
  if (fastifyError.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return reply.code(415).send({ detail: `Unsupported media type: ${request.headers['content-type'] ?? ''}` });
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
