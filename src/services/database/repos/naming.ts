import { sql, type Expression, type SqlBool } from 'kysely';

/** The number n when `name` is `prefix` + n + `suffix` (n all digits), else null. */
function numberBetween(name: string, prefix: string, suffix: string): number | null {
  if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length <= prefix.length + suffix.length) return null;
  const digits = name.slice(prefix.length, name.length - suffix.length);
  return /^\d+$/.test(digits) ? Number(digits) : null;
}

/**
 * `column` starts with `prefix`, compared literally and case-sensitively. Not LIKE: SQLite refuses
 * patterns over 50,000 bytes ("LIKE or GLOB pattern too complex", a 500 for a 1 MB project name).
 * Both databases count `substr` in characters (code points), as the spread below does.
 */
export function startsWith(column: string, prefix: string): Expression<SqlBool> {
  return sql<SqlBool>`substr(${sql.ref(column)}, 1, ${[...prefix].length}) = ${prefix}`;
}

/**
 * Langflow's copy naming: `Name` → `Name (n)` with n one past the highest existing copy number.
 * Compared as strings, not through a RegExp of the name (a 1 MB name is no valid expression).
 */
export function nextCopyName(base: string, existing: Iterable<string>): string {
  let highest = 0;
  for (const name of existing) highest = Math.max(highest, copyNumberOf(name, base) ?? 0);
  return `${base} (${highest + 1})`;
}

/** n when `name` is Langflow's copy name `base (n)`, else null. */
export function copyNumberOf(name: string, base: string): number | null {
  return numberBetween(name, `${base} (`, ')');
}

/** Langflow's endpoint de-duplication: `name` → `name-n` with n one past the highest numeric suffix. */
export function nextEndpointName(base: string, existing: Iterable<string>): string {
  let highest = 0;
  for (const name of existing) highest = Math.max(highest, numberBetween(name, `${base}-`, '') ?? 0);
  return `${base}-${highest + 1}`;
}

export const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;

export function isValidEndpointName(name: string): boolean {
  return ENDPOINT_NAME_PATTERN.test(name);
}
