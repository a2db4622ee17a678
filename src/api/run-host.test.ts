import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { until } from '../../test-utils/job-fixtures.js';
import { startStandin, type LlmStandin } from '../../test-utils/llm-standin.js';
import { repoRoot } from '../../test-utils/paths.js';
import { startServer, type RunningServer } from '../server.js';
import { loadSettings } from '../services/settings.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const REDIS_URL = process.env.WEFT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const SECRET_KEY = 'run-host-test-secret-key-0123456789';
const DEFAULT_MODEL = { model_name: 'gpt-4.1-mini', provider: 'OpenAI', model_type: 'language' };
const ANSWER = 'Sum: 42';
const BIN = join(repoRoot, 'bin', 'weft.js');

/** An MCP server over streamable HTTP on loopback with one tool, `add`. */
async function startMcpServer(): Promise<{ http: Server; url: string }> {
  const http = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
    const server = new McpServer({ name: 'calc', version: '1.0.0' });
    server.registerTool('add', { description: 'Add two numbers', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    res.on('close', () => {
      void transport.close();
      void server.close();
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, body);
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  return { http, url: `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp` };
}

/**
 * ChatInput (or, for webhooks, Webhook → Parser) → Agent (model left empty: the user's default) with the
 * saved MCP server `calc` as its tools → ChatOutput.
 */
function agentFlow(name: string, source: 'chat' | 'webhook' = 'chat') {
  const flow = new FlowBuilder(name);
  let input: string;
  if (source === 'webhook') {
    const hook = flow.node('Webhook', { data: '' });
    input = flow.node('ParserComponent', { pattern: '{question}' });
    flow.connect(hook, 'output_data', input, 'input_data', ['Data']);
  } else {
    input = flow.node('ChatInput', {});
  }
  const tools = flow.node('MCPTools', { mcp_server: { name: 'calc' }, tool: '' }, { outputs: ['component_as_tool'] });
  const agent = flow.node('Agent', { model: [], add_current_date_tool: false });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, source === 'webhook' ? 'parsed_text' : 'message', agent, 'input_value').connect(tools, 'component_as_tool', agent, 'tools', ['Tool']).connect(agent, 'response', output, 'input_value');
  return flow.build();
}

/**
 * One run host for every entry point (issue 11): the same flow — the user's default model and a saved
 * MCP server — gives the same answer from `/run`, `/run/advanced`, a webhook, `/build`, v2 workflows,
 * the MCP server, `/responses`, `weft worker` and `weft run --user`.
 */
describe('every entry point runs a flow with the user’s default model and saved MCP server', { concurrency: false }, () => {
  let server: TestServer;
  let standin: LlmStandin;
  let mcp: { http: Server; url: string };
  let token: string;
  let apiKey: string;
  const dir = mkdtempSync(join(tmpdir(), 'weft-run-host-'));
  const auth = () => ({ authorization: `Bearer ${token}` });

  before(async () => {
    standin = await startStandin();
    mcp = await startMcpServer();
    server = await startTestServer('postgres', { LANGFLOW_SECRET_KEY: SECRET_KEY, LANGFLOW_DEVELOPER_API_ENABLED: 'true' });
    token = ((await server.call('/api/v1/auto_login')).body as Json).access_token;
    apiKey = ((await server.call('/api/v1/api_key/', { method: 'POST', headers: auth(), json: { name: 'entry points' } })).body as Json).api_key;
    const model = await server.call('/api/v1/models/default_model', { method: 'POST', headers: auth(), json: DEFAULT_MODEL });
    assert.equal(model.status, 200, model.text);
    for (const variable of [
      { name: 'OPENAI_API_KEY', value: 'sk-standin', type: 'Credential' },
      { name: 'OPENAI_BASE_URL', value: standin.baseUrl, type: 'Generic' },
    ]) {
      const saved = await server.call('/api/v1/variables/', { method: 'POST', headers: auth(), json: { ...variable, default_fields: [] } });
      assert.equal(saved.status, 201, saved.text);
    }
    const saved = await server.call('/api/v2/mcp/servers/calc', { method: 'POST', headers: auth(), json: { url: mcp.url } });
    assert.equal(saved.status, 200, saved.text);
  });

  after(async () => {
    await server?.stop();
    await standin?.close();
    mcp?.http.closeAllConnections();
    await new Promise((resolve) => mcp?.http.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    standin.reset();
    // First turn: call the MCP tool; second turn: answer with what it returned.
    standin.respondWith((request) => {
      const messages = request.body.messages as { role: string; content: unknown }[];
      const toolMessage = messages.find((m) => m.role === 'tool');
      return toolMessage ? `Sum: ${String(toolMessage.content)}` : { toolCalls: [{ name: 'add', arguments: { a: 2, b: 40 } }] };
    });
  });

  /** The model the runs used was the default one, and the MCP tool was called. */
  function assertUsedDefaultModelAndMcpTool(): void {
    const requests = standin.chatRequests;
    assert.equal(requests.length, 2, 'one tool call round trip');
    assert.deepEqual(requests.map((r) => r.body.model), [DEFAULT_MODEL.model_name, DEFAULT_MODEL.model_name]);
    assert.equal(requests[0].headers.authorization, 'Bearer sk-standin', "the user's stored key");
  }

  async function createFlow(name: string, extra: Json = {}, source: 'chat' | 'webhook' = 'chat'): Promise<string> {
    const created = await server.call('/api/v1/flows/', { method: 'POST', headers: auth(), json: { name, data: agentFlow(name, source).data, ...extra } });
    assert.equal(created.status, 201, created.text);
    return (created.body as Json).id;
  }

  /** The flow's stored AI messages (ChatOutput writes them), once there is one. */
  async function storedAnswer(api: string, flowId: string): Promise<string> {
    return until(`an AI message of flow ${flowId}`, async () => {
      const response = await fetch(`${api}/api/v1/monitor/messages?flow_id=${flowId}`, { headers: auth() });
      const messages = (await response.json()) as Json[];
      return messages.find((m) => m.sender === 'Machine')?.text as string | undefined;
    });
  }

  const runHeaders = () => ({ 'x-api-key': apiKey });

  test('/run', async () => {
    const flowId = await createFlow('via run');
    const ran = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: runHeaders(), json: { input_value: 'add 2 and 40' } });
    assert.equal(ran.status, 200, ran.text);
    assert.equal((ran.body as Json).outputs[0].outputs[0].results.message.text, ANSWER);
    assertUsedDefaultModelAndMcpTool();
  });

  test('/run/advanced', async () => {
    const flowId = await createFlow('via advanced');
    const ran = await server.call(`/api/v1/run/advanced/${flowId}`, { method: 'POST', headers: runHeaders(), json: { inputs: [{ input_value: 'add 2 and 40', type: 'chat' }] } });
    assert.equal(ran.status, 200, ran.text);
    const results = ((ran.body as Json).outputs[0].outputs as Json[]).map((o) => o.results.message?.text);
    assert.ok(results.includes(ANSWER), ran.text);
    assertUsedDefaultModelAndMcpTool();
  });

  test('webhook', async () => {
    const flowId = await createFlow('via webhook', {}, 'webhook');
    const started = await server.call(`/api/v1/webhook/${flowId}`, { method: 'POST', headers: runHeaders(), json: { question: 'add 2 and 40' } });
    assert.equal(started.status, 202, started.text);
    assert.equal(await storedAnswer(server.url, flowId), ANSWER);
    assertUsedDefaultModelAndMcpTool();
  });

  test('/build', async () => {
    const flowId = await createFlow('via build');
    const started = await server.call(`/api/v1/build/${flowId}/flow`, { method: 'POST', headers: auth(), json: { inputs: { input_value: 'add 2 and 40' } } });
    assert.equal(started.status, 200, started.text);
    const events = await server.call(`/api/v1/build/${(started.body as Json).job_id}/events`, { headers: auth() });
    assert.match(events.text, /"event": "end"/);
    assert.equal(await storedAnswer(server.url, flowId), ANSWER);
    assertUsedDefaultModelAndMcpTool();
  });

  test('v2 workflows', async () => {
    const flowId = await createFlow('via workflows');
    const ran = await server.call('/api/v2/workflows', { method: 'POST', headers: runHeaders(), json: { flow_id: flowId, input_value: 'add 2 and 40' } });
    assert.equal(ran.status, 200, ran.text);
    assert.ok(ran.text.includes(ANSWER), ran.text);
    assertUsedDefaultModelAndMcpTool();
  });

  test('MCP tool call', async () => {
    const flowId = await createFlow('via mcp', { mcp_enabled: true });
    const client = new Client({ name: 'run-host-test', version: '1.0.0' });
    await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/api/v1/mcp/streamable`), { requestInit: { headers: runHeaders() } }));
    try {
      const { tools } = await client.listTools();
      const tool = tools.find((t) => t.name.includes('mcp'));
      assert.ok(tool, JSON.stringify(tools.map((t) => t.name)));
      const result = await client.callTool({ name: tool.name, arguments: { input_value: 'add 2 and 40' } });
      assert.deepEqual(result.content, [{ type: 'text', text: ANSWER }], JSON.stringify(result));
    } finally {
      await client.close();
    }
    assert.equal(await storedAnswer(server.url, flowId), ANSWER);
    assertUsedDefaultModelAndMcpTool();
  });

  test('/responses', async () => {
    const flowId = await createFlow('via responses');
    const ran = await server.call('/api/v1/responses', { method: 'POST', headers: runHeaders(), json: { model: flowId, input: 'add 2 and 40' } });
    assert.equal(ran.status, 200, ran.text);
    assert.ok(ran.text.includes(ANSWER), ran.text);
    assertUsedDefaultModelAndMcpTool();
  });

  test('weft worker (a build through an API replica that leaves jobs to Redis workers)', async () => {
    const flowId = await createFlow('via worker');
    const databaseUrl = server.app.weft.settings.databaseUrl;
    const prefix = `weft-run-host-${randomUUID()}`;
    const env = { LANGFLOW_DATABASE_URL: databaseUrl, LANGFLOW_SECRET_KEY: SECRET_KEY, LANGFLOW_REDIS_URL: REDIS_URL, LANGFLOW_REDIS_PREFIX: prefix, LANGFLOW_CONFIG_DIR: dir };
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
      const started = await fetch(`${replica.url}/api/v1/build/${flowId}/flow`, { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: JSON.stringify({ inputs: { input_value: 'add 2 and 40' } }) });
      assert.equal(started.status, 200, await started.clone().text());
      const { job_id: jobId } = (await started.json()) as Json;
      const events = await (await fetch(`${replica.url}/api/v1/build/${jobId}/events`, { headers: auth() })).text();
      assert.match(events, /"event": "end"/, output.join(''));
      assert.equal(await storedAnswer(replica.url, flowId), ANSWER);
      assertUsedDefaultModelAndMcpTool();
    } finally {
      await replica?.close();
      worker.kill('SIGTERM');
      await exited;
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      redis.disconnect();
    }
  });

  test('weft run --user', async () => {
    const path = join(dir, 'flow.json');
    writeFileSync(path, JSON.stringify(agentFlow('via cli')));
    const env = { ...withoutLangflow(process.env), LANGFLOW_DATABASE_URL: server.app.weft.settings.databaseUrl, LANGFLOW_SECRET_KEY: SECRET_KEY, LANGFLOW_CONFIG_DIR: dir };
    const child = spawn(process.execPath, [BIN, 'run', path, '--input', 'add 2 and 40', '--user', 'langflow'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise((resolve) => child.once('exit', resolve));
    assert.equal(code, 0, stderr);
    assert.equal(stdout.trim(), ANSWER);
    assertUsedDefaultModelAndMcpTool();
    const stored = await server.app.weft.database.db.selectFrom('message').select('text').where('flow_id', '=', agentFlow('via cli').id!).execute();
    assert.ok(stored.some((m) => m.text === ANSWER), 'the messages went to the database');
  });
});

function withoutLangflow(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith('LANGFLOW_')));
}
