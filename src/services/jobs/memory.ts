import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { InMemoryEventBus } from '../events/memory.js';
import type { EventBus } from '../events/types.js';
import { QueueBusyError } from './errors.js';
import { CANCELLED_MESSAGE, executeJob, terminalFor, type Finished } from './execute.js';
import { FINISHED_STATUSES, newJobInfo, type JobExecutor, type JobInfo, type JobQueue, type RunJobSpec, type SubmitOptions } from './types.js';

export interface InProcessQueueOptions {
  executor: JobExecutor;
  events?: EventBus;
  /** Jobs run at once (default: 4 × CPUs; runs mostly wait on I/O). */
  concurrency?: number;
  /**
   * Jobs one user (`spec.userId`; webhooks and public builds count for the flow owner) may run at
   * once; their further jobs wait while other users' jobs start. Default: no per-user limit.
   */
  perUserConcurrency?: number;
  /** Jobs allowed to wait; beyond it submit fails with QueueBusyError. */
  maxQueued?: number;
  /** Finished jobs and their events are dropped after this many seconds. */
  ttlSeconds: number;
}

interface Entry {
  info: JobInfo;
  spec: RunJobSpec;
  controller: AbortController;
  finished: Promise<void>;
  markFinished: () => void;
  expiry?: NodeJS.Timeout;
}

/** Jobs run in this process with bounded concurrency; nothing outside the process is needed. */
export class InProcessJobQueue implements JobQueue {
  readonly mode = 'in-process' as const;
  readonly events: EventBus;
  private readonly jobs = new Map<string, Entry>();
  private readonly waiting: string[] = [];
  private running = 0;
  /** Running jobs per user key (see `userKey`). */
  private readonly runningByUser = new Map<string, number>();
  private readonly concurrency: number;
  private readonly perUserConcurrency: number;
  private readonly maxQueued: number;
  private closing = false;
  private idle: (() => void) | null = null;

  constructor(private readonly options: InProcessQueueOptions) {
    this.events = options.events ?? new InMemoryEventBus();
    this.concurrency = options.concurrency ?? Math.max(4, availableParallelism() * 4);
    this.maxQueued = options.maxQueued ?? 10_000;
    this.perUserConcurrency = options.perUserConcurrency ?? Number.POSITIVE_INFINITY;
  }

  async depth(): Promise<{ queued: number; running: number }> {
    return { queued: this.waiting.length, running: this.running };
  }

  async submit(spec: RunJobSpec, options: SubmitOptions = {}): Promise<JobInfo> {
    if (this.closing) throw new Error('The job queue is shutting down');
    if (this.waiting.length >= this.maxQueued) throw new QueueBusyError(this.maxQueued);
    const id = options.jobId ?? randomUUID();
    let markFinished!: () => void;
    const finished = new Promise<void>((resolve) => (markFinished = resolve));
    const entry: Entry = { info: newJobInfo(id, spec), spec, controller: new AbortController(), finished, markFinished };
    this.jobs.set(id, entry);
    this.waiting.push(id);
    this.pump();
    return { ...entry.info };
  }

  /** Jobs without a user (none today) share one key, so they are limited like one user. */
  private static userKey(entry: Entry): string {
    return entry.spec.userId ?? '';
  }

  /**
   * The oldest waiting job whose user is under the per-user limit (FIFO within a user, so one user's
   * backlog never holds another user's job behind it); drops cancelled entries on the way.
   */
  private nextEligible(): Entry | null {
    for (let i = 0; i < this.waiting.length; ) {
      const entry = this.jobs.get(this.waiting[i]);
      if (!entry || entry.info.status !== 'queued') {
        this.waiting.splice(i, 1);
        continue;
      }
      if ((this.runningByUser.get(InProcessJobQueue.userKey(entry)) ?? 0) < this.perUserConcurrency) {
        this.waiting.splice(i, 1);
        return entry;
      }
      i++;
    }
    return null;
  }

  private pump(): void {
    while (this.running < this.concurrency) {
      const entry = this.nextEligible();
      if (!entry) break;
      const key = InProcessJobQueue.userKey(entry);
      this.running++;
      this.runningByUser.set(key, (this.runningByUser.get(key) ?? 0) + 1);
      void this.run(entry).finally(() => {
        this.running--;
        const left = (this.runningByUser.get(key) ?? 1) - 1;
        if (left > 0) this.runningByUser.set(key, left);
        else this.runningByUser.delete(key);
        if (this.running === 0 && this.waiting.length === 0) this.idle?.();
        this.pump();
      });
    }
  }

  private async run(entry: Entry): Promise<void> {
    entry.info.status = 'in_progress';
    entry.info.startedAt = new Date().toISOString();
    const finished = await executeJob(this.options.executor, entry.spec, entry.info.id, this.events, entry.controller.signal);
    await this.finish(entry, finished);
  }

  private async finish(entry: Entry, { outcome, terminal }: Finished): Promise<void> {
    if (FINISHED_STATUSES.has(entry.info.status)) return;
    entry.info.status = outcome.status;
    entry.info.finishedAt = new Date().toISOString();
    entry.info.result = outcome.result ?? null;
    entry.info.error = outcome.error ?? null;
    await this.events.append(entry.info.id, terminal);
    await this.events.expire(entry.info.id, this.options.ttlSeconds);
    entry.expiry = setTimeout(() => this.jobs.delete(entry.info.id), this.options.ttlSeconds * 1000);
    entry.expiry.unref();
    entry.markFinished();
  }

  async status(jobId: string): Promise<JobInfo | null> {
    const entry = this.jobs.get(jobId);
    return entry ? { ...entry.info } : null;
  }

  async cancel(jobId: string, options: { waitMs?: number } = {}): Promise<boolean | null> {
    const entry = this.jobs.get(jobId);
    if (!entry) return null;
    if (FINISHED_STATUSES.has(entry.info.status)) return true;
    if (entry.info.status === 'queued') {
      const outcome = { status: 'cancelled' as const, error: CANCELLED_MESSAGE };
      await this.finish(entry, { outcome, terminal: terminalFor(outcome) });
      return true;
    }
    entry.controller.abort();
    return (await this.waitUntilFinished(jobId, options.waitMs ?? 10_000)) !== null;
  }

  async waitUntilFinished(jobId: string, timeoutMs: number): Promise<JobInfo | null> {
    const entry = this.jobs.get(jobId);
    if (!entry) return null;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const result = await Promise.race([entry.finished.then(() => 'done' as const), timedOut]);
    clearTimeout(timer);
    return result === 'done' ? { ...entry.info } : null;
  }

  async ping(): Promise<void> {}

  /** Stops taking jobs; running ones finish (queued ones are cancelled). */
  async close(): Promise<void> {
    this.closing = true;
    for (const id of this.waiting.splice(0)) await this.cancel(id);
    if (this.running > 0) await new Promise<void>((resolve) => (this.idle = resolve));
    for (const entry of this.jobs.values()) clearTimeout(entry.expiry);
    await this.events.close();
  }
}
