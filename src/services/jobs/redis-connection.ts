import { createHash } from 'node:crypto';
import { Redis, type RedisOptions } from 'ioredis';

/**
 * Redis clients that fail fast: a command sent while Redis is down rejects at once (no offline
 * queue) instead of hanging, connects and commands time out in seconds, and the client keeps
 * reconnecting in the background so the service recovers when Redis returns.
 */
export interface RedisClientOptions {
  /** For a connection that runs blocking reads (XREAD BLOCK): no command timeout. */
  blocking?: boolean;
  connectTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** BullMQ workers need `maxRetriesPerRequest: null`. */
  forBullWorker?: boolean;
  /**
   * Queue commands while disconnected (BullMQ's own clients need it: they send INFO at once and
   * keep that promise). Callers then guard with a connection check and a deadline.
   */
  offlineQueue?: boolean;
}

export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const base: RedisOptions = {
    connectTimeout: options.connectTimeoutMs ?? 2000,
    enableOfflineQueue: options.offlineQueue ?? options.forBullWorker ?? false,
    maxRetriesPerRequest: options.forBullWorker ? null : 1,
    retryStrategy: (times: number) => Math.min(100 * times, 1000),
    lazyConnect: false,
    enableReadyCheck: true,
  };
  if (!options.blocking && !options.forBullWorker) base.commandTimeout = options.commandTimeoutMs ?? 3000;
  const client = new Redis(url, base);
  // Connection errors are reported through failing commands (QueueUnavailableError); an unhandled
  // 'error' event would crash the process.
  client.on('error', () => {});
  return client;
}

/** Runs a Lua script by its SHA, loading it on first use (EVALSHA, then EVAL on NOSCRIPT). */
export class LuaScript {
  private readonly sha: string;

  constructor(private readonly source: string, private readonly keyCount: number) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(client: Redis, keys: string[], args: (string | number)[]): Promise<unknown> {
    if (keys.length !== this.keyCount) throw new Error(`script expects ${this.keyCount} keys`);
    try {
      return await client.call('EVALSHA', this.sha, this.keyCount, ...keys, ...args);
    } catch (error) {
      // A Redis error reply (ioredis' ReplyError) has no code field: only its text names its kind.
      // eslint-disable-next-line no-restricted-syntax
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error;
      return client.call('EVAL', this.source, this.keyCount, ...keys, ...args);
    }
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
