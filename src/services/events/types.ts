/**
 * The event bus: each job has an ordered, append-only stream of Langflow events. Any process can
 * read a job's stream from a position and follow it live until its terminal event (`end` or `error`).
 */

/** One stored event. `id` orders events within a job (Redis stream id, or a counter in-process). */
export interface BusEvent {
  id: string;
  event: string;
  data: unknown;
}

export interface EventInput {
  event: string;
  data: unknown;
}

export const TERMINAL_EVENTS: ReadonlySet<string> = new Set(['end', 'error']);

export function isTerminal(event: { event: string }): boolean {
  return TERMINAL_EVENTS.has(event.event);
}

export interface FollowOptions {
  /** Start after this event id (`Last-Event-ID`); from the beginning when absent. */
  after?: string | null;
  signal?: AbortSignal;
}

export interface EventBus {
  /**
   * Appends an event to a job's stream and returns its id. A terminal event is appended at most once
   * per job: a second `end`/`error` (a stalled worker finishing late, a cancel racing the end) is
   * dropped and `null` returned.
   */
  append(jobId: string, event: EventInput): Promise<string | null>;
  /** Events after `after` (exclusive) that exist now, at most `limit`. */
  read(jobId: string, after?: string | null, limit?: number): Promise<BusEvent[]>;
  /**
   * Events after `after`; waits up to `timeoutMs` for at least one when there are none yet.
   * Returns [] on timeout.
   */
  waitForEvents(jobId: string, after: string | null | undefined, timeoutMs: number, signal?: AbortSignal): Promise<BusEvent[]>;
  /** Every event after `options.after`, live, ending after the terminal event (or when aborted). */
  follow(jobId: string, options?: FollowOptions): AsyncIterable<BusEvent>;
  /** True once the terminal event was appended. */
  isFinished(jobId: string): Promise<boolean>;
  /** Keep a job's events for `seconds` more, then drop them. */
  expire(jobId: string, seconds: number): Promise<void>;
  /** A named read position kept for a job (the polling delivery mode consumes events through it). */
  getCursor(jobId: string, name: string): Promise<string | null>;
  setCursor(jobId: string, name: string, id: string): Promise<void>;
  close(): Promise<void>;
}

/** Compares two event ids of the same job ("<ms>-<seq>" or a plain counter). */
export function compareEventIds(a: string, b: string): number {
  const [am, as = '0'] = a.split('-');
  const [bm, bs = '0'] = b.split('-');
  const ma = BigInt(am);
  const mb = BigInt(bm);
  if (ma !== mb) return ma < mb ? -1 : 1;
  const sa = BigInt(as);
  const sb = BigInt(bs);
  return sa === sb ? 0 : sa < sb ? -1 : 1;
}
