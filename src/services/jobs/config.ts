/**
 * Job and event settings from the environment (documented in docs/jobs.md).
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
}

function int(value: string | undefined, fallback: number, min = 1): number {
  if (value === undefined || value.trim() === '') return fallback;
  const parsed = Number.parseInt(value, 10);
  if (!Number.isFinite(parsed) || parsed < min) throw new Error(`Expected an integer ≥ ${min}, got "${value}"`);
  return parsed;
}

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value.trim() === '') return fallback;
  return ['1', 'true', 'yes', 'on'].includes(value.trim().toLowerCase());
}

export function jobSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): JobSettings {
  return {
    redisUrl: env.LANGFLOW_REDIS_URL?.trim() || null,
    redisPrefix: env.LANGFLOW_REDIS_PREFIX?.trim() || 'weft',
    ttlSeconds: int(env.LANGFLOW_JOB_TTL_SECONDS, 3600),
    workerEnabled: bool(env.LANGFLOW_WORKER_ENABLED, true),
    workerConcurrency: int(env.LANGFLOW_WORKER_CONCURRENCY, 16),
    lockMs: int(env.LANGFLOW_JOB_LOCK_MS, 5000, 500),
    stalledIntervalMs: int(env.LANGFLOW_JOB_STALLED_INTERVAL_MS, 1000, 100),
    maxQueued: int(env.LANGFLOW_JOB_MAX_QUEUED, 10_000),
  };
}
