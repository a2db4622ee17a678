import type { Redis } from 'ioredis';
import { withDeadline } from '../jobs/errors.js';
import { createRedisClient, LuaScript, sleep } from '../jobs/redis-connection.js';
import { compareEventIds, isTerminal, type BusEvent, type EventBus, type EventInput, type FollowOptions } from './types.js';

/**
 * The event bus on Redis Streams: one stream per job (`<prefix>:events:<job id>`), appended with
 * XADD (MAXLEN ~) so stream ids order the events and serve as `Last-Event-ID`. Followers in one
 * process share a single blocking connection: one XREAD BLOCK covers every followed stream, and a
 * new follower interrupts it with CLIENT UNBLOCK.
 */
export interface RedisEventBusOptions {
  url: string;
  prefix: string;
  /** Approximate cap of events kept per job. */
  maxLen?: number;
  /** How long an unfinished job's stream lives without new events (seconds). */
  idleTtlSeconds?: number;
  /** How long a finished job's events are kept (seconds). */
  ttlSeconds: number;
}

const APPEND = new LuaScript(
  `if redis.call('EXISTS', KEYS[2]) == 1 then return false end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*', 'e', ARGV[2])
if ARGV[3] == '1' then
  redis.call('SET', KEYS[2], id, 'EX', ARGV[4])
  redis.call('EXPIRE', KEYS[1], ARGV[4])
else
  redis.call('EXPIRE', KEYS[1], ARGV[5])
end
return id`,
  2,
);

type StreamEntry = [id: string, fields: string[]];

function parseEntry([id, fields]: StreamEntry): BusEvent {
  const index = fields.indexOf('e');
  const payload = JSON.parse(fields[index + 1]) as { event: string; data: unknown };
  return { id, event: payload.event, data: payload.data };
}

/** XREAD's reply: RESP2 `[[key, entries], ...]`, RESP3 a map (`[key, entries, key, entries]` or an object). */
function xreadPairs(reply: unknown): [string, StreamEntry[]][] {
  if (!reply) return [];
  if (Array.isArray(reply)) {
    if (reply.length > 0 && typeof reply[0] === 'string') {
      const pairs: [string, StreamEntry[]][] = [];
      for (let i = 0; i < reply.length; i += 2) pairs.push([reply[i] as string, reply[i + 1] as StreamEntry[]]);
      return pairs;
    }
    return reply as [string, StreamEntry[]][];
  }
  if (reply instanceof Map) return [...reply.entries()] as [string, StreamEntry[]][];
  if (typeof reply === 'object') return Object.entries(reply as Record<string, StreamEntry[]>);
  return [];
}

interface Subscriber {
  key: string;
  after: string;
  push(events: BusEvent[]): void;
}

export class RedisEventBus implements EventBus {
  readonly client: Redis;
  private readonly blocking: Redis;
  private blockingId: string | null = null;
  private readonly subs = new Map<string, Set<Subscriber>>();
  private wake: (() => void) | null = null;
  private blocked = false;
  private closed = false;
  private loop: Promise<void> | null = null;
  readonly maxLen: number;
  private readonly idleTtl: number;

  constructor(private readonly options: RedisEventBusOptions) {
    this.client = createRedisClient(options.url);
    this.blocking = createRedisClient(options.url, { blocking: true });
    this.blocking.on('ready', () => {
      this.blocking.call('CLIENT', 'ID').then(
        (id) => (this.blockingId = String(id)),
        () => (this.blockingId = null),
      );
    });
    this.maxLen = options.maxLen ?? 10_000;
    this.idleTtl = options.idleTtlSeconds ?? 86_400;
  }

  streamKey(jobId: string): string {
    return `${this.options.prefix}:events:${jobId}`;
  }

  doneKey(jobId: string): string {
    return `${this.options.prefix}:events-done:${jobId}`;
  }

  async append(jobId: string, event: EventInput): Promise<string | null> {
    const payload = JSON.stringify({ event: event.event, data: event.data });
    const terminal = isTerminal(event) ? '1' : '0';
    const id = await withDeadline('Redis (event bus)', 5000, () =>
      APPEND.run(this.client, [this.streamKey(jobId), this.doneKey(jobId)], [this.maxLen, payload, terminal, this.options.ttlSeconds, this.idleTtl]),
    );
    return typeof id === 'string' ? id : null;
  }

  async read(jobId: string, after?: string | null, limit = 10_000): Promise<BusEvent[]> {
    const start = after ? `(${after}` : '-';
    const entries = (await withDeadline('Redis (event bus)', 5000, () =>
      this.client.call('XRANGE', this.streamKey(jobId), start, '+', 'COUNT', limit),
    )) as StreamEntry[];
    return entries.map(parseEntry);
  }

