import { createRegistry } from '../components/registry.js';
import type { ComponentRegistry } from '../engine/registry.js';
import { openDatabase } from '../services/database/index.js';
import { createRunExecutor } from '../services/jobs/index.js';
import { RedisJobWorker } from '../services/jobs/redis.js';
import { startObservability } from '../services/observability.js';
import { RunHost } from '../services/runs/host.js';
import { loadSettings } from '../services/settings.js';

/**
 * `weft worker`: runs background jobs (builds, webhooks, v2 background workflows) from the Redis
 * queue. SIGTERM/SIGINT drain: no new jobs are taken, running ones finish, then the process exits.
 * A SIGKILLed worker's jobs are failed (with an `error` event) by another worker's stalled check
 * within about LANGFLOW_JOB_LOCK_MS + 2 × LANGFLOW_JOB_STALLED_INTERVAL_MS.
 */
export async function workerCommand(): Promise<void> {
  await runWorker(createRegistry());
}

/** The worker process with a given component registry (tests add their own components). */
export async function runWorker(registry: ComponentRegistry): Promise<void> {
  const settings = loadSettings();
  const { jobs } = settings;
  if (!jobs.redisUrl) throw new Error('weft worker needs LANGFLOW_REDIS_URL (without Redis, `weft serve` runs jobs itself)');
  const database = await openDatabase(settings);
  const log = (line: string) => process.stderr.write(`weft worker: ${line}\n`);
  // A worker reports like a server: its runs' traces to OTLP, its metrics on LANGFLOW_PROMETHEUS_PORT.
  const observability = await startObservability(settings, log);
  const host = new RunHost({ database, settings, registry, log: (message, error) => log(`${message}: ${error instanceof Error ? error.message : String(error)}`), traceSinks: observability.sinks });
  const executor = observability.metrics ? observability.metrics.countJobs(createRunExecutor(host)) : createRunExecutor(host);
  const worker = new RedisJobWorker({
    url: jobs.redisUrl,
    prefix: jobs.redisPrefix,
    ttlSeconds: jobs.ttlSeconds,
    executor,
    concurrency: jobs.workerConcurrency,
    perUserConcurrency: jobs.perUserConcurrency,
    lockMs: jobs.lockMs,
    stalledIntervalMs: jobs.stalledIntervalMs,
    log,
  });
  let stopping: Promise<void> | null = null;
  const stop = (signal: string) => {
    stopping ??= (async () => {
      log(`${signal}: draining ${worker.active} running job(s)`);
      await worker.close();
      await observability.close();
      await database.close();
      log('stopped');
      process.exit(0);
    })();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await worker.waitUntilReady();
  process.stdout.write(`weft worker ready: ${worker.name} (concurrency ${jobs.workerConcurrency}, prefix ${jobs.redisPrefix})\n`);
  await new Promise<void>(() => {});
}
