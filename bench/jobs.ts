import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { createRegistry } from '../src/components/registry.js';
import { openDatabase } from '../src/services/database/index.js';
import { freshDatabaseUrl } from '../test-utils/database.js';
import { InProcessJobQueue } from '../src/services/jobs/memory.js';
import { RedisJobQueue, RedisJobWorker } from '../src/services/jobs/redis.js';
import { createRunExecutor } from '../src/services/jobs/run-job.js';
import { RunHost } from '../src/services/runs/host.js';
import { loadSettings } from '../src/services/settings.js';
import type { JobExecutor, JobQueue, RunJobSpec } from '../src/services/jobs/types.js';
import { JobCluster } from '../test-utils/job-cluster.js';
import { createTestFlow, createTestUser, echoFlowData } from '../test-utils/job-fixtures.js';
import type { BenchRow } from './table.js';

const REDIS_URL = process.env.WEFT_BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const now = () => performance.timeOrigin + performance.now();

/** Submits `count` runs (at most 64 in flight) and waits for all of them; runs per second. */
async function runsPerSecond(queue: JobQueue, spec: RunJobSpec, count: number): Promise<number> {
  const start = performance.now();
  const ids: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (next < count) {
        next++;
        ids.push((await queue.submit(spec)).id);
      }
    }),
  );
  let failed = 0;
  for (const id of ids) {
    const done = await queue.waitUntilFinished(id, 120_000);
    if (done?.status !== 'completed') failed++;
  }
  if (failed > 0) throw new Error(`${failed} of ${count} bench runs did not complete`);
  return count / ((performance.now() - start) / 1000);
}

/** Emits `count` token events 2 ms apart, each stamped with its emission time. */
const stampedEvents =
  (count: number): JobExecutor =>
  async (_spec, ctx) => {
    for (let i = 0; i < count; i++) {
      await ctx.emit({ event: 'token', data: { chunk: String(i), id: 'bench', t: now() } });
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await ctx.emit({ event: 'end', data: {} });
    return { status: 'completed' };
  };

/** Emission → client read latencies (ms) of one job's events, read by following the bus. */
async function eventLatencies(queue: JobQueue, count: number): Promise<number[]> {
  const job = await queue.submit({ kind: 'workflow', flowId: 'bench', userId: null, inputs: {}, options: {} });
  const latencies: number[] = [];
  for await (const event of queue.events.follow(job.id)) {
    const t = (event.data as { t?: number }).t;
    if (typeof t === 'number') latencies.push(now() - t);
  }
  if (latencies.length !== count) throw new Error(`read ${latencies.length} of ${count} events`);
  return latencies.sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))];

export async function jobsBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const redis = new Redis(REDIS_URL);
  const prefix = `weft-bench-${randomUUID()}`;
  const fresh = await freshDatabaseUrl('postgres');
  const database = await openDatabase(fresh.url);
  const cluster = new JobCluster({
    LANGFLOW_DATABASE_URL: fresh.url,
    LANGFLOW_REDIS_URL: REDIS_URL,
    LANGFLOW_REDIS_PREFIX: prefix,
    LANGFLOW_AUTO_LOGIN: 'false',
    LANGFLOW_SECRET_KEY: 'bench-secret-key-0123456789abcdefgh',
    LANGFLOW_WORKER_CONCURRENCY: '32',
  });
  try {
    const user = await createTestUser(database, 'bench');
    const flow = await createTestFlow(database, user, echoFlowData(false));
    const spec: RunJobSpec = { kind: 'webhook', flowId: flow.id, userId: user.id, inputs: { inputValue: 'bench' }, options: { logBuilds: false } };
    const runs = 1500;

    // In-process: the same executor (PostgreSQL flow load, engine, transactions) without Redis.
    const inProcess = new InProcessJobQueue({
      ttlSeconds: 600,
      executor: createRunExecutor(
        new RunHost({
          database,
          registry: createRegistry(),
          settings: loadSettings({ LANGFLOW_CONFIG_DIR: cluster.configDir, LANGFLOW_DATABASE_URL: fresh.url, LANGFLOW_SECRET_KEY: 'bench-secret-key-0123456789abcdefgh' }),
        }),
      ),
    });
    await runsPerSecond(inProcess, spec, 200);
    rows.push({ bench: 'jobs', case: 'background runs, in-process queue', value: await runsPerSecond(inProcess, spec, runs), unit: 'runs/s', note: `${runs} ChatInput→ChatOutput runs in the API process; flow load + transactions on PostgreSQL, as the workers do` });
    await inProcess.close();

    const queue = new RedisJobQueue({ url: REDIS_URL, prefix, ttlSeconds: 600 });
    await cluster.spawn('worker');
    await runsPerSecond(queue, spec, 200);
    const one = await runsPerSecond(queue, spec, runs);
    rows.push({ bench: 'jobs', case: 'background runs, Redis, 1 worker process', value: one, unit: 'runs/s', note: `BullMQ; ${runs} runs, 64 submitters` });
    await cluster.spawn('worker');
    await runsPerSecond(queue, spec, 200);
    const two = await runsPerSecond(queue, spec, runs);
    rows.push({ bench: 'jobs', case: 'background runs, Redis, 2 worker processes', value: two, unit: 'runs/s', note: `×${(two / one).toFixed(2)} of one worker (this machine has ${(await import('node:os')).availableParallelism()} CPUs)` });
    await queue.close();

    // Event latency: a worker appends stamped events; a client follows the job's stream.
    const events = 300;
    const local = new InProcessJobQueue({ executor: stampedEvents(events), ttlSeconds: 60 });
    const localLatency = await eventLatencies(local, events);
    await local.close();
    const latencyPrefix = `${prefix}-latency`;
    const redisQueue = new RedisJobQueue({ url: REDIS_URL, prefix: latencyPrefix, ttlSeconds: 60 });
    const worker = new RedisJobWorker({ url: REDIS_URL, prefix: latencyPrefix, ttlSeconds: 60, executor: stampedEvents(events) });
    await worker.waitUntilReady();
    await eventLatencies(redisQueue, events);
    const redisLatency = await eventLatencies(redisQueue, events);
    await worker.close();
    await redisQueue.close();
    for (const [label, sorted] of [['in-process bus', localLatency], ['Redis Streams (XADD → XREAD BLOCK)', redisLatency]] as const) {
      rows.push({ bench: 'jobs', case: `event latency p50, ${label}`, value: percentile(sorted, 50), unit: 'ms', note: `p99 ${percentile(sorted, 99).toFixed(2)} ms over ${events} events, worker emit → client read` });
    }
  } finally {
    await cluster.stop();
    for (const pattern of [`${prefix}*`]) {
      const keys = await redis.keys(pattern);
      for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    }
    redis.disconnect();
    await database.close();
    await fresh.cleanup();
  }
  return rows;
}
