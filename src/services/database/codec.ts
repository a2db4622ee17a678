import { maskedJson } from '../../engine/secret-masking.js';
import type { Bit } from './schema.js';

/** Masked JSON of a value (null for none), computed once per object: a batch's transactions and traces share their outputs. */
export type MaskedJsonOf = (value: unknown) => string | null;

export function maskedJsonCache(): MaskedJsonOf {
  const cache = new Map<object, string>();
  return (value) => {
    if (value === null || value === undefined) return null;
    if (typeof value !== 'object') return maskedJson(value);
    let json = cache.get(value);
    if (json === undefined) cache.set(value, (json = maskedJson(value)));
    return json;
  };
}

export function toBit(value: boolean | null | undefined): Bit {
  return value ? 1 : 0;
}

export function fromBit(value: number | string | boolean | null | undefined): boolean {
  return value === 1 || value === '1' || value === true;
}

export function toJson(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

export function fromJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined || text === '') return fallback;
  return JSON.parse(text) as T;
}

/**
 * Stored timestamps carry microseconds (`2024-01-01T00:00:00.000000Z`) so text order is time order and
 * rows written in the same millisecond by this process still sort in write order.
 */
function isoFromMicros(micros: number): string {
  const millis = Math.floor(micros / 1000);
  return new Date(millis).toISOString().replace('Z', `${String(micros - millis * 1000).padStart(3, '0')}Z`);
}

let lastMicros = 0;

/** The current time, strictly increasing within this process. */
export function nowIso(): string {
  lastMicros = Math.max(Date.now() * 1000, lastMicros + 1);
  return isoFromMicros(lastMicros);
}

/** The last string converted: all rows a run records carry one timestamp, converted once instead of per row. */
let lastIsoInput: string | null = null;
let lastIsoOutput = '';

/** Accepts ISO-8601 and Langflow's `YYYY-MM-DD HH:MM:SS UTC`; returns ISO-8601 UTC. */
export function toIso(value: string | Date): string {
  if (value instanceof Date) return isoFromMicros(value.getTime() * 1000);
  if (value === lastIsoInput) return lastIsoOutput;
  lastIsoOutput = parseIso(value);
  lastIsoInput = value;
  return lastIsoOutput;
}

function parseIso(value: string): string {
  const normalised = value.trim().replace(/ UTC$/, 'Z').replace(' ', 'T');
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(normalised) ? normalised : `${normalised}Z`);
  if (Number.isNaN(date.getTime())) throw new Error(`Invalid timestamp "${value}"`);
  return isoFromMicros(date.getTime() * 1000);
}

/** Langflow's wire format for message timestamps. */
export function toLangflowTimestamp(iso: string): string {
  return iso.replace('T', ' ').slice(0, 19) + ' UTC';
}
