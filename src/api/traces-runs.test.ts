import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { until } from '../../test-utils/job-fixtures.js';
import { startStandin, type LlmStandin } from '../../test-utils/llm-standin.js';
import { repoRoot } from '../../test-utils/paths.js';
import { addUser, startTestServer, type TestServer, type TestUser } from '../../test-utils/api-server.js';
import { startServer, type RunningServer } from '../server.js';
import { loadSettings } from '../services/settings.js';
import { calculatorAgentFlow, calculatorResponder, CHAT_TREE, shapeOf } from '../../test-utils/trace-fixtures.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const REDIS_URL = process.env.WEFT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET_KEY = 'traces-test-secret-key-0123456789';
const BIN = join(repoRoot, 'bin', 'weft.js');

/** An OpenAI-style chat server that reports no usage (some local servers do not). */
async function startUsagelessModel(): Promise<{ server: Server; baseUrl: string }> {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 0, model: 'local', choices: [{ index: 0, message: { role: 'assistant', content: 'twelve chars' }, finish_reason: 'stop' }] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1` };
}

function withoutLangflow(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('LANGFLOW_') && !name.startsWith('WEFT_')));
}

describe('traces on PostgreSQL: sub-flows, estimated tokens, pruning, a worker’s runs', { concurrency: false }, () => {
  let server: TestServer;
  let standin: LlmStandin;
  let owner: TestUser;
  const dir = mkdtempSync(join(tmpdir(), 'weft-traces-'));

  before(async () => {
    standin = await startStandin();
    server = await startTestServer('postgres', { LANGFLOW_SECRET_KEY: SECRET_KEY, WEFT_MAX_TRACES_TO_KEEP: '2' });
    owner = await addUser(server.database, 'traces-pg');
  });
  after(async () => {
    await server?.stop();
    await standin?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    standin.reset();
    calculatorResponder(standin);
  });

  async function createFlow(name: string, data: unknown): Promise<string> {
    const created = await server.call('/api/v1/flows/', { method: 'POST', headers: owner.headers, json: { name, data } });
    assert.equal(created.status, 201, created.text);
    return (created.body as Json).id;
  }

  async function traces(api: string, flowId: string): Promise<Json[]> {
    const response = await fetch(`${api}/api/v1/monitor/traces?flow_id=${flowId}`, { headers: owner.headers });
    assert.equal(response.status, 200);
    return ((await response.json()) as Json).traces as Json[];
  }

  async function readTrace(api: string, id: string): Promise<Json> {
    const response = await fetch(`${api}/api/v1/monitor/traces/${id}`, { headers: owner.headers });
    assert.equal(response.status, 200);
    return (await response.json()) as Json;
  }

  async function run(flowId: string, input = 'add 2 and 40'): Promise<void> {
    const ran = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: owner.headers, json: { input_value: input } });
    assert.equal(ran.status, 200, ran.text);
  }

  test('a Run Flow sub-flow nests its spans (with its agent’s) under the Run Flow span', async () => {
    const childId = await createFlow('child agent', calculatorAgentFlow('child agent', standin.baseUrl).data);
    const parent = new FlowBuilder('parent');
    const input = parent.node('ChatInput', {});
    const runFlow = parent.node('RunFlow', { flow_id_selected: childId }, { outputs: ['flow_outputs_message'] });
    const output = parent.node('ChatOutput', {});
    parent.connect(input, 'message', runFlow, 'input_value').connect(runFlow, 'flow_outputs_message', output, 'input_value');
    const parentId = await createFlow('parent', parent.build().data);
    await run(parentId);
    const [listed] = await traces(server.url, parentId);
    const trace = await readTrace(server.url, listed.id);
    assert.deepEqual(shapeOf(trace.spans), [
      { name: 'Chat Input', type: 'chain', status: 'ok' },
      { name: 'Run Flow', type: 'chain', status: 'ok', children: CHAT_TREE },
      { name: 'Chat Output', type: 'chain', status: 'ok' },
    ]);
    assert.equal(trace.totalTokens, 61, 'the sub-flow’s model calls count');
    assert.deepEqual(await traces(server.url, childId), [], 'the sub-flow is part of its parent’s trace');
  });

  test('a provider that reports no usage: tokens estimated and marked', async () => {
    const usageless = await startUsagelessModel();
    try {
      const flow = new FlowBuilder('usageless');
      const input = flow.node('ChatInput', {});
      const agent = flow.node('Agent', { model: [{ name: 'local', provider: 'OpenAI' }], api_key: 'sk-local', openai_api_base: usageless.baseUrl, add_current_date_tool: false, system_prompt: '' });
      const output = flow.node('ChatOutput', {});
      flow.connect(input, 'message', agent, 'input_value').connect(agent, 'response', output, 'input_value');
      const flowId = await createFlow('usageless', flow.build().data);
      await run(flowId, 'sixteen chars ok');
      const [listed] = await traces(server.url, flowId);
      const trace = await readTrace(server.url, listed.id);
      const call = trace.spans[1].children[0];
      // "sixteen chars ok" is 16 characters (4 tokens), "twelve chars" 12 (3 tokens).
      assert.deepEqual(call.tokenUsage, { promptTokens: 4, completionTokens: 3, totalTokens: 7, cost: 0, estimated: true });
      assert.equal(trace.totalTokens, 7);
    } finally {
      usageless.server.closeAllConnections();
      await new Promise((resolve) => usageless.server.close(resolve));
    }
  });

  test('WEFT_MAX_TRACES_TO_KEEP: a flow keeps its newest traces', async () => {
    const flowId = await createFlow('pruned', calculatorAgentFlow('pruned', standin.baseUrl).data);
    standin.respondWith(() => 'plain');
    for (let i = 0; i < 4; i++) await run(flowId, `run ${i}`);
    const kept = await until('pruning', async () => {
      const listed = await traces(server.url, flowId);
      return listed.length === 2 ? listed : undefined;
    });
    assert.deepEqual(kept.map((t) => t.input.input_value), ['run 3', 'run 2']);
  });

  test('weft worker: a build run by a Redis worker records the same trace', async () => {
    const flowId = await createFlow('worker traced', calculatorAgentFlow('worker traced', standin.baseUrl).data);
    const prefix = `weft-traces-${randomUUID()}`;
    const env = { LANGFLOW_DATABASE_URL: server.settings.databaseUrl, LANGFLOW_SECRET_KEY: SECRET_KEY, LANGFLOW_REDIS_URL: REDIS_URL, LANGFLOW_REDIS_PREFIX: prefix, LANGFLOW_CONFIG_DIR: dir };
    const worker = spawn(process.execPath, [BIN, 'worker'], { env: { ...withoutLangflow(process.env), ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    const output: string[] = [];
    worker.stdout.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    worker.stderr.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    let replica: RunningServer | undefined;
    const redis = new Redis(REDIS_URL);
    try {
      await until('the worker to be ready', () => output.join('').includes('weft worker ready'), 30_000);
      replica = await startServer(loadSettings({ ...env, LANGFLOW_HOST: '127.0.0.1', LANGFLOW_PORT: '0', LANGFLOW_WORKER_ENABLED: 'false' }), { handleSignals: false });
      const started = await fetch(`${replica.url}/api/v1/build/${flowId}/flow`, { method: 'POST', headers: { ...owner.headers, 'content-type': 'application/json' }, body: JSON.stringify({ inputs: { input_value: 'add 2 and 40' } }) });
      assert.equal(started.status, 200, await started.clone().text());
      const { job_id: jobId } = (await started.json()) as Json;
      const events = await (await fetch(`${replica.url}/api/v1/build/${jobId}/events`, { headers: owner.headers })).text();
      assert.match(events, /"event": "end"/, output.join(''));
      const listed = await until('the worker’s trace', async () => (await traces(replica!.url, flowId))[0]);
      const trace = await readTrace(replica.url, listed.id);
      assert.deepEqual(shapeOf(trace.spans), CHAT_TREE);
      assert.equal(trace.totalTokens, 61);
    } finally {
      await replica?.close();
      worker.kill('SIGTERM');
      await exited;
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });
});
