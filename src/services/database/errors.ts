import { ConflictError, ValidationError } from '../../engine/errors.js';

/**
 * A write would break a unique constraint; `column` names the clashing column when known. Routes whose
 * Langflow answer is not a 409 (a flow name is Langflow's 400) say so themselves.
 */
export class UniqueViolationError extends ConflictError {
  constructor(readonly column: string | null, cause: unknown) {
    // Langflow's wording: "Name must be unique", "Endpoint name must be unique".
    super(column ? `${humanise(column)} must be unique` : 'Unique constraint violated', { cause });
  }
}

function humanise(column: string): string {
  const words = column.replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

interface DriverError {
  code?: string;
  message?: string;
  constraint?: string;
  detail?: string;
}

function isDriverError(error: unknown): error is DriverError {
  return typeof error === 'object' && error !== null;
}

/** SQLite says `UNIQUE constraint failed: flow.user_id, flow.name`; PostgreSQL says code 23505 with a detail `Key (user_id, name)=...`. */
export function asUniqueViolation(error: unknown): UniqueViolationError | null {
  if (!isDriverError(error)) return null;
  if (error.code === 'SQLITE_CONSTRAINT_UNIQUE' || error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY') {
    const columns = /UNIQUE constraint failed: (.*)$/.exec(error.message ?? '')?.[1];
    const last = columns?.split(',').pop()?.trim().split('.').pop() ?? null;
    return new UniqueViolationError(last, error);
  }
  if (error.code === '23505') {
    const columns = /Key \(([^)]*)\)/.exec(error.detail ?? '')?.[1];
    const last = columns?.split(',').pop()?.trim() ?? null;
    return new UniqueViolationError(last, error);
  }
  return null;
}

/** Runs a write, turning driver unique-constraint errors into `UniqueViolationError`. */
export async function mapUniqueViolation<T>(write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw asUniqueViolation(error) ?? error;
  }
}

/**
 * PostgreSQL text and jsonb cannot hold the NUL character (U+0000); SQLite can. A value with one is
 * invalid input (422), not a server error: `{"name": "a\u0000b"}` answered 500 on PostgreSQL.
 */
export class UnstorableTextError extends ValidationError {
  constructor(cause: unknown) {
    super('Text cannot contain the NUL character (\\u0000)', { cause });
  }
}

/** PostgreSQL's 22021 (character_not_in_repertoire: "invalid byte sequence … 0x00") and 22P05 (untranslatable_character: jsonb's "\u0000"). */
export function asUnstorableText(error: unknown): UnstorableTextError | null {
  if (!isDriverError(error) || (error.code !== '22021' && error.code !== '22P05')) return null;
  return new UnstorableTextError(error);
}
