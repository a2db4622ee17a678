/**
 * Weft's one error vocabulary. The engine and the services throw these (or subclasses); each has a
 * `code`, and `src/api/errors.ts` maps codes to HTTP statuses in one table, so no layer below the API
 * knows about HTTP and no route matches on message text. (Like the AI SDK's `error/` classes.)
 *
 * A code names what went wrong as Langflow's API reports it: where Langflow answers a duplicate
 * variable name with 400 rather than 409, the variable service throws `invalid_request`, so the table
 * stays one status per code and no route has to re-translate.
 */
export const ERROR_CODES = [
  /** Input Langflow refuses outright (an empty name, an unsafe file name or path, a bad client choice). */
  'invalid_request',
  /** No credentials, or credentials that do not identify an active user. */
  'unauthenticated',
  /** The caller is known but may not do this. */
  'forbidden',
  /** Something named does not exist (or is not the caller's to see). */
  'not_found',
  /** The change clashes with what is stored (a duplicate name...). */
  'conflict',
  /** More bytes than a configured limit allows. */
  'too_large',
  /** The input is malformed or out of range (pydantic's 422 in Langflow). */
  'validation',
  /** Too many attempts: the caller must wait (`retryAfterSeconds`). */
  'rate_limited',
  /** A stored flow cannot be loaded or run as saved. */
  'invalid_flow',
  /** A backing service (the job queue, Redis) is down or saturated. */
  'unavailable',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface WeftErrorOptions {
  cause?: unknown;
  /**
   * What the caller is told, when it differs from `message` (which may carry more for the logs, e.g.
   * the refused name): Langflow's exact wording, or an object where Langflow sends one.
   */
  detail?: unknown;
  /** The authentication scheme the caller should retry with (Langflow's OAuth2 bearer routes name it). */
  challenge?: 'Bearer';
  /** When a retry may succeed. */
  retryAfterSeconds?: number;
}

export class WeftError extends Error {
  readonly detail: unknown;
  readonly challenge: 'Bearer' | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: WeftErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.detail = options.detail === undefined ? message : options.detail;
    this.challenge = options.challenge;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

/** Input Langflow answers with a plain refusal (its 400s). */
export class InvalidRequestError extends WeftError {
  constructor(message: string, options?: WeftErrorOptions) {
    super('invalid_request', message, options);
  }
}

/** No usable credentials. */
export class UnauthenticatedError extends WeftError {
  constructor(message: string, options?: WeftErrorOptions) {
    super('unauthenticated', message, options);
  }
}

/** The caller may not do this. */
export class ForbiddenError extends WeftError {
  constructor(message: string, options?: WeftErrorOptions) {
    super('forbidden', message, options);
  }
}

/** Something named does not exist (a flow, a component of the flow, a job...). */
export class NotFoundError extends WeftError {
  constructor(message: string, options?: WeftErrorOptions) {
    super('not_found', message, options);
  }
}

/** The change clashes with what is stored (a duplicate name...). */
export class ConflictError extends WeftError {
  constructor(message: string, options?: WeftErrorOptions) {
    super('conflict', message, options);
  }
}

/** The input is malformed or out of range. */
export class ValidationError extends WeftError {
  constructor(message: string, options?: WeftErrorOptions) {
    super('validation', message, options);
  }
}

/** A backing service is down or saturated. */
export class UnavailableError extends WeftError {
  constructor(message: string, options?: WeftErrorOptions) {
    super('unavailable', message, options);
  }
}

/** `error` when it is a WeftError with `code`. */
export function hasCode(error: unknown, code: ErrorCode): error is WeftError {
  return error instanceof WeftError && error.code === code;
}
