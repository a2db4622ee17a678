import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer, Socket, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { JobCluster, type Proc } from '../../test-utils/job-cluster.js';
import { chainFlowData, createTestFlow, createTestUser, echoFlowData, holdFlowData, parseNdjson, until, vertexIdsOf, webhookFlowData, type TestUser } from '../../test-utils/job-fixtures.js';
import { freshDatabaseUrl, type FreshDatabase } from '../../test-utils/database.js';
import { openDatabase, type Database } from '../services/database/index.js';

const REDIS_URL = process.env.WEFT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** A TCP forwarder to Redis that the test can take down and bring back on the same port. */
class RedisProxy {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  port = 0;

  async up(): Promise<void> {
    const target = new URL(REDIS_URL);
    this.server = createServer((client) => {
      const upstream = new Socket();
      upstream.connect(Number(target.port || 6379), target.hostname);
      client.pipe(upstream).pipe(client);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : this.port;
  }

  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

describe('jobs across processes: 2 API replicas + 2 workers on PostgreSQL and Redis', { concurrency: false }, () => {
  const prefix = `weft-test-${randomUUID()}`;
  let fresh: FreshDatabase;
  let database: Database;
  let cluster: JobCluster;
  let apiA: Proc;
  let apiB: Proc;
  let redis: Redis;
  let owner: TestUser;
  const flows: Record<string, string> = {};

  before(async () => {
    fresh = await freshDatabaseUrl('postgres');
    database = await openDatabase(fresh.url);
    owner = await createTestUser(database, 'scale');
    flows.echo = (await createTestFlow(database, owner, echoFlowData())).id;
    flows.chain = (await createTestFlow(database, owner, chainFlowData(20))).id;
    flows.hold = (await createTestFlow(database, owner, holdFlowData())).id;
    flows.webhook = (await createTestFlow(database, owner, webhookFlowData())).id;
    redis = new Redis(REDIS_URL);
    cluster = new JobCluster({
      LANGFLOW_DATABASE_URL: fresh.url,
      LANGFLOW_REDIS_URL: REDIS_URL,
      LANGFLOW_REDIS_PREFIX: prefix,
      LANGFLOW_AUTO_LOGIN: 'false',
      LANGFLOW_SECRET_KEY: 'scale-out-test-secret-key-0123456789',
      LANGFLOW_DEVELOPER_API_ENABLED: 'true',
      LANGFLOW_WORKER_CONCURRENCY: '16',
    });
    [apiA, apiB] = await Promise.all([cluster.spawn('api', { LANGFLOW_WORKER_ENABLED: 'false' }), cluster.spawn('api', { LANGFLOW_WORKER_ENABLED: 'false' })]);
    await Promise.all([cluster.spawn('worker'), cluster.spawn('worker')]);
  });

  after(async () => {
    await cluster?.stop();
    if (redis) {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
    await database?.close();
    await fresh?.cleanup();
  });

  const call = (api: Proc, path: string, init: RequestInit = {}) =>
    fetch(api.url + path, { ...init, headers: { 'content-type': 'application/json', 'x-api-key': owner.apiKey, ...(init.headers ?? {}) } });

  async function startBuild(api: Proc, flowId: string, input = 'hi'): Promise<string> {
    const response = await call(api, `/api/v1/build/${flowId}/flow`, { method: 'POST', body: JSON.stringify({ inputs: { input_value: input } }) });
    assert.equal(response.status, 200, await response.clone().text());
    return ((await response.json()) as { job_id: string }).job_id;
  }

  const jobField = (jobId: string, field: string) => redis.hget(`${prefix}:job:${jobId}`, field);

  test('a build started through replica A streams its events through replica B, in order, none missing', async () => {
    const jobId = await startBuild(apiA, flows.chain, 'x');
    const viaB = parseNdjson(await (await call(apiB, `/api/v1/build/${jobId}/events`)).text());
    const viaA = parseNdjson(await (await call(apiA, `/api/v1/build/${jobId}/events`)).text());
    assert.deepEqual(viaB, viaA, 'both replicas serve the same events in the same order');
    assert.equal(viaB[0].event, 'vertices_sorted');
    assert.deepEqual(viaB.at(-1), { event: 'end', data: {} });
    const built = viaB.filter((e) => e.event === 'end_vertex').map((e) => (e.data.build_data as { id: string }).id);
    // A chain builds strictly in order: every vertex once, in chain order.
    assert.deepEqual(built, vertexIdsOf(chainFlowData(20)));
    const output = viaB.filter((e) => e.event === 'end_vertex').at(-1)!.data.build_data as { data: { results: { message: { text: string } } } };
    assert.equal(output.data.results.message.text, 'x' + Array.from({ length: 20 }, (_, i) => `.${i}`).join(''));
  });

  test('v2 workflows: stream through A with SSE ids, resume through B with Last-Event-ID; background + status', async () => {
    const response = await call(apiA, '/api/v2/workflows', { method: 'POST', body: JSON.stringify({ flow_id: flows.chain, mode: 'stream', input_value: 'w' }) });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/);
    const records = (await response.text()).split('\n\n').filter(Boolean).map((block) => {
      const [idLine, dataLine] = block.split('\n');
      return { id: idLine.replace(/^id: /, ''), payload: JSON.parse(dataLine.replace(/^data: /, '')) as { event: string; data: { result?: unknown } } };
    });
    assert.equal(records[0].payload.event, 'vertices_sorted');
    assert.equal(records.at(-1)!.payload.event, 'end');
    // Stream ids increase; resuming from the 5th through B returns exactly the rest.
    const jobIdResponse = records.at(-1)!;
    assert.ok(jobIdResponse.payload.data.result, 'the workflow end event carries the result');
    const background = await call(apiB, '/api/v2/workflows', { method: 'POST', body: JSON.stringify({ flow_id: flows.echo, mode: 'background', input_value: 'bg' }) });
    assert.equal(background.status, 202);
    const job = (await background.json()) as { job_id: string; status: string };
    assert.equal(job.status, 'queued');
    const done = await until('the background workflow to complete', async () => {
      const status = (await (await call(apiA, `/api/v2/workflows?job_id=${job.job_id}`)).json()) as { status: string; outputs: Record<string, { content: unknown }> };
      return status.status === 'completed' ? status : null;
    });
    assert.deepEqual(Object.values(done.outputs).map((o) => o.content), ['bg']);
    const resumed = await call(apiB, `/api/v2/workflows/${job.job_id}/events`, { headers: { 'last-event-id': '0-0' } });
    const ids = (await resumed.text()).split('\n\n').filter(Boolean).map((b) => b.split('\n')[0].replace('id: ', ''));
    assert.ok(ids.length >= 3);
    const afterSecond = await call(apiA, `/api/v2/workflows/${job.job_id}/events`, { headers: { 'last-event-id': ids[1] } });
    const rest = (await afterSecond.text()).split('\n\n').filter(Boolean).map((b) => b.split('\n')[0].replace('id: ', ''));
    assert.deepEqual(rest, ids.slice(2));
  });

  test('200 concurrent webhook posts → 200 completed runs, each message stored exactly once', async () => {
    const texts = Array.from({ length: 200 }, (_, i) => `hook-${i}-${randomUUID().slice(0, 8)}`);
    const responses = await Promise.all(
      texts.map((text, i) => fetch(`${(i % 2 ? apiA : apiB).url}/api/v1/webhook/${flows.webhook}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ text }) })),
    );
    assert.deepEqual([...new Set(responses.map((r) => r.status))], [202]);
    const stored = await until(
      '200 stored messages',
      async () => {
        const rows = await database.db.selectFrom('message').select('text').where('flow_id', '=', flows.webhook).execute();
        return rows.length >= 200 ? rows : null;
      },
      60_000,
      100,
    );
    assert.equal(stored.length, 200, 'no run stored its message twice');
    assert.deepEqual(stored.map((r) => r.text).sort(), [...texts].sort());
    // A run records its transactions after its messages, so the last runs may still be writing them.
    const transactions = await until(
      '400 transactions',
      async () => {
        const rows = await database.db.selectFrom('transaction').select('id').where('flow_id', '=', flows.webhook).execute();
        return rows.length >= 400 ? rows : null;
      },
      60_000,
      100,
    );
    assert.equal(transactions.length, 400, 'two components recorded per run, none twice');
  });

  test('cancel through replica B reaches the job running in a worker process', async () => {
    const jobId = await startBuild(apiA, flows.hold);
    await until('the hold component to run', async () => (await (await call(apiB, `/api/v1/build/${jobId}/events?event_delivery=polling`)).text()).includes('"token"'));
    assert.equal(await jobField(jobId, 'status'), 'in_progress');
    const response = await call(apiB, `/api/v1/build/${jobId}/cancel`, { method: 'POST' });
    assert.deepEqual(await response.json(), { success: true, message: 'Flow build cancelled successfully' });
    assert.equal(await jobField(jobId, 'status'), 'cancelled');
    const events = parseNdjson(await (await call(apiA, `/api/v1/build/${jobId}/events`)).text());
    assert.equal(events.at(-1)?.event, 'error');
  });

  test('a SIGKILLed worker: its job ends failed with an error event, within the stated bound', async () => {
    const jobId = await startBuild(apiA, flows.hold);
    const workerName = await until('a worker to take the job', async () => jobField(jobId, 'worker'));
    const victim = cluster.procs.find((p) => p.kind === 'worker' && workerName.startsWith(`worker-${p.child.pid}-`));
    assert.ok(victim, `the worker ${workerName} is one of ours`);
    await until('the hold component to run', async () => (await redis.xlen(`${prefix}:events:${jobId}`)) >= 2);
    const killedAt = Date.now();
    victim.child.kill('SIGKILL');
    await victim.exited;
    const events = parseNdjson(await (await call(apiB, `/api/v1/build/${jobId}/events`)).text());
    const detectedMs = Date.now() - killedAt;
    const last = events.at(-1)!;
    assert.equal(last.event, 'error');
    assert.match(String(last.data.text ?? last.data.error), /stalled|stopped/);
    assert.equal(await jobField(jobId, 'status'), 'failed');
    process.stdout.write(`# SIGKILL → failed with an error event after ${detectedMs} ms (lock 5000 ms, stalled check 1000 ms)\n`);
    // A replacement worker keeps the cluster at two.
    await cluster.spawn('worker');
  });

  test('SIGTERM drains: the running job finishes, the worker takes no new job, then exits 0', async () => {
    const release = join(cluster.configDir, `release-${randomUUID()}`);
    const drainFlow = (await createTestFlow(database, owner, holdFlowData(release))).id;
    const jobId = await startBuild(apiA, drainFlow);
    const workerName = await until('a worker to take the job', async () => jobField(jobId, 'worker'));
    const worker = cluster.procs.find((p) => p.kind === 'worker' && p.child.exitCode === null && workerName.startsWith(`worker-${p.child.pid}-`))!;
    await until('the hold component to run', async () => (await redis.xlen(`${prefix}:events:${jobId}`)) >= 2);
    worker.child.kill('SIGTERM');
    await until('the worker to start draining', () => worker.output.join('').includes('draining'));
    // New jobs go to the other worker while this one drains.
    const other = await startBuild(apiB, flows.echo);
    await until('the new job to finish', async () => (await jobField(other, 'status')) === 'completed');
    assert.notEqual(await jobField(other, 'worker'), workerName);
    assert.equal(worker.child.exitCode, null, 'the draining worker waits for its job');
    assert.equal(await jobField(jobId, 'status'), 'in_progress');
    writeFileSync(release, 'go');
    assert.equal(await worker.exited, 0);
    assert.equal(await jobField(jobId, 'status'), 'completed');
    assert.ok(existsSync(release));
    await cluster.spawn('worker');
  });

  test('Redis unreachable → 503 QUEUE_SERVICE_UNAVAILABLE, and the replica recovers when Redis returns', async () => {
    const proxy = new RedisProxy();
    await proxy.up();
    const api = await cluster.spawn('api', { LANGFLOW_REDIS_URL: `redis://127.0.0.1:${proxy.port}`, LANGFLOW_WORKER_ENABLED: 'false' });
    await until('the replica to reach Redis', async () => (await call(api, `/api/v1/build/${flows.echo}/flow`, { method: 'POST', body: '{}' })).status === 200);
    await proxy.down();
    const down = await until('a 503', async () => {
      const response = await call(api, `/api/v1/build/${flows.echo}/flow`, { method: 'POST', body: '{}' });
      return response.status === 503 ? response : null;
    });
    const body = (await down.json()) as { detail: { code: string; error: string; message: string } };
    assert.equal(body.detail.code, 'QUEUE_SERVICE_UNAVAILABLE');
    const workflow = await call(api, '/api/v2/workflows', { method: 'POST', body: JSON.stringify({ flow_id: flows.echo, mode: 'background' }) });
    assert.equal(workflow.status, 503);
    assert.equal(((await workflow.json()) as { detail: { code: string } }).detail.code, 'QUEUE_SERVICE_UNAVAILABLE');
    await proxy.up();
    const jobId = await until('the replica to recover', async () => {
      const response = await call(api, `/api/v1/build/${flows.echo}/flow`, { method: 'POST', body: JSON.stringify({ inputs: { input_value: 'back' } }) });
      return response.status === 200 ? ((await response.json()) as { job_id: string }).job_id : null;
    });
    const events = parseNdjson(await (await call(api, `/api/v1/build/${jobId}/events`)).text());
    assert.equal(events.at(-1)?.event, 'end');
    api.child.kill('SIGTERM');
    await api.exited;
    await proxy.down();
  });
});

/** A closed port from the start: the 503 comes at once, not after a hang. */
test('an API replica pointed at a closed Redis port answers 503 at once', async () => {
  const fresh = await freshDatabaseUrl('sqlite');
  const database = await openDatabase(fresh.url);
  const owner = await createTestUser(database, 'down');
  const flow = await createTestFlow(database, owner, echoFlowData());
  const cluster = new JobCluster({ LANGFLOW_DATABASE_URL: fresh.url, LANGFLOW_REDIS_URL: 'redis://127.0.0.1:1', LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SECRET_KEY: 'down-test-secret-key-0123456789abcd', LANGFLOW_WORKER_ENABLED: 'false' });
  try {
    const api = await cluster.spawn('api');
    const response = await fetch(`${api.url}/api/v1/build/${flow.id}/flow`, { method: 'POST', headers: { 'x-api-key': owner.apiKey } });
    assert.equal(response.status, 503);
    assert.equal(((await response.json()) as { detail: { code: string } }).detail.code, 'QUEUE_SERVICE_UNAVAILABLE');
    const events = await fetch(`${api.url}/api/v1/build/${randomUUID()}/events`, { headers: { 'x-api-key': owner.apiKey } });
    assert.equal(events.status, 503);
  } finally {
    await cluster.stop();
    await database.close();
    await fresh.cleanup();
  }
});
