/**
 * Untrusted JSON and user-chosen object keys.
 *
 * `JSON.parse` makes `"__proto__"` an own property; code that later reads `obj[key]` through the
 * prototype chain, or copies keys with plain assignment, then reaches `Object.prototype` (prototype
 * pollution: one request changes every object in the process). Parsing untrusted text rejects such
 * keys; code that indexes objects by user keys uses `ownValue` / null-prototype maps.
 */
import { ValidationError } from './errors.js';

/**
 * `__proto__` anywhere, and `constructor` holding `prototype`: the two ways a key path reaches a prototype.
 * A `validation` error; the API words it as pydantic would word a failed validator at `path`.
 */
export class UnsafeKeyError extends ValidationError {
  constructor(readonly path: (string | number)[]) {
    super(`The key "${String(path[path.length - 1])}" is not allowed${path.length > 1 ? ` (at ${path.join('.')})` : ''}`);
  }
}

/** Keys that never name user data in Weft: a field, node, variable or header called so is refused or skipped. */
export function isUnsafeKey(key: string): boolean {
  return key === '__proto__' || key === 'constructor' || key === 'prototype';
}

// Any of these in the text may spell a dangerous key (an escaped `\u005f_proto__` included); JSON without them needs no walk.
const SUSPECT = /__proto__|constructor|\\u/;

/** `JSON.parse` that throws `UnsafeKeyError` for a `__proto__` key or a `constructor.prototype` path. */
export function parseUntrustedJson(text: string): unknown {
  const value: unknown = JSON.parse(text);
  if (SUSPECT.test(text)) assertSafeKeys(value);
  return value;
}

interface Visit {
  value: unknown;
  key: string | number | null;
  parent: Visit | null;
}

function pathOf(visit: Visit, last: string[]): (string | number)[] {
  const path: (string | number)[] = [...last];
  for (let at: Visit | null = visit; at && at.key !== null; at = at.parent) path.unshift(at.key);
  return path;
}

/** Throws `UnsafeKeyError` when an already-parsed value holds a `__proto__` key or a `constructor.prototype` path. */
export function assertSafeKeys(root: unknown): void {
  // Iterative, with paths built only for the error: a deeply nested body must neither overflow the stack nor cost O(depth²).
  const stack: Visit[] = [{ value: root, key: null, parent: null }];
  while (stack.length > 0) {
    const visit = stack.pop()!;
    const value = visit.value;
    if (value === null || typeof value !== 'object') continue;
    if (Array.isArray(value)) {
      for (let index = 0; index < value.length; index++) stack.push({ value: value[index], key: index, parent: visit });
      continue;
    }
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key];
      if (key === '__proto__') throw new UnsafeKeyError(pathOf(visit, [key]));
      if (key === 'constructor' && child !== null && typeof child === 'object' && Object.hasOwn(child, 'prototype')) {
        throw new UnsafeKeyError(pathOf(visit, [key, 'prototype']));
      }
      stack.push({ value: child, key, parent: visit });
    }
  }
}

/** `obj[key]` only when `key` is the object's own property: never a value found on its prototype. */
export function ownValue<T>(record: Record<string, T> | null | undefined, key: string): T | undefined {
  return record && Object.hasOwn(record, key) ? record[key] : undefined;
}

/** An empty object with no prototype, for maps keyed by user input. */
export function ownMap<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}
