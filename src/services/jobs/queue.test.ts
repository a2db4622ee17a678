import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { tokenChunks } from '../../../test-utils/run-helpers.js';
import type { EventBus } from '../events/types.js';
import { QueueUnavailableError } from './errors.js';
import { InProcessJobQueue } from './memory.js';
import { RedisJobQueue, RedisJobWorker } from './redis.js';
import type { JobExecutor, JobInfo, JobQueue, RunJobSpec } from './types.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Emits `count` tokens; when the input says "hold", waits until cancelled. */
const executor: JobExecutor = async (spec, ctx) => {
  await ctx.emit({ event: 'vertices_sorted', data: { ids: ['A'], to_run: ['A'] } });
  const count = Number(spec.inputs.inputValue === 'hold' ? 1 : spec.inputs.inputValue ?? 3);
  for (let i = 0; i < count; i++) await ctx.emit({ event: 'token', data: { chunk: String(i), id: 'm' } });
  if (spec.inputs.inputValue === 'hold') {
    await new Promise<void>((resolve) => ctx.signal.addEventListener('abort', () => resolve(), { once: true }));
    throw new Error('aborted');
  }
  await ctx.emit({ event: 'end', data: {} });
  return { status: 'completed', result: { count } };
};

function spec(inputValue: string): RunJobSpec {
  return { kind: 'build', flowId: 'f', userId: 'u', inputs: { inputValue }, options: {} };
}

async function collect(bus: EventBus, jobId: string, after?: string) {
  const events = [];
  for await (const event of bus.follow(jobId, { after })) events.push(event);
  return events;
}

