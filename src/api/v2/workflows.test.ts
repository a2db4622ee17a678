import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { jobTestRegistry } from '../../../test-utils/job-components.js';
import { createTestFlow, createTestUser, echoFlowData, holdFlowData, until, type TestUser } from '../../../test-utils/job-fixtures.js';
import { createTokenPair } from '../../services/auth/index.js';
import { openDatabase, type Database } from '../../services/database/index.js';
import { loadSettings, type Settings } from '../../services/settings.js';
import { createApp } from '../app.js';
import { createApiAuth } from '../auth.js';

async function server(dir: string, enabled: boolean): Promise<{ app: FastifyInstance; database: Database; base: string; settings: Settings }> {
  const settings = loadSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SECRET_KEY: 'workflow-test-secret-key-0123456789', LANGFLOW_DEVELOPER_API_ENABLED: String(enabled) });
  const database = await openDatabase(settings);
  const app = await createApp({ settings, database, auth: createApiAuth(settings, database), registry: jobTestRegistry() });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  return { app, database, settings, base: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}` };
}

describe('v2 workflows (in-process jobs)', () => {
  let dir: string;
  let env: Awaited<ReturnType<typeof server>>;
  let owner: TestUser;
  let echo: string;
  let hold: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-wf-'));
    env = await server(dir, true);
    owner = await createTestUser(env.database, 'wf');
    echo = (await createTestFlow(env.database, owner, echoFlowData())).id;
    hold = (await createTestFlow(env.database, owner, holdFlowData())).id;
  });
  after(async () => {
    await env?.app.close();
    await env?.database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const post = (path: string, body: unknown) =>
    fetch(env.base + path, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': owner.apiKey }, body: JSON.stringify(body) });
  const get = (path: string) => fetch(env.base + path, { headers: { 'x-api-key': owner.apiKey } });

  test('sync: outputs keyed by component id; flat inputs become tweaks', async () => {
    const chatInput = 'ChatInput-00001';
    const response = await post('/api/v2/workflows', { flow_id: echo, inputs: { [`${chatInput}.input_value`]: 'from inputs' } });
    assert.equal(response.status, 200);
    const body = (await response.json()) as { status: string; object: string; outputs: Record<string, { content: unknown; component_id: string }> };
    assert.equal(body.object, 'response');
    assert.equal(body.status, 'completed');
    assert.deepEqual(Object.values(body.outputs).map((o) => o.content), ['from inputs']);
  });

  test("a JWT without an API key is refused as Langflow's api_key_security refuses it (403)", async () => {
    const { access_token } = await createTokenPair({ repos: env.database, settings: env.settings }, { id: owner.id, token_version: 0 });
    const response = await fetch(env.base + '/api/v2/workflows', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${access_token}` },
      body: JSON.stringify({ flow_id: echo, input_value: 'x' }),
    });
    assert.equal(response.status, 403);
    assert.deepEqual(await response.json(), { detail: 'An API key must be passed as query or header' });
    const status = await fetch(`${env.base}/api/v2/workflows?job_id=${randomUUID()}`, { headers: { authorization: `Bearer ${access_token}` } });
    assert.equal(status.status, 403);
  });

  test("a finished job's status: per-output display_name and the run's session_id at the top", async () => {
    const started = await post('/api/v2/workflows', { flow_id: echo, mode: 'background', input_value: 'bg', session_id: 'my-session' });
    assert.equal(started.status, 202);
    const { job_id } = (await started.json()) as { job_id: string };
    const done = await until('the job to finish', async () => {
      const body = (await (await get(`/api/v2/workflows?job_id=${job_id}`)).json()) as { status: string; session_id?: string; outputs: Record<string, Record<string, unknown>> };
      return body.status === 'completed' ? body : null;
    });
    assert.equal(done.session_id, 'my-session');
    const [output] = Object.values(done.outputs);
    assert.deepEqual(Object.keys(output), ['type', 'status', 'display_name', 'content', 'metadata']);
    assert.equal(output.display_name, 'Chat Output');
    assert.equal(output.content, 'bg');
  });

  test('background + stop; status of a stopped job', async () => {
    const started = await post('/api/v2/workflows', { flow_id: hold, background: true, input_value: 'x' });
    assert.equal(started.status, 202);
    const { job_id } = (await started.json()) as { job_id: string };
    await until('the job to run', async () => ((await (await get(`/api/v2/workflows?job_id=${job_id}`)).json()) as { status: string }).status === 'in_progress');
    const stopped = await post('/api/v2/workflows/stop', { job_id });
    assert.deepEqual(await stopped.json(), { job_id, status: 'stopped', message: 'Job stopped successfully' });
    const status = (await (await get(`/api/v2/workflows?job_id=${job_id}`)).json()) as { status: string };
    assert.equal(status.status, 'cancelled');
  });

  test('structured errors: unknown flow, unknown job, output ids that are not sinks, stream protocol', async () => {
    const flow = await post('/api/v2/workflows', { flow_id: randomUUID() });
    assert.equal(flow.status, 404);
    assert.equal(((await flow.json()) as { detail: { code: string } }).detail.code, 'FLOW_NOT_FOUND');
    const job = await get(`/api/v2/workflows?job_id=${randomUUID()}`);
    assert.equal(job.status, 404);
    assert.deepEqual(Object.keys(((await job.json()) as { detail: Record<string, unknown> }).detail).slice(0, 3), ['error', 'code', 'message']);
    const outputs = await post('/api/v2/workflows', { flow_id: echo, output_ids: ['ChatInput-00001'] });
    assert.equal(outputs.status, 422);
    assert.equal(((await outputs.json()) as { detail: { code: string } }).detail.code, 'UNKNOWN_OUTPUT_IDS');
    const protocol = await post('/api/v2/workflows', { flow_id: echo, mode: 'stream', stream_protocol: 'nope' });
    assert.equal(((await protocol.json()) as { detail: { code: string } }).detail.code, 'UNKNOWN_STREAM_PROTOCOL');
  });
});

test('v2 workflows are off unless LANGFLOW_DEVELOPER_API_ENABLED', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'weft-wf-off-'));
  const env = await server(dir, false);
  try {
    const response = await fetch(`${env.base}/api/v2/workflows`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ flow_id: 'x' }) });
    assert.equal(response.status, 403);
    assert.equal(((await response.json()) as { detail: { code: string } }).detail.code, 'DEVELOPER_API_DISABLED');
  } finally {
    await env.app.close();
    await env.database.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
