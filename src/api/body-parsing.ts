import type { FastifyInstance, FastifyRequest } from 'fastify';
import { assertSafeKeys, parseUntrustedJson, UnsafeKeyError } from '../engine/safe-json.js';
import { HttpError } from './errors.js';
import { nestingTooDeepAt, pythonJsonError } from './json-syntax.js';

/**
 * Deeper than any flow needs (Langflow's Python parser gives up near 1,000 levels), shallow enough
 * that code walking a body recursively never overflows the stack.
 */
export const MAX_JSON_NESTING = 512;

/** FastAPI's answer to a body `json.loads` refuses. */
export function jsonInvalid(position: number, message: string): HttpError {
  return new HttpError(422, [{ type: 'json_invalid', loc: ['body', position], msg: 'JSON decode error', input: {}, ctx: { error: message } }]);
}

/** The problem with a JSON text as FastAPI reports it (position and Python's message), else null. */
export function jsonProblem(text: string): HttpError | null {
  const tooDeep = nestingProblem(text);
  if (tooDeep) return tooDeep;
  const syntax = pythonJsonError(text);
  return syntax ? jsonInvalid(syntax.position, syntax.message) : null;
}

/** The 422 for a body nested deeper than `MAX_JSON_NESTING`, or null. Linear and recursion-free: safe on any text. */
export function nestingProblem(text: string): HttpError | null {
  const tooDeep = nestingTooDeepAt(text, MAX_JSON_NESTING);
  return tooDeep >= 0 ? jsonInvalid(tooDeep, `Nesting deeper than ${MAX_JSON_NESTING} levels is not accepted`) : null;
}

/**
 * A JSON body as every JSON route reads it: nesting deeper than `MAX_JSON_NESTING` and malformed JSON
 * throw FastAPI's 422 `json_invalid` (Python's position and message), a `__proto__` /
 * `constructor.prototype` key throws `UnsafeKeyError` (422). For parsers of their own (the build API).
 */
export function parseJsonBody(text: string): unknown {
  const tooDeep = nestingProblem(text);
  if (tooDeep) throw tooDeep;
  try {
    return parseUntrustedJson(text);
  } catch (error) {
    if (error instanceof UnsafeKeyError) throw error;
    throw jsonProblem(text) ?? jsonInvalid(0, (error as Error).message);
  }
}

/**
 * FastAPI reads no body for a route that declares none, so a client that sends
 * `Content-Type: application/json` on every request (axios defaults, fetch wrappers) can still
 * DELETE or GET. Weft's DELETE and GET routes that take a body declare it with a schema.
 */
function takesNoBody(request: FastifyRequest): boolean {
  return (request.method === 'DELETE' || request.method === 'GET') && request.routeOptions.schema?.body === undefined;
}

/**
 * JSON and form bodies, read whole up to the app's `bodyLimit` (`WEFT_MAX_BODY_SIZE_MB`; uploads are
 * streamed by the multipart parser instead). An empty body is no body (FastAPI's "Field required");
 * malformed or too deeply nested JSON is FastAPI's 422 `json_invalid` with Python's position and message.
 */
export function registerBodyParsers(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text.length === 0 || takesNoBody(request)) {
      done(null, undefined);
      return;
    }
    try {
      // `__proto__` / `constructor.prototype` keys are refused (UnsafeKeyError → 422) here too.
      done(null, parseJsonBody(text));
    } catch (error) {
      done(error as Error, undefined);
    }
  });
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (request, body, done) => {
    if (takesNoBody(request)) {
      done(null, undefined);
      return;
    }
    const fields = Object.fromEntries(new URLSearchParams(body as string));
    try {
      assertSafeKeys(fields);
      done(null, fields);
    } catch (error) {
      done(error as Error, undefined);
    }
  });
}
