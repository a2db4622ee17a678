import { sql, type Expression, type SqlBool } from 'kysely';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A LIKE pattern matching `prefix` literally followed by anything (`!` is the escape character). */
export function startsWith(column: string, prefix: string): Expression<SqlBool> {
  const escaped = prefix.replace(/[!%_]/g, '!$&');
  return sql<SqlBool>`${sql.ref(column)} LIKE ${escaped + '%'} ESCAPE '!'`;
}

/** Langflow's copy naming: `Name` → `Name (n)` with n one past the highest existing copy number. */
export function nextCopyName(base: string, existing: Iterable<string>): string {
  const pattern = new RegExp(`^${escapeRegExp(base)} \\((\\d+)\\)$`);
  let highest = 0;
  for (const name of existing) {
    const match = pattern.exec(name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `${base} (${highest + 1})`;
}

/** Langflow's endpoint de-duplication: `name` → `name-n` with n one past the highest numeric suffix. */
export function nextEndpointName(base: string, existing: Iterable<string>): string {
  const pattern = new RegExp(`^${escapeRegExp(base)}-(\\d+)$`);
  let highest = 0;
  for (const name of existing) {
    const match = pattern.exec(name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return `${base}-${highest + 1}`;
}

export const ENDPOINT_NAME_PATTERN = /^[a-zA-Z0-9_-]+$/;

export function isValidEndpointName(name: string): boolean {
  return ENDPOINT_NAME_PATTERN.test(name);
}
