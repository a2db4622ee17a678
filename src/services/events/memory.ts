import { compareEventIds, isTerminal, type BusEvent, type EventBus, type EventInput, type FollowOptions } from './types.js';

interface Stream {
  events: BusEvent[];
  next: number;
  finished: boolean;
  waiters: Set<() => void>;
  cursorKeys: Set<string>;
  expiry?: NodeJS.Timeout;
}

/** The event bus of a single process: per-job arrays, waiters woken on append. */
export class InMemoryEventBus implements EventBus {
  private readonly streams = new Map<string, Stream>();
  private readonly cursors = new Map<string, string>();
  private closed = false;

  constructor(private readonly maxEventsPerJob = 100_000) {}

  private stream(jobId: string, create: boolean): Stream | undefined {
    let stream = this.streams.get(jobId);
    if (!stream && create) this.streams.set(jobId, (stream = { events: [], next: 1, finished: false, waiters: new Set(), cursorKeys: new Set() }));
    return stream;
  }

  async append(jobId: string, event: EventInput): Promise<string | null> {
    const stream = this.stream(jobId, true)!;
    if (stream.finished) return null;
    const stored: BusEvent = { id: String(stream.next++), event: event.event, data: event.data };
    stream.events.push(stored);
    if (stream.events.length > this.maxEventsPerJob) stream.events.splice(0, stream.events.length - this.maxEventsPerJob);
    if (isTerminal(stored)) stream.finished = true;
    const waiters = [...stream.waiters];
    stream.waiters.clear();
    for (const wake of waiters) wake();
    return stored.id;
  }

  async read(jobId: string, after?: string | null, limit = Infinity): Promise<BusEvent[]> {
    const stream = this.stream(jobId, false);
    if (!stream) return [];
    const start = after ? firstAfter(stream.events, after) : 0;
    return stream.events.slice(start, start + Math.min(limit, stream.events.length));
  }

  async waitForEvents(jobId: string, after: string | null | undefined, timeoutMs: number, signal?: AbortSignal): Promise<BusEvent[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await this.read(jobId, after);
      if (found.length > 0 || this.closed || signal?.aborted) return found;
      const left = deadline - Date.now();
      if (left <= 0) return [];
      await this.nextAppend(jobId, left, signal);
    }
  }

  async *follow(jobId: string, options: FollowOptions = {}): AsyncIterable<BusEvent> {
    let after = options.after ?? null;
    for (;;) {
      const batch = await this.read(jobId, after);
      for (const event of batch) {
        yield event;
        after = event.id;
        if (isTerminal(event)) return;
      }
      if (batch.length === 0) {
        if (this.closed || options.signal?.aborted) return;
        if (this.stream(jobId, false)?.finished) return;
        await this.nextAppend(jobId, 60_000, options.signal);
      }
    }
  }

  private nextAppend(jobId: string, timeoutMs: number, signal?: AbortSignal): Promise<void> {
    const stream = this.stream(jobId, true)!;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        stream.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      stream.waiters.add(done);
    });
  }

  async isFinished(jobId: string): Promise<boolean> {
    return this.stream(jobId, false)?.finished ?? false;
  }

  async expire(jobId: string, seconds: number): Promise<void> {
    const stream = this.stream(jobId, false);
    if (!stream) return;
    clearTimeout(stream.expiry);
    stream.expiry = setTimeout(() => {
      for (const wake of stream.waiters) wake();
      for (const key of stream.cursorKeys) this.cursors.delete(key);
      this.streams.delete(jobId);
    }, seconds * 1000);
    stream.expiry.unref();
  }

  async getCursor(jobId: string, name: string): Promise<string | null> {
    return this.cursors.get(`${jobId}:${name}`) ?? null;
  }

  async setCursor(jobId: string, name: string, id: string): Promise<void> {
    const stream = this.stream(jobId, false);
    const key = `${jobId}:${name}`;
    this.cursors.set(key, id);
    stream?.cursorKeys.add(key);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const stream of this.streams.values()) {
      clearTimeout(stream.expiry);
      for (const wake of [...stream.waiters]) wake();
    }
  }
}

function firstAfter(events: BusEvent[], after: string): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareEventIds(events[mid].id, after) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