async function until<T>(what: string, probe: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function contract(name: string, make: () => Promise<{ queue: JobQueue; close: () => Promise<void> }>) {
  describe(name, () => {
    let env: { queue: JobQueue; close: () => Promise<void> };
    after(() => env?.close());

    test('a job streams its events in order and ends completed with its result', async () => {
      env ??= await make();
      const { queue } = env;
      const job = await queue.submit(spec('5'));
      const events = await collect(queue.events, job.id);
      assert.deepEqual(events.map((e) => e.event), ['vertices_sorted', 'token', 'token', 'token', 'token', 'token', 'end']);
      assert.deepEqual(tokenChunks(events), ['0', '1', '2', '3', '4']);
      const done = await queue.waitUntilFinished(job.id, 10_000);
      assert.equal(done?.status, 'completed');
      assert.deepEqual(done?.result, { count: 5 });
      // Reading again from the middle resumes after that id.
      const rest = await collect(queue.events, job.id, events[3].id);
      assert.deepEqual(rest.map((e) => e.id), events.slice(4).map((e) => e.id));
    });

    test('cancel stops a running job: error event, status cancelled', async () => {
      env ??= await make();
      const { queue } = env;
      const job = await queue.submit(spec('hold'));
      await until('the job to start', async () => (await queue.events.read(job.id)).some((e) => e.event === 'token'));
      assert.equal(await queue.cancel(job.id), true);
      const events = await collect(queue.events, job.id);
      const last = events.at(-1)!;
      assert.equal(last.event, 'error');
      assert.equal((last.data as { cancelled: boolean }).cancelled, true);
      assert.equal((await queue.status(job.id))?.status, 'cancelled');
      assert.equal(await queue.cancel(job.id), true, 'cancelling a finished job succeeds');
    });

    test('unknown jobs', async () => {
      env ??= await make();
      assert.equal(await env.queue.status(randomUUID()), null);
      assert.equal(await env.queue.cancel(randomUUID()), null);
    });

    test('many jobs at once all complete', async () => {
      env ??= await make();
      const { queue } = env;
      const jobs = await Promise.all(Array.from({ length: 50 }, () => queue.submit(spec('2'))));
      const done = await Promise.all(jobs.map((j) => queue.waitUntilFinished(j.id, 20_000)));
      assert.ok(done.every((d) => d?.status === 'completed'));
    });
  });
}

contract('in-process queue', async () => {
  const queue = new InProcessJobQueue({ executor, ttlSeconds: 60, concurrency: 4 });
  return { queue, close: () => queue.close() };
});

contract('redis queue', async () => {
  const prefix = `weft-test-${randomUUID()}`;
  const queue = new RedisJobQueue({ url: REDIS_URL, prefix, ttlSeconds: 60 });
  const worker = new RedisJobWorker({ url: REDIS_URL, prefix, ttlSeconds: 60, executor, concurrency: 8 });
  await worker.waitUntilReady();
  await until('redis', async () => queue.ping().then(() => true, () => false));
  return {
    queue,
    close: async () => {
      await worker.close();
      await queue.close();
    },
  };
});

test('the in-process queue cancels a queued job before it starts', async () => {
  const queue = new InProcessJobQueue({ executor, ttlSeconds: 60, concurrency: 1 });
  const first = await queue.submit(spec('hold'));
  const second = await queue.submit(spec('1'));
  assert.equal((await queue.status(second.id))?.status, 'queued');
  assert.equal(await queue.cancel(second.id), true);
  assert.equal((await queue.status(second.id))?.status, 'cancelled');
  await queue.cancel(first.id);
  await queue.close();
});

test('Redis unreachable: submit fails fast with QueueUnavailableError', async () => {
  const queue = new RedisJobQueue({ url: 'redis://127.0.0.1:1', prefix: 'weft-test-down', ttlSeconds: 60 });
  await assert.rejects(queue.submit(spec('1')), QueueUnavailableError);
  await assert.rejects(queue.status(randomUUID()), QueueUnavailableError);
  await assert.rejects(queue.ping(), QueueUnavailableError);
  await queue.close();
});

test('finished jobs and their events expire after the TTL (Redis keys carry it; in-process drops them)', async () => {
  const prefix = `weft-test-${randomUUID()}`;
  const queue = new RedisJobQueue({ url: REDIS_URL, prefix, ttlSeconds: 120 });
  const worker = new RedisJobWorker({ url: REDIS_URL, prefix, ttlSeconds: 120, executor });
  await worker.waitUntilReady();
  await until('redis', async () => queue.ping().then(() => true, () => false));
  const job = await queue.submit(spec('1'));
  assert.equal((await queue.waitUntilFinished(job.id, 10_000))?.status, 'completed');
  for (const key of [`${prefix}:job:${job.id}`, `${prefix}:events:${job.id}`, `${prefix}:events-done:${job.id}`]) {
    const ttl = Number(await queue.events.client.call('TTL', key));
    assert.ok(ttl > 0 && ttl <= 120, `${key} expires within the TTL (got ${ttl})`);
  }
  await worker.close();
  await queue.close();

  const local = new InProcessJobQueue({ executor, ttlSeconds: 1 });
  const localJob = await local.submit(spec('1'));
  await local.waitUntilFinished(localJob.id, 10_000);
  await until('the in-process job to expire', async () => (await local.status(localJob.id)) === null && (await local.events.read(localJob.id)).length === 0);
  await local.close();
});

test("Redis workers hold a user to LANGFLOW_MAX_CONCURRENT_JOBS_PER_USER across workers; other users' jobs run meanwhile", async () => {
  const prefix = `weft-test-${randomUUID()}`;
  const queue = new RedisJobQueue({ url: REDIS_URL, prefix, ttlSeconds: 60 });
  // Two workers with 3 slots each: without the limit, Alice's 8 held jobs would take all 6 slots.
  const workers = [0, 1].map(() => new RedisJobWorker({ url: REDIS_URL, prefix, ttlSeconds: 60, executor, concurrency: 3, perUserConcurrency: 2 }));
  try {
    await Promise.all(workers.map((worker) => worker.waitUntilReady()));
    await until('redis', async () => queue.ping().then(() => true, () => false));
    const of = (userId: string, inputValue: string): RunJobSpec => ({ ...spec(inputValue), userId });
    const alice: JobInfo[] = [];
    for (let i = 0; i < 8; i++) alice.push(await queue.submit(of('alice', 'hold')));
    const runningOf = async (jobs: { id: string }[]) => (await Promise.all(jobs.map((job) => queue.status(job.id)))).filter((info) => info?.status === 'in_progress').length;
    await until("two of Alice's jobs to run", async () => (await runningOf(alice)) === 2);

    const bob = await queue.submit(of('bob', '2'));
    assert.equal((await queue.waitUntilFinished(bob.id, 10_000))?.status, 'completed', "Bob's job ran beside Alice's");
    assert.equal(await runningOf(alice), 2, 'Alice still runs two, however many slots are free');
    assert.equal(workers[0].active + workers[1].active, 2);

    // As Alice's jobs end, her next ones start, two at a time, until all have run.
    for (let round = 0; round < 4; round++) {
      const running = (await Promise.all(alice.map((job) => queue.status(job.id)))).filter((info) => info?.status === 'in_progress');
      assert.equal(running.length, 2, `round ${round}`);
      await Promise.all(running.map((info) => queue.cancel(info!.id)));
      if (round < 3) await until(`round ${round + 1} of Alice's jobs`, async () => (await runningOf(alice)) === 2);
    }
    const final = await Promise.all(alice.map((job) => queue.waitUntilFinished(job.id, 10_000)));
    assert.ok(final.every((info) => info?.status === 'cancelled'), 'every one of them started and ended');
  } finally {
    await Promise.all(workers.map((worker) => worker.close()));
    await queue.close();
  }
});
