import type { JobSettings } from './config.js';
import { InProcessJobQueue } from './memory.js';
import type { RedisJobWorker } from './redis.js';
import type { JobExecutor, JobQueue } from './types.js';

export * from './types.js';
export * from './errors.js';
export type { JobSettings } from './config.js';
export { InProcessJobQueue } from './memory.js';
export { createRunExecutor } from './run-job.js';

type RedisModule = typeof import('./redis.js');
let redisModule: RedisModule | null = null;

/**
 * BullMQ and ioredis load only when Redis is configured: an embedded server never pays for them.
 * Call before `createJobServices` with a Redis URL.
 */
export async function loadRedisJobs(): Promise<RedisModule> {
  redisModule ??= await import('./redis.js');
  return redisModule;
}

/** The queue (and, when this process runs jobs, the worker) a server process uses. */
export interface JobServices {
  queue: JobQueue;
  /** Present when this process runs jobs from Redis. */
  worker: RedisJobWorker | null;
  settings: JobSettings;
  close(): Promise<void>;
}

/**
 * In-process when LANGFLOW_REDIS_URL is unset (jobs run here). With Redis, jobs go to BullMQ and
 * this process also runs them unless LANGFLOW_WORKER_ENABLED=false (an API-only replica).
 */
export function createJobServices(executor: JobExecutor, settings: JobSettings, log?: (line: string) => void): JobServices {
  if (!settings.redisUrl) {
    const queue = new InProcessJobQueue({ executor, ttlSeconds: settings.ttlSeconds, maxQueued: settings.maxQueued, perUserConcurrency: settings.perUserConcurrency });
    return { queue, worker: null, settings, close: () => queue.close() };
  }
  if (!redisModule) throw new Error('loadRedisJobs() must run before creating Redis job services');
  const { RedisJobQueue, RedisJobWorker } = redisModule;
  const base = { url: settings.redisUrl, prefix: settings.redisPrefix, ttlSeconds: settings.ttlSeconds };
  const queue = new RedisJobQueue(base);
  const worker = settings.workerEnabled
    ? new RedisJobWorker({ ...base, executor, concurrency: settings.workerConcurrency, perUserConcurrency: settings.perUserConcurrency, lockMs: settings.lockMs, stalledIntervalMs: settings.stalledIntervalMs, log })
    : null;
  return {
    queue,
    worker,
    settings,
    close: async () => {
      await worker?.close();
      await queue.close();
    },
  };
}
