import { Ajv, type ErrorObject, type Options as AjvOptions, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import type { FastifySchema } from 'fastify';
import { MAX_REPORTED_ERRORS } from './errors.js';

/** The strings pydantic reads as booleans (case-insensitive), as FastAPI parses `?stream=...`. */
const TRUE_STRINGS = new Set(['1', 'on', 't', 'true', 'y', 'yes']);
const FALSE_STRINGS = new Set(['0', 'off', 'f', 'false', 'n', 'no']);

type SchemaNode = { type?: unknown; anyOf?: SchemaNode[]; properties?: Record<string, SchemaNode> };

function acceptsBoolean(schema: SchemaNode): boolean {
  if (schema.type === 'boolean' || (Array.isArray(schema.type) && schema.type.includes('boolean'))) return true;
  return Array.isArray(schema.anyOf) && schema.anyOf.some(acceptsBoolean);
}

/**
 * Query, path and header booleans parsed as pydantic parses them: `true/1/yes/on/t/y` and
 * `false/0/no/off/f/n` in any case; anything else is a `bool_parsing` error for that field. Returns
 * the errors (Ajv-shaped, so errors.ts renders them as pydantic items); rewrites `data` in place.
 */
export function parseQueryBooleans(schema: SchemaNode, data: unknown): ErrorObject[] {
  if (!schema.properties || data === null || typeof data !== 'object') return [];
  const values = data as Record<string, unknown>;
  const errors: ErrorObject[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    if (!(name in values) || !acceptsBoolean(property)) continue;
    // A repeated key: FastAPI reads the last value of a scalar parameter.
    const raw = Array.isArray(values[name]) ? (values[name] as unknown[]).at(-1) : values[name];
    if (typeof raw !== 'string') continue;
    const lowered = raw.toLowerCase();
    if (TRUE_STRINGS.has(lowered)) values[name] = true;
    else if (FALSE_STRINGS.has(lowered)) values[name] = false;
    else {
      values[name] = raw;
      errors.push({ keyword: 'type', instancePath: `/${name.replace(/~/g, '~0').replace(/\//g, '~1')}`, schemaPath: '', params: { type: 'boolean' } });
    }
  }
  return errors;
}

/** Keys whose values are data, not subschemas. */
const DATA_KEYWORDS = new Set(['default', 'examples', 'enum', 'const']);

function isIntegerType(type: unknown): boolean {
  return type === 'integer' || (Array.isArray(type) && type.includes('integer'));
}

/**
 * The schema with every integer bounded to JavaScript's safe integers (unless it has its own bound).
 * Ajv takes `?skip=1e400` as Infinity and `99999999999999999999999` as 1e23, both "integers", which
 * the databases then refused (500 "datatype mismatch"); out of range they are a 422 `less_than_equal`.
 */
export function boundedIntegers(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(boundedIntegers);
  if (schema === null || typeof schema !== 'object') return schema;
  const bounded: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) bounded[key] = DATA_KEYWORDS.has(key) ? value : boundedIntegers(value);
  if (isIntegerType(bounded.type)) {
    bounded.minimum ??= -Number.MAX_SAFE_INTEGER;
    bounded.maximum ??= Number.MAX_SAFE_INTEGER;
  }
  return bounded;
}

/**
 * Validation errors cost memory and time each: Ajv makes an object per error, and a 422 lists them.
 * A 2 MB body of a million wrong array items took 12 s of CPU and answered 94 MB. Past this many
 * values, a request part is checked only up to its first error.
 */
const ALL_ERRORS_MAX_VALUES = 100_000;

/** Whether `data` holds more than `limit` values (objects, arrays and scalars), counted without recursion and stopping at the limit. */
export function holdsMoreValuesThan(data: unknown, limit: number): boolean {
  let count = 1;
  const stack: unknown[] = [data];
  while (stack.length > 0) {
    const value = stack.pop();
    if (value === null || typeof value !== 'object') continue;
    for (const child of Array.isArray(value) ? value : Object.values(value)) {
      count += 1;
      if (count > limit) return true;
      stack.push(child);
    }
  }
  return false;
}

/**
 * Query, path and header values are strings, so they are coerced ("2" → 2) as pydantic does; JSON
 * bodies are not (pydantic rejects 5 for a string field), so a wrongly typed body is a 422.
 */
export function requestValidatorCompiler() {
  const options: AjvOptions = { removeAdditional: false, useDefaults: true, allErrors: true, strict: false };
  const addFormats = ajvFormats as unknown as (ajv: Ajv) => Ajv;
  const ajvs = {
    coercing: addFormats(new Ajv({ ...options, coerceTypes: 'array' })),
    exact: addFormats(new Ajv({ ...options, coerceTypes: false })),
    coercingFirstError: addFormats(new Ajv({ ...options, allErrors: false, coerceTypes: 'array' })),
    exactFirstError: addFormats(new Ajv({ ...options, allErrors: false, coerceTypes: false })),
  };
  // Compiled on a route's first request, not at start-up: compiling every route's schema up front
  // costs a third of a second, and most routes of a given server are never called.
  return ({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) => {
    let everyError: ValidateFunction | null = null;
    let firstError: ValidateFunction | null = null;
    const validate = (data: unknown) => {
      const body = httpPart === 'body';
      let compiled: ValidateFunction;
      if (holdsMoreValuesThan(data, ALL_ERRORS_MAX_VALUES)) {
        compiled = firstError ??= (body ? ajvs.exactFirstError : ajvs.coercingFirstError).compile(boundedIntegers(schema) as object);
      } else {
        compiled = everyError ??= (body ? ajvs.exact : ajvs.coercing).compile(boundedIntegers(schema) as object);
      }
      const booleanErrors = body ? [] : parseQueryBooleans(schema as SchemaNode, data);
      const valid = compiled(data);
      const failed = new Set(booleanErrors.map((e) => e.instancePath));
      const others = (compiled.errors ?? []).filter((e) => ![...failed].some((path) => e.instancePath === path || e.instancePath.startsWith(`${path}/`)) && !(e.keyword === 'anyOf' && failed.has(e.instancePath)));
      const errors = [...booleanErrors, ...others].slice(0, MAX_REPORTED_ERRORS);
      validate.errors = errors.length > 0 ? errors : null;
      return valid && booleanErrors.length === 0;
    };
    validate.errors = null as ValidateFunction['errors'];
    return validate;
  };
}

/** For routes that parse their own body leniently (Langflow's /run): only the other parts are checked. */
export function uncheckedBodyValidatorCompiler() {
  const checked = requestValidatorCompiler();
  return (route: { schema: FastifySchema; httpPart?: string }) => (route.httpPart === 'body' ? () => true : checked(route));
}
