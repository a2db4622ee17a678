import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createTestFlow, createTestUser, echoFlowData, holdFlowData, parseNdjson, until, vertexIdsOf, type TestUser } from '../../../test-utils/job-fixtures.js';
import { jobTestRegistry } from '../../../test-utils/job-components.js';
import { openDatabase, type Database } from '../../services/database/index.js';
import { loadSettings } from '../../services/settings.js';
import { createApp } from '../app.js';
import { createApiAuth } from '../auth.js';

describe('build API (in-process jobs)', () => {
  let dir: string;
  let database: Database;
  let app: FastifyInstance;
  let base: string;
  let owner: TestUser;
  let stranger: TestUser;
  let echoFlow: string;
  let holdFlow: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-build-'));
    const settings = loadSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SECRET_KEY: 'test-secret-key-test-secret-key-0123' });
    assert.equal(settings.jobs.redisUrl, null);
    database = await openDatabase(settings);
    app = await createApp({ settings, database, auth: createApiAuth(settings, database), registry: jobTestRegistry() });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    owner = await createTestUser(database, 'owner');
    stranger = await createTestUser(database, 'stranger');
    echoFlow = (await createTestFlow(database, owner, echoFlowData())).id;
    holdFlow = (await createTestFlow(database, owner, holdFlowData())).id;
  });

  after(async () => {
    await app?.close();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (path: string, init: RequestInit & { user?: TestUser } = {}) =>
    fetch(base + path, { ...init, headers: { 'content-type': 'application/json', 'x-api-key': (init.user ?? owner).apiKey, ...(init.headers ?? {}) } });

  async function startBuild(flowId: string, body: unknown = { inputs: { input_value: 'hello' } }, query = '', user = owner): Promise<string> {
    const response = await call(`/api/v1/build/${flowId}/flow${query}`, { method: 'POST', body: JSON.stringify(body), user });
    assert.equal(response.status, 200, await response.clone().text());
    const { job_id } = (await response.json()) as { job_id: string };
    assert.match(job_id, /^[0-9a-f-]{36}$/);
    return job_id;
  }

  test('streaming: vertices_sorted … end_vertex … end {} in Langflow framing', async () => {
    const jobId = await startBuild(echoFlow);
    const response = await call(`/api/v1/build/${jobId}/events`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /application\/x-ndjson/);
    const body = await response.text();
    assert.ok(body.endsWith('}\n\n'), 'each record ends with a blank line');
    const events = parseNdjson(body);
    assert.equal(events[0].event, 'vertices_sorted');
    assert.deepEqual(events.at(-1), { event: 'end', data: {} });
    const built = events.filter((e) => e.event === 'end_vertex').map((e) => (e.data.build_data as { id: string }).id);
    assert.deepEqual(built.sort(), vertexIdsOf(echoFlowData()).sort());
    const output = events.filter((e) => e.event === 'end_vertex').map((e) => e.data.build_data as { id: string; data: { results: { message?: { text: string } } } }).find((b) => b.id.startsWith('ChatOutput'));
    assert.equal(output?.data.results.message?.text, 'hello');
  });

  test('polling: each poll returns what is queued, the last ends with end', async () => {
    const jobId = await startBuild(echoFlow);
    const all: string[] = [];
    await until('the end event through polling', async () => {
      const response = await call(`/api/v1/build/${jobId}/events?event_delivery=polling`);
      assert.equal(response.status, 200);
      const events = parseNdjson(await response.text());
      assert.ok(events.length > 0, 'a poll waits for at least one event');
      all.push(...events.map((e) => e.event));
      return all.at(-1) === 'end';
    });
    assert.equal(all[0], 'vertices_sorted');
    assert.equal(all.filter((e) => e === 'end').length, 1, 'no event is delivered twice');
    assert.equal(all.filter((e) => e === 'end_vertex').length, 2);
  });

  test('direct: the POST answers with the event stream itself', async () => {
    const response = await call(`/api/v1/build/${echoFlow}/flow?event_delivery=direct`, { method: 'POST', body: JSON.stringify({ inputs: { input_value: 'direct' } }) });
    assert.equal(response.status, 200);
    const events = parseNdjson(await response.text());
    assert.equal(events[0].event, 'vertices_sorted');
    assert.equal(events.at(-1)?.event, 'end');
  });

  test('cancel stops a running build; the stream ends with a cancelled error', async () => {
    const jobId = await startBuild(holdFlow);
    const stream = call(`/api/v1/build/${jobId}/events`).then((r) => r.text());
    // The hold component emits a token once it runs.
    await until('the hold component to start', async () => {
      const text = await (await call(`/api/v1/build/${jobId}/events?event_delivery=polling`)).text();
      return text.includes('"token"') || null;
    });
    const response = await call(`/api/v1/build/${jobId}/cancel`, { method: 'POST' });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { success: true, message: 'Flow build cancelled successfully' });
    const events = parseNdjson(await stream);
    assert.equal(events.at(-1)?.event, 'error');
    assert.ok(!events.some((e) => e.event === 'end'));
    // Cancelling again (already finished) still succeeds.
    assert.deepEqual(await (await call(`/api/v1/build/${jobId}/cancel`, { method: 'POST' })).json(), { success: true, message: 'Flow build cancelled successfully' });
  });

  test('unknown jobs and other users: 404', async () => {
    const unknown = randomUUID();
    assert.equal((await call(`/api/v1/build/${unknown}/events`)).status, 404);
    assert.equal((await call(`/api/v1/build/${unknown}/events?event_delivery=polling`)).status, 404);
    assert.equal((await call(`/api/v1/build/${unknown}/cancel`, { method: 'POST' })).status, 404);
    // Another user's flow cannot be built, nor another user's job read or cancelled.
    const foreign = await call(`/api/v1/build/${echoFlow}/flow`, { method: 'POST', body: '{}', user: stranger });
    assert.equal(foreign.status, 404);
    const jobId = await startBuild(echoFlow);
    assert.equal((await call(`/api/v1/build/${jobId}/events`, { user: stranger })).status, 404);
    assert.equal((await call(`/api/v1/build/${jobId}/cancel`, { method: 'POST', user: stranger })).status, 404);
    assert.equal((await call(`/api/v1/build/${randomUUID()}/flow`, { method: 'POST', body: '{}' })).status, 404);
    assert.equal((await fetch(`${base}/api/v1/build/${jobId}/events`)).status, 403, 'no credentials');
  });

  test("the owner's unsaved graph (data) runs instead of the stored one", async () => {
    const unsaved = holdFlowData();
    // The stored flow is echo; the editor sends the hold graph.
    const jobId = await startBuild(echoFlow, { inputs: { input_value: 'x' }, data: unsaved });
    const first = parseNdjson(await (await call(`/api/v1/build/${jobId}/events?event_delivery=polling`)).text());
    assert.deepEqual((first[0].data as { to_run: string[] }).to_run.sort(), vertexIdsOf(unsaved).sort());
    await call(`/api/v1/build/${jobId}/cancel`, { method: 'POST' });
  });

  test('public flows: build_public_tmp runs the STORED flow and ignores client data', async () => {
    const publicFlow = await createTestFlow(database, owner, echoFlowData(), { access_type: 'PUBLIC' });
    const response = await fetch(`${base}/api/v1/build_public_tmp/${publicFlow.id}/flow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: 'client_id=visitor-1' },
      body: JSON.stringify({ inputs: { input_value: 'public' }, data: holdFlowData() }),
    });
    assert.equal(response.status, 200);
    const { job_id } = (await response.json()) as { job_id: string };
    const events = parseNdjson(await (await call(`/api/v1/build/${job_id}/events`, { user: stranger })).text());
    assert.deepEqual((events[0].data as { to_run: string[] }).to_run.sort(), vertexIdsOf(echoFlowData()).sort());
    assert.equal(events.at(-1)?.event, 'end');
    // Private flows are refused; a missing cookie is a bad request.
    const privateFlow = await call(`/api/v1/build_public_tmp/${echoFlow}/flow`, { method: 'POST', body: '{}', headers: { cookie: 'client_id=v' } });
    assert.equal(privateFlow.status, 403);
    assert.equal((await fetch(`${base}/api/v1/build_public_tmp/${publicFlow.id}/flow`, { method: 'POST' })).status, 400);
  });

  test('builds are recorded as vertex builds and transactions', async () => {
    const flow = await createTestFlow(database, owner, echoFlowData());
    const jobId = await startBuild(flow.id);
    await (await call(`/api/v1/build/${jobId}/events`)).text();
    const builds = await until('vertex builds', async () => {
      const grouped = await database.vertexBuilds.listByFlow(flow.id, owner.id);
      return Object.keys(grouped).length === 2 ? grouped : null;
    });
    assert.deepEqual(Object.keys(builds).sort(), vertexIdsOf(echoFlowData()).sort());
    const transactions = await database.transactions.listByFlow(flow.id, owner.id, { page: 1, size: 50 });
    assert.equal(transactions.items.length, 2);
  });
});
