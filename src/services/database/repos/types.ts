import type { Kysely } from 'kysely';
import type { DatabaseSchema } from '../schema.js';

export type Db = Kysely<DatabaseSchema>;

/** Settles writes still pending (see RunRecorder) before a read or delete; a no-op without a recorder. */
export type Settle = () => Promise<void>;
export const nothingPending: Settle = async () => {};

/** Counts an API key's use in the write-behind (see RunRecorder). */
export type CountKeyUse = (keyId: string) => void;

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
}

export interface PageRequest {
  page: number;
  size: number;
}

export function pageOf<T>(items: T[], total: number, request: PageRequest): Page<T> {
  return { items, total, page: request.page, size: request.size, pages: Math.ceil(total / request.size) };
}

export function pageOffset(request: PageRequest): number {
  if (!Number.isInteger(request.page) || request.page < 1) throw new RangeError('page must be an integer ≥ 1');
  if (!Number.isInteger(request.size) || request.size < 1) throw new RangeError('size must be an integer ≥ 1');
  // Past every row either way; the product of two large pages and sizes is no integer a database takes.
  return Math.min((request.page - 1) * request.size, Number.MAX_SAFE_INTEGER);
}

/** `count(*)` comes back as a number from SQLite and a string from PostgreSQL. */
export function countOf(row: { count: number | string | bigint } | undefined): number {
  return Number(row?.count ?? 0);
}
