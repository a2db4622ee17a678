/**
 * Job and event settings, read from the environment by `readSettings` (src/services/settings.ts) as
 * `settings.jobs` (documented in docs/jobs.md).
 *
 * LANGFLOW_REDIS_URL              unset → in-process queue and bus; set → BullMQ + Redis Streams
 * LANGFLOW_REDIS_PREFIX           key namespace in Redis (default `weft`)
 * LANGFLOW_JOB_TTL_SECONDS        finished jobs and their events expire after this (default 3600)
 * LANGFLOW_WORKER_ENABLED         with Redis: `weft serve` also runs jobs (default true); false = API-only replica
 * LANGFLOW_WORKER_CONCURRENCY     jobs one worker runs at once (default 16)
 * LANGFLOW_JOB_LOCK_MS            BullMQ lock duration (default 5000)
 * LANGFLOW_JOB_STALLED_INTERVAL_MS  BullMQ stalled-job check interval (default 1000)
 * LANGFLOW_JOB_MAX_QUEUED         in-process: jobs allowed to wait before 503 SERVICE_BUSY (default 10000)
 */
export interface JobSettings {
  redisUrl: string | null;
  redisPrefix: string;
  ttlSeconds: number;
  workerEnabled: boolean;
  workerConcurrency: number;
  lockMs: number;
  stalledIntervalMs: number;
  maxQueued: number;
  /**
   * Jobs one user may run at once (LANGFLOW_MAX_CONCURRENT_JOBS_PER_USER): in this process without Redis (default
   * half its slots), across every worker with Redis (default half of LANGFLOW_WORKER_CONCURRENCY).
   */
  perUserConcurrency: number;
}