  async waitForEvents(jobId: string, after: string | null | undefined, timeoutMs: number, signal?: AbortSignal): Promise<BusEvent[]> {
    const found = await this.read(jobId, after);
    if (found.length > 0 || timeoutMs <= 0) return found;
    const lastSeen = after ?? '0-0';
    await new Promise<void>((resolve) => {
      const sub: Subscriber = { key: this.streamKey(jobId), after: lastSeen, push: () => finish() };
      const finish = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', finish);
        this.unsubscribe(sub);
        resolve();
      };
      const timer = setTimeout(finish, timeoutMs);
      signal?.addEventListener('abort', finish, { once: true });
      this.subscribe(sub);
    });
    return this.read(jobId, after);
  }

  async *follow(jobId: string, options: FollowOptions = {}): AsyncIterable<BusEvent> {
    let after = options.after ?? null;
    // Catch up with what is stored, then follow live from the last id seen.
    for (;;) {
      const batch = await this.read(jobId, after, 1000);
      for (const event of batch) {
        yield event;
        after = event.id;
        if (isTerminal(event)) return;
      }
      if (batch.length < 1000) break;
    }
    if (options.signal?.aborted) return;
    const pending: BusEvent[] = [];
    let notify: (() => void) | null = null;
    const sub: Subscriber = {
      key: this.streamKey(jobId),
      after: after ?? '0-0',
      push: (events) => {
        pending.push(...events);
        notify?.();
      },
    };
    const onAbort = () => notify?.();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    this.subscribe(sub);
    try {
      for (;;) {
        while (pending.length > 0) {
          const event = pending.shift()!;
          yield event;
          if (isTerminal(event)) return;
        }
        if (options.signal?.aborted || this.closed) return;
        await new Promise<void>((resolve) => (notify = resolve));
        notify = null;
      }
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      this.unsubscribe(sub);
    }
  }

  async isFinished(jobId: string): Promise<boolean> {
    const exists = await withDeadline('Redis (event bus)', 5000, () => this.client.call('EXISTS', this.doneKey(jobId)));
    return Number(exists) === 1;
  }

  async expire(jobId: string, seconds: number): Promise<void> {
    await withDeadline('Redis (event bus)', 5000, () =>
      this.client.multi().expire(this.streamKey(jobId), seconds).expire(this.doneKey(jobId), seconds).expire(this.cursorKey(jobId), seconds).exec(),
    );
  }

  async getCursor(jobId: string, name: string): Promise<string | null> {
    const value = await withDeadline('Redis (event bus)', 5000, () => this.client.call('HGET', this.cursorKey(jobId), name));
    return typeof value === 'string' ? value : null;
  }

  async setCursor(jobId: string, name: string, id: string): Promise<void> {
    const key = this.cursorKey(jobId);
    await withDeadline('Redis (event bus)', 5000, () => this.client.multi().hset(key, name, id).expire(key, this.idleTtl).exec());
  }

  private cursorKey(jobId: string): string {
    return `${this.options.prefix}:events-cursor:${jobId}`;
  }

  /** Fails with QueueUnavailableError when Redis cannot be reached. */
  async ping(): Promise<void> {
    await withDeadline('Redis (event bus)', 3000, () => this.client.call('PING'));
  }

  private subscribe(sub: Subscriber): void {
    let set = this.subs.get(sub.key);
    if (!set) this.subs.set(sub.key, (set = new Set()));
    set.add(sub);
    this.loop ??= this.readLoop();
    this.wake?.();
    if (this.blocked && this.blockingId) this.client.call('CLIENT', 'UNBLOCK', this.blockingId).catch(() => {});
  }

  private unsubscribe(sub: Subscriber): void {
    const set = this.subs.get(sub.key);
    if (!set) return;
    set.delete(sub);
    if (set.size === 0) this.subs.delete(sub.key);
  }

  /** One XREAD BLOCK over every followed stream; entries go to the subscribers that have not seen them. */
  private async readLoop(): Promise<void> {
    while (!this.closed) {
      if (this.subs.size === 0) {
        await new Promise<void>((resolve) => (this.wake = resolve));
        this.wake = null;
        continue;
      }
      const keys = [...this.subs.keys()];
      const ids = keys.map((key) => {
        let min: string | null = null;
        for (const sub of this.subs.get(key)!) if (min === null || compareEventIds(sub.after, min) < 0) min = sub.after;
        return min ?? '0-0';
      });
      let reply: unknown;
      this.blocked = true;
      try {
        reply = await this.blocking.call('XREAD', 'COUNT', 1000, 'BLOCK', 2000, 'STREAMS', ...keys, ...ids);
      } catch {
        this.blocked = false;
        if (this.closed) break;
        await sleep(200);
        continue;
      }
      this.blocked = false;
      for (const [key, entries] of xreadPairs(reply)) {
        const events = entries.map(parseEntry);
        for (const sub of [...(this.subs.get(key) ?? [])]) {
          const fresh = events.filter((e) => compareEventIds(e.id, sub.after) > 0);
          if (fresh.length === 0) continue;
          sub.after = fresh[fresh.length - 1].id;
          sub.push(fresh);
        }
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.wake?.();
    for (const set of this.subs.values()) for (const sub of set) sub.push([]);
    this.blocking.disconnect();
    await this.loop?.catch(() => {});
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

