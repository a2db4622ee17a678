import { randomUUID } from 'node:crypto';
import { DelayedError, Queue, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import { RedisEventBus } from '../events/redis.js';
import { QueueUnavailableError, withDeadline } from './errors.js';
import { CANCELLED_MESSAGE, executeJob, terminalFor, type Finished } from './execute.js';
import { createRedisClient, LuaScript, sleep } from './redis-connection.js';
import { FINISHED_STATUSES, newJobInfo, type JobExecutor, type JobInfo, type JobQueue, type JobStatus, type RunJobSpec, type SubmitOptions } from './types.js';

/**
 * Jobs on BullMQ, events on Redis Streams, cancel over pub/sub.
 *
 * Keys (all under `prefix`): `<prefix>:bull:*` BullMQ's queue `runs`; `<prefix>:job:<id>` a hash
 * with the job's status (what any replica answers from); `<prefix>:events:<id>` its event stream;
 * `<prefix>:cancel` the channel a cancel is published on (workers abort the run they hold).
 */
export interface RedisQueueOptions {
  url: string;
  /** Namespace of every key; tests use a unique one per run. */
  prefix: string;
  /** Finished jobs and their events expire after this many seconds. */
  ttlSeconds: number;
}

export const QUEUE_NAME = 'runs';
const IDLE_TTL_SECONDS = 86_400;

/**
 * Records a finished job once: status fields + terminal event + expiry, atomically. A second
 * finisher (a stalled worker finishing late, a cancel racing the end) changes nothing.
 * KEYS: job hash, event stream, events-done marker. ARGV: status, finishedAt, result, error,
 * terminal event JSON, ttl, maxlen.
 */
const FINISH = new LuaScript(
  `local status = redis.call('HGET', KEYS[1], 'status')
if status == 'completed' or status == 'failed' or status == 'cancelled' then return 0 end
redis.call('HSET', KEYS[1], 'status', ARGV[1], 'finishedAt', ARGV[2], 'result', ARGV[3], 'error', ARGV[4])
if redis.call('EXISTS', KEYS[3]) == 0 then
  local id = redis.call('XADD', KEYS[2], 'MAXLEN', '~', ARGV[7], '*', 'e', ARGV[5])
  redis.call('SET', KEYS[3], id, 'EX', ARGV[6])
end
redis.call('EXPIRE', KEYS[1], ARGV[6])
redis.call('EXPIRE', KEYS[2], ARGV[6])
return 1`,
  3,
);

/**
 * Moves a queued job to in_progress unless it was cancelled or finished, or its user already runs
 * `limit` jobs across all workers ('busy'; limit 0: none). The user's running set forgets members
 * that are no longer in progress (finished, or failed by the stalled check after their worker
 * died), so a lost release never blocks a user for good. Returns the status now.
 * KEYS: job hash, the user's running set. ARGV: now, worker, limit, job key prefix, job id, set ttl.
 */
const START = new LuaScript(
  `local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 'missing' end
if redis.call('HGET', KEYS[1], 'cancel') == '1' then return 'cancel' end
if status ~= 'queued' then return status end
local limit = tonumber(ARGV[3])
if limit > 0 then
  for _, id in ipairs(redis.call('SMEMBERS', KEYS[2])) do
    if redis.call('HGET', ARGV[4] .. id, 'status') ~= 'in_progress' then redis.call('SREM', KEYS[2], id) end
  end
  if redis.call('SCARD', KEYS[2]) >= limit then return 'busy' end
  redis.call('SADD', KEYS[2], ARGV[5])
  redis.call('EXPIRE', KEYS[2], ARGV[6])
end
redis.call('HSET', KEYS[1], 'status', 'in_progress', 'startedAt', ARGV[1], 'worker', ARGV[2])
return 'in_progress'`,
  2,
);

class RedisJobStore {
  constructor(
    readonly client: Redis,
    readonly bus: RedisEventBus,
    readonly options: RedisQueueOptions,
  ) {}

  jobKey(id: string): string {
    return `${this.options.prefix}:job:${id}`;
  }

  /** The jobs a user runs now, on any worker (jobs without a user share one set, as in-process). */
  runningKey(userId: string | null): string {
    return `${this.options.prefix}:running:${userId ?? '-'}`;
  }

  get cancelChannel(): string {
    return `${this.options.prefix}:cancel`;
  }

  async create(info: JobInfo): Promise<void> {
    await withDeadline('Redis (job store)', 5000, () =>
      this.client
        .multi()
        .hset(this.jobKey(info.id), {
          id: info.id,
          kind: info.kind,
          flowId: info.flowId,
          userId: info.userId ?? '',
          public: info.public ? '1' : '0',
          status: info.status,
          createdAt: info.createdAt,
        })
        .expire(this.jobKey(info.id), IDLE_TTL_SECONDS)
        .exec(),
    );
  }

  async get(id: string): Promise<JobInfo | null> {
    const raw = (await withDeadline('Redis (job store)', 5000, () => this.client.hgetall(this.jobKey(id)))) as Record<string, string>;
    if (!raw || !raw.status) return null;
    return {
      id: raw.id ?? id,
      kind: raw.kind as JobInfo['kind'],
      flowId: raw.flowId,
      userId: raw.userId || null,
      public: raw.public === '1',
      status: raw.status as JobStatus,
      createdAt: raw.createdAt,
      startedAt: raw.startedAt || null,
      finishedAt: raw.finishedAt || null,
      result: raw.result ? JSON.parse(raw.result) : null,
      error: raw.error || null,
    };
  }

  /** 'in_progress' when this caller may run the job; otherwise why not ('busy': its user is at `perUser`). */
  async start(id: string, worker: string, userId: string | null, perUser: number): Promise<string> {
    const keys = [this.jobKey(id), this.runningKey(userId)];
    const args = [new Date().toISOString(), worker, perUser, this.jobKey(''), id, IDLE_TTL_SECONDS];
    return String(await withDeadline('Redis (job store)', 5000, () => START.run(this.client, keys, args)));
  }

  /** The job no longer holds one of its user's slots (START also forgets finished jobs; this frees the slot at once). */
  async release(id: string, userId: string | null): Promise<void> {
    await this.client.srem(this.runningKey(userId), id).catch(() => {});
  }

  async finish(id: string, { outcome, terminal }: Finished): Promise<boolean> {
    const done = await withDeadline('Redis (job store)', 5000, () =>
      FINISH.run(
        this.client,
        [this.jobKey(id), this.bus.streamKey(id), this.bus.doneKey(id)],
        [
          outcome.status,
          new Date().toISOString(),
          outcome.result === undefined ? '' : JSON.stringify(outcome.result),
          outcome.error ?? '',
          JSON.stringify({ event: terminal.event, data: terminal.data }),
          this.options.ttlSeconds,
          this.bus.maxLen,
        ],
      ),
    );
    return Number(done) === 1;
  }
}

/** The API side: submits jobs, answers status from any replica, cancels wherever a job runs. */
export class RedisJobQueue implements JobQueue {
  readonly mode = 'redis' as const;
  readonly events: RedisEventBus;
  private readonly client: Redis;
  private readonly queue: Queue;
  private readonly queueClient: Redis;
  private readonly store: RedisJobStore;

  constructor(private readonly options: RedisQueueOptions) {
    this.events = new RedisEventBus({ url: options.url, prefix: options.prefix, ttlSeconds: options.ttlSeconds });
    this.client = this.events.client;
    this.store = new RedisJobStore(this.client, this.events, options);
    this.queueClient = createRedisClient(options.url, { offlineQueue: true });
    this.queue = new Queue(QUEUE_NAME, {
      connection: this.queueClient,
      prefix: `${options.prefix}:bull`,
      skipWaitingForReady: true,
      defaultJobOptions: {
        attempts: 1,
        removeOnComplete: { age: options.ttlSeconds },
        removeOnFail: { age: options.ttlSeconds },
      },
    });
    this.queue.on('error', () => {});
  }

  private assertConnected(): void {
    if (this.client.status !== 'ready') throw new QueueUnavailableError(`Redis is not connected (${this.client.status})`);
  }

  async depth(): Promise<{ queued: number; running: number }> {
    this.assertConnected();
    const counts = await withDeadline('Redis (queue)', 5000, () => this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active'));
    return { queued: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.delayed ?? 0), running: counts.active ?? 0 };
  }

  async submit(spec: RunJobSpec, options: SubmitOptions = {}): Promise<JobInfo> {
    this.assertConnected();
    const info = newJobInfo(options.jobId ?? randomUUID(), spec);
    await this.store.create(info);
    await withDeadline('Redis (queue)', 5000, () => this.queue.add(spec.kind, spec, { jobId: info.id }));
    return info;
  }

  async status(jobId: string): Promise<JobInfo | null> {
    this.assertConnected();
    return this.store.get(jobId);
  }

  async cancel(jobId: string, options: { waitMs?: number } = {}): Promise<boolean | null> {
    this.assertConnected();
    const info = await this.store.get(jobId);
    if (!info) return null;
    if (FINISHED_STATUSES.has(info.status)) return true;
    await withDeadline('Redis (job store)', 5000, () =>
      this.client.multi().hset(this.store.jobKey(jobId), 'cancel', '1').publish(this.store.cancelChannel, jobId).exec(),
    );
    if (info.status === 'queued') {
      // Still waiting: take it off the queue and record the cancel here. If a worker took it in the
      // meantime, removal fails and the worker sees the cancel flag or the published message.
      const removed = await this.queue
        .getJob(jobId)
        .then((job) => job?.remove())
        .then(() => true, () => false);
      if (removed) {
        const outcome = { status: 'cancelled' as const, error: CANCELLED_MESSAGE };
        await this.store.finish(jobId, { outcome, terminal: terminalFor(outcome) });
      }
    }
    return (await this.waitUntilFinished(jobId, options.waitMs ?? 10_000)) !== null;
  }

  async waitUntilFinished(jobId: string, timeoutMs: number): Promise<JobInfo | null> {
    const deadline = Date.now() + timeoutMs;
    for (let delay = 10; ; delay = Math.min(delay * 2, 200)) {
      const info = await this.store.get(jobId);
      if (!info) return null;
      if (FINISHED_STATUSES.has(info.status)) return info;
      if (Date.now() >= deadline) return null;
      await sleep(Math.min(delay, Math.max(0, deadline - Date.now())));
    }
  }

  async ping(): Promise<void> {
    this.assertConnected();
    await this.events.ping();
  }

  /** Jobs waiting or running (for benches and health). */
  async counts(): Promise<Record<string, number>> {
    return withDeadline('Redis (queue)', 5000, () => this.queue.getJobCounts('waiting', 'active', 'completed', 'failed'));
  }

  async close(): Promise<void> {
    // With Redis down, BullMQ's close waits for a connection that never comes: bound it.
    await Promise.race([this.queue.close().catch(() => {}), sleep(2000)]);
    this.queueClient.disconnect();
    await this.events.close();
  }
}

export interface RedisWorkerOptions extends RedisQueueOptions {
  executor: JobExecutor;
  /** Jobs run at once by this worker (default 16). */
  concurrency?: number;
  /**
   * Fault bounds. A worker renews the lock of each job every lockMs/2; another worker's stalled
   * check (every stalledIntervalMs) finds a job whose lock expired and fails it with an `error`
   * event. So a SIGKILLed worker's job ends `failed` within about lockMs + 2 × stalledIntervalMs.
   */
  lockMs?: number;
  stalledIntervalMs?: number;
  /**
   * Jobs one user may run at once across every worker of the deployment (LANGFLOW_MAX_CONCURRENT_JOBS_PER_USER;
   * 0 or unset: no limit). A user's job beyond it goes back to the queue, delayed, and other users' jobs run.
   */
  perUserConcurrency?: number;
  /** Identifies this worker in job hashes and logs. */
  name?: string;
  log?: (line: string) => void;
}

/** How long a job whose user is at the limit waits before it is tried again: 100 ms doubling to 2 s, jittered. */
function userBusyDelayMs(attemptsStarted: number): number {
  return Math.min(2000, 100 * 2 ** Math.max(0, attemptsStarted - 1)) + Math.floor(Math.random() * 100);
}

export const STALLED_MESSAGE = 'The worker running this job stopped before it finished (stalled); the run was abandoned';

/**
 * Runs jobs from the queue. Runs are not retried after a worker dies: they have side effects
 * (stored messages, model calls) and their events were already partly delivered, so a stalled job
 * ends `failed` with an `error` event instead (BullMQ maxStalledCount 0).
 */
export class RedisJobWorker {
  readonly name: string;
  private readonly worker: Worker;
  private readonly bus: RedisEventBus;
  private readonly store: RedisJobStore;
  private readonly subscriber: Redis;
  private readonly connection: Redis;
  private readonly running = new Map<string, AbortController>();
  private readonly log: (line: string) => void;
  private closed: Promise<void> | null = null;

  constructor(private readonly options: RedisWorkerOptions) {
    this.name = options.name ?? `worker-${process.pid}-${randomUUID().slice(0, 8)}`;
    this.log = options.log ?? (() => {});
    this.bus = new RedisEventBus({ url: options.url, prefix: options.prefix, ttlSeconds: options.ttlSeconds });
    this.store = new RedisJobStore(this.bus.client, this.bus, options);
    this.subscriber = createRedisClient(options.url, { blocking: true });
    this.subscriber.subscribe(this.store.cancelChannel).catch(() => {});
    this.subscriber.on('ready', () => void this.subscriber.subscribe(this.store.cancelChannel).catch(() => {}));
    this.subscriber.on('message', (_channel: string, jobId: string) => this.running.get(jobId)?.abort());
    const lockMs = options.lockMs ?? 5000;
    // BullMQ never closes a connection it was given; close() does.
    this.connection = createRedisClient(options.url, { forBullWorker: true });
    this.worker = new Worker(QUEUE_NAME, (job: Job, token?: string) => this.process(job, token), {
      connection: this.connection,
      prefix: `${options.prefix}:bull`,
      concurrency: options.concurrency ?? 16,
      lockDuration: lockMs,
      lockRenewTime: Math.floor(lockMs / 2),
      stalledInterval: options.stalledIntervalMs ?? 1000,
      maxStalledCount: 0,
      runRetryDelay: 1000,
      name: this.name,
    });
    this.worker.on('error', (error: Error) => this.log(`worker error: ${error.message}`));
    // A job that stalled (its worker died) is failed by BullMQ on the next worker without calling
    // the processor; record the failure and its `error` event here. BullMQ's stall failure is a plain
    // Error, told apart only by its text.
    this.worker.on('failed', (job: Job | undefined, error: Error) => {
      if (!job?.id) return;
      // eslint-disable-next-line no-restricted-syntax
      const outcome = { status: 'failed' as const, error: /stalled/i.test(error.message) ? STALLED_MESSAGE : error.message };
      void this.store.release(job.id, (job.data as RunJobSpec).userId);
      this.store.finish(job.id, { outcome, terminal: terminalFor(outcome) }).catch((e: Error) => this.log(`could not record failure of ${job.id}: ${e.message}`));
    });
  }

  private async process(job: Job, token: string | undefined): Promise<string> {
    const id = job.id!;
    const spec = job.data as RunJobSpec;
    const state = await this.store.start(id, this.name, spec.userId, this.options.perUserConcurrency ?? 0);
    if (state === 'busy') {
      // Its user's slots are all taken (on this worker or others): back to the queue for a while, so
      // the workers take other users' jobs meanwhile. Retried sooner at first, then every 2 s.
      await job.moveToDelayed(Date.now() + userBusyDelayMs(job.attemptsStarted), token);
      throw new DelayedError();
    }
    if (state === 'cancel') {
      const outcome = { status: 'cancelled' as const, error: CANCELLED_MESSAGE };
      await this.store.finish(id, { outcome, terminal: terminalFor(outcome) });
      return 'cancelled';
    }
    if (state === 'missing') {
      // The job hash expired or was never written: nobody can read this job; skip it.
      return 'missing';
    }
    if (state !== 'in_progress') return state;
    const controller = new AbortController();
    this.running.set(id, controller);
    try {
      if ((await this.bus.client.hget(this.store.jobKey(id), 'cancel').catch(() => null)) === '1') controller.abort();
      const finished = await executeJob(this.options.executor, spec, id, this.bus, controller.signal);
      await this.finishWithRetry(id, finished);
      return finished.outcome.status;
    } finally {
      this.running.delete(id);
      await this.store.release(id, spec.userId);
    }
  }

  /** Redis may blink while a run ends; keep trying to record the outcome for a while. */
  private async finishWithRetry(id: string, finished: Finished): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await this.store.finish(id, finished);
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        await sleep(250 * Math.min(attempt + 1, 8));
      }
    }
  }

  /** Resolves once the worker takes jobs (its Redis connection is ready). */
  async waitUntilReady(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  /** Number of jobs this worker is running now. */
  get active(): number {
    return this.running.size;
  }

  /** SIGTERM: take no new jobs, let running ones finish, then disconnect. */
  close(): Promise<void> {
    this.closed ??= (async () => {
      await this.worker.close();
      this.connection.disconnect();
      this.subscriber.disconnect();
      await this.bus.close();
    })();
    return this.closed;
  }
}
