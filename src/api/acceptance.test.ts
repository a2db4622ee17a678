import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { lastUserText, startStandin, systemText, type LlmStandin, type RecordedRequest } from '../../test-utils/llm-standin.js';
import { starterProjectsDir, startersSkip } from '../../test-utils/paths.js';
import { createRegistry } from '../components/registry.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Starters that run end to end against the stand-in; every other starter must fail cleanly. */
const RUNNABLE = new Set([
  'Basic Prompting', 'Basic Prompt Chaining', 'Memory Chatbot', 'SEO Keyword Generator', 'Twitter Thread Generator',
  'Simple Agent', 'SaaS Pricing', 'Financial Report Parser', 'Blog Writer',
]);

const registry = createRegistry();
const DEFAULT_MODEL = { model_name: 'gpt-4o-mini', provider: 'OpenAI', model_type: 'language' };
const starterNames = startersSkip.skip ? [] : readdirSync(starterProjectsDir).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();

function starter(name: string): Json {
  return JSON.parse(readFileSync(join(starterProjectsDir, `${name}.json`), 'utf8')) as Json;
}

function nodeIdOf(flow: Json, ...types: string[]): string[] {
  return (flow.data.nodes as Json[]).filter((n) => types.includes(n.data?.type)).map((n) => n.id as string);
}

/** A scripted agent model: first asks for the calculator, then answers with what the tool returned. */
function calculatorAgent(expression: string) {
  return (request: RecordedRequest) => {
    const messages = request.body.messages as { role: string; content: unknown }[];
    const toolMessage = messages.find((m) => m.role === 'tool');
    if (!toolMessage) return { toolCalls: [{ name: 'evaluate_expression', arguments: { expression } }] };
    return `The answer is ${JSON.parse(String(toolMessage.content)).result}.`;
  };
}

/** The error text of a failed /run: `detail` is either the text or a JSON `{message, component_display_name}`. */
function errorOf(body: unknown): { message: string; component: string | null } {
  const detail = (body as Json).detail;
  if (typeof detail !== 'string') return { message: JSON.stringify(detail), component: null };
  try {
    const parsed = JSON.parse(detail) as Json;
    return { message: String(parsed.message), component: parsed.component_display_name ?? null };
  } catch {
    return { message: detail, component: null };
  }
}

function chatText(body: unknown): string {
  return (body as Json).outputs[0].outputs[0].results.message.text as string;
}

function sseEvents(text: string): Json[] {
  return text.split('\n\n').map((chunk) => chunk.trim()).filter(Boolean).map((chunk) => JSON.parse(chunk) as Json);
}

describe('acceptance: starter projects through /run with the LLM stand-in', startersSkip, () => {
  let server: TestServer;
  let standin: LlmStandin;
  let site: Server;
  let siteUrl: string;
  let mcpHttp: Server;
  let mcpUrl: string;
  const users: Record<'alice' | 'bob', { token: string; key: string }> = {} as never;
  const flowIds = new Map<string, string>();

  const bearer = (who: 'alice' | 'bob') => ({ authorization: `Bearer ${users[who].token}` });

  async function login(username: string, password: string): Promise<string> {
    const response = await server.call('/api/v1/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username, password }).toString(),
    });
    assert.equal(response.status, 200, response.text);
    return (response.body as Json).access_token as string;
  }

  /** Imports starter JSON files the way the UI does: a multipart upload to /flows/upload/. */
  async function upload(who: 'alice' | 'bob', flows: Json[]): Promise<Json[]> {
    const form = new FormData();
    const file = flows.length === 1 ? flows[0] : { flows };
    form.append('file', new Blob([JSON.stringify(file)], { type: 'application/json' }), 'flows.json');
    const response = await server.call('/api/v1/flows/upload/', { method: 'POST', headers: bearer(who), body: form });
    assert.equal(response.status, 201, response.text);
    return response.body as Json[];
  }

  async function create(who: 'alice' | 'bob', flow: Json): Promise<string> {
    const response = await server.call('/api/v1/flows/', { method: 'POST', headers: bearer(who), json: { name: flow.name, data: flow.data } });
    assert.equal(response.status, 201, response.text);
    return (response.body as Json).id as string;
  }

  async function run(who: 'alice' | 'bob', flowId: string, body: Json = {}, options: { stream?: boolean; headers?: Record<string, string> } = {}) {
    return server.call(`/api/v1/run/${flowId}${options.stream ? '?stream=true' : ''}`, {
      method: 'POST',
      headers: { 'x-api-key': users[who].key, ...options.headers },
      json: body,
    });
  }

  /** What a user who keeps credentials out of the server sends: per-request global variables. */
  function keyHeaders(): Record<string, string> {
    return { 'X-LANGFLOW-GLOBAL-VAR-OPENAI_API_KEY': 'sk-standin-header', 'X-LANGFLOW-GLOBAL-VAR-OPENAI_BASE_URL': standin.baseUrl };
  }

  before(async () => {
    standin = await startStandin();
    site = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html lang="en"><head><title>Weft docs</title></head><body><h1>Weft</h1><p>Weft runs Langflow flows in TypeScript.</p></body></html>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
    mcpHttp = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body: unknown = chunks.length > 0 ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
      const mcp = new McpServer({ name: 'calc', version: '1.0.0' });
      mcp.registerTool('add', { description: 'Add two numbers', inputSchema: { a: z.number(), b: z.number() } }, async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }));
      const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
      res.on('close', () => {
        void transport.close();
        void mcp.close();
      });
      await mcp.connect(transport);
      // The stored headers reach the server: only the right token is accepted.
      if (req.headers.authorization !== 'Bearer mcp-token') {
        res.writeHead(401).end();
        return;
      }
      await transport.handleRequest(req, res, body);
    });
    await new Promise<void>((resolve) => mcpHttp.listen(0, '127.0.0.1', resolve));
    mcpUrl = `http://127.0.0.1:${(mcpHttp.address() as AddressInfo).port}/mcp`;

    server = await startTestServer('sqlite', {
      LANGFLOW_AUTO_LOGIN: 'false',
      LANGFLOW_SUPERUSER: 'admin',
      LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass',
      LANGFLOW_NEW_USER_IS_ACTIVE: 'true',
      LANGFLOW_ALLOWED_HOSTS: '127.0.0.1',
      // Only what the test stores or sends counts: the machine's environment never supplies a key.
      LANGFLOW_FALLBACK_TO_ENV_VAR: 'false',
      LANGFLOW_STORE_ENVIRONMENT_VARIABLES: 'false',
    });
    const admin = await login('admin', 'admin-pass');
    for (const name of ['alice', 'bob'] as const) {
      const created = await server.call('/api/v1/users/', { method: 'POST', headers: { authorization: `Bearer ${admin}` }, json: { username: name, password: `${name}-pass` } });
      assert.equal(created.status, 201, created.text);
      const token = await login(name, `${name}-pass`);
      const key = await server.call('/api/v1/api_key/', { method: 'POST', headers: { authorization: `Bearer ${token}` }, json: { name: `${name} key` } });
      users[name] = { token, key: (key.body as Json).api_key as string };
      // The starters ship with an empty model field: the user's default model fills it (Settings → Models).
      const model = await server.call('/api/v1/models/default_model', { method: 'POST', headers: { authorization: `Bearer ${token}` }, json: DEFAULT_MODEL });
      assert.equal(model.status, 200, model.text);
    }
    // Alice keeps her provider settings as global variables, as in the UI's Settings → Global Variables.
    for (const variable of [
      { name: 'OPENAI_API_KEY', value: 'sk-standin-stored', type: 'Credential' },
      { name: 'OPENAI_BASE_URL', value: standin.baseUrl, type: 'Generic' },
    ]) {
      const response = await server.call('/api/v1/variables/', { method: 'POST', headers: bearer('alice'), json: { ...variable, default_fields: [] } });
      assert.equal(response.status, 201, response.text);
    }
    const runnable = starterNames.filter((n) => RUNNABLE.has(n)).map(starter);
    for (const flow of await upload('alice', runnable)) flowIds.set(flow.name as string, flow.id as string);
  });

  after(async () => {
    await server?.stop();
    await standin?.close();
    for (const s of [site, mcpHttp]) {
      s?.closeAllConnections();
      await new Promise((resolve) => s?.close(resolve));
    }
  });

  beforeEach(() => standin.reset());

  test('the runnable starters were imported by upload', () => {
    assert.deepEqual([...flowIds.keys()].sort(), [...RUNNABLE].sort());
  });

  test('Basic Prompting: the reply comes back, with the stored key and base URL', async () => {
    standin.respondWith((request) => `reply to: ${lastUserText(request.body)}`);
    const response = await run('alice', flowIds.get('Basic Prompting')!, { input_value: 'Hello there', output_type: 'chat', input_type: 'chat' });
    assert.equal(response.status, 200, response.text);
    assert.equal(chatText(response.body), 'reply to: Hello there');
    assert.equal(standin.chatRequests.length, 1);
    assert.equal(standin.chatRequests[0].headers.authorization, 'Bearer sk-standin-stored');
    assert.ok(systemText(standin.chatRequests[0].body).length > 0, 'the prompt template is the system message');
  });

  test('Basic Prompting with ?stream=true: token events, and the stored message ends complete', async () => {
    standin.enqueue({ text: 'streamed answer here', chunks: ['streamed ', 'answer ', 'here'] });
    const flowId = flowIds.get('Basic Prompting')!;
    const response = await run('alice', flowId, { input_value: 'stream please', session_id: 'stream-session' }, { stream: true });
    assert.equal(response.status, 200, response.text);
    const events = sseEvents(response.text);
    const tokens = events.filter((e) => e.event === 'token').map((e) => e.data.chunk as string);
    assert.deepEqual(tokens, ['streamed ', 'answer ', 'here']);
    const end = events.at(-1)!;
    assert.equal(end.event, 'end');
    const messages = await server.call(`/api/v1/monitor/messages?flow_id=${flowId}&session_id=stream-session`, { headers: bearer('alice') });
    assert.equal(messages.status, 200, messages.text);
    const machine = (messages.body as Json[]).filter((m) => m.sender === 'Machine');
    assert.equal(machine.length, 1);
    assert.equal(machine[0].text, 'streamed answer here');
  });

  test('Basic Prompting with per-request variables instead of stored ones (another user)', async () => {
    const [flow] = await upload('bob', [starter('Basic Prompting')]);
    standin.respondWith(() => 'via headers');
    const response = await run('bob', flow.id as string, { input_value: 'hi' }, { headers: keyHeaders() });
    assert.equal(response.status, 200, response.text);
    assert.equal(chatText(response.body), 'via headers');
    assert.equal(standin.chatRequests[0].headers.authorization, 'Bearer sk-standin-header');
  });

  test('a missing API key is a clean error naming the component and the key', async () => {
    const [flow] = await upload('bob', [starter('Basic Prompting')]);
    const response = await run('bob', flow.id as string, { input_value: 'hi' });
    assert.equal(response.status, 500, response.text);
    const error = errorOf(response.body);
    assert.match(error.message, /Error building Component Language Model: no API key for OpenAI \(set OPENAI_API_KEY/);
    assert.equal(error.component, 'Language Model');
    assert.equal(standin.requests.length, 0);
  });

  test('Basic Prompt Chaining runs', async () => {
    const response = await run('alice', flowIds.get('Basic Prompt Chaining')!, { input_value: 'an idea' });
    assert.equal(response.status, 200, response.text);
    assert.ok(chatText(response.body).length > 0);
  });

  test('Memory Chatbot: the second turn sends the first turn to the model', async () => {
    standin.enqueue('Nice to meet you, Ada.', 'Your name is Ada.');
    const flowId = flowIds.get('Memory Chatbot')!;
    const first = await run('alice', flowId, { input_value: 'My name is Ada.', session_id: 'memory-1' });
    assert.equal(first.status, 200, first.text);
    const second = await run('alice', flowId, { input_value: 'What is my name?', session_id: 'memory-1' });
    assert.equal(second.status, 200, second.text);
    assert.equal(chatText(second.body), 'Your name is Ada.');
    const prompt = systemText(standin.chatRequests[1].body);
    assert.match(prompt, /My name is Ada\./);
    assert.match(prompt, /Nice to meet you, Ada\./);
    assert.equal(lastUserText(standin.chatRequests[1].body), 'What is my name?');
  });

  for (const name of ['SEO Keyword Generator', 'Twitter Thread Generator']) {
    test(`${name}: the filled prompt reaches the model and its reply is the output`, async () => {
      standin.respondWith((request) => `generated from ${systemText(request.body).length + lastUserText(request.body).length} chars`);
      const response = await run('alice', flowIds.get(name)!, { input_value: 'a product idea' });
      assert.equal(response.status, 200, response.text);
      assert.match(chatText(response.body), /^generated from \d+ chars$/);
      assert.equal(standin.chatRequests.length, 1);
      const sent = systemText(standin.chatRequests[0].body) + lastUserText(standin.chatRequests[0].body);
      assert.ok(sent.length > 50, 'the template text was sent');
      if (nodeIdOf(starter(name), 'ChatInput').length > 0) assert.match(sent, /a product idea/, 'the chat input filled the prompt');
    });
  }

  for (const name of ['Simple Agent', 'SaaS Pricing']) {
    test(`${name}: the agent calls the calculator and answers with its result`, async () => {
      standin.respondWith(calculatorAgent('(12*3)+6'));
      const response = await run('alice', flowIds.get(name)!, { input_value: 'What is (12*3)+6?' });
      assert.equal(response.status, 200, response.text);
      const message = (response.body as Json).outputs[0].outputs[0].results.message as Json;
      assert.equal(message.text, 'The answer is 42.');
      const toolUse = (message.content_blocks[0].contents as Json[]).find((c) => c.type === 'tool_use')!;
      assert.equal(toolUse.name, 'evaluate_expression');
      assert.deepEqual(toolUse.output.data, { result: '42' });
      assert.equal(standin.chatRequests.length, 2);
      const tools = (standin.chatRequests[0].body.tools as { function: { name: string } }[]).map((t) => t.function.name);
      assert.ok(tools.includes('evaluate_expression'));
    });
  }

  test('Financial Report Parser: structured output through the parser', async () => {
    standin.respondWith(() => JSON.stringify({ objects: [{ EBITDA: '$900M', NET_INCOME: '$400M', GROSS_PROFIT: '$1.2B' }] }));
    const response = await run('alice', flowIds.get('Financial Report Parser')!, { input_value: 'Gross profit 1.2B, EBITDA 900M, net income 400M' });
    assert.equal(response.status, 200, response.text);
    assert.match(chatText(response.body), /EBITDA: \$900M\s+,\s+Net Income: \$400M , GROSS_PROFIT: \$1\.2B/);
    assert.equal((standin.chatRequests[0].body.response_format as { type: string }).type, 'json_schema');
  });

  test('Blog Writer: the URL tweaked to a local page (allowed by LANGFLOW_ALLOWED_HOSTS), its text reaches the model', async () => {
    standin.respondWith((request) => `blog post from: ${lastUserText(request.body)}`);
    const flow = starter('Blog Writer');
    const [urlNode] = nodeIdOf(flow, 'URLComponent');
    const response = await run('alice', flowIds.get('Blog Writer')!, { tweaks: { [urlNode]: { urls: [siteUrl] } } });
    assert.equal(response.status, 200, response.text);
    assert.match(chatText(response.body), /Weft runs Langflow flows in TypeScript\./);
  });

  // Every other starter needs a component Weft lacks or an outside service the test does not give it:
  // the run is a clean error response that names what is missing.
  for (const name of starterNames.filter((n) => !RUNNABLE.has(n))) {
    test(`${name}: a clean error naming the missing component or service`, async () => {
      const flow = starter(name);
      const missing = [...new Set((flow.data.nodes as Json[]).filter((n) => n.type !== 'noteNode' && !registry.get(n.data.type)).map((n) => n.data.type as string))];
      const flowId = await create('bob', flow);
      // URL nodes point at the local page, so a failure never depends on this machine's network.
      const tweaks = Object.fromEntries(nodeIdOf(flow, 'URLComponent', 'URL').map((id) => [id, { urls: [siteUrl] }]));
      const response = await run('bob', flowId, { input_value: 'hello', tweaks });
      assert.equal(response.status, 500, `${name} should fail: ${response.text}`);
      const error = errorOf(response.body);
      if (missing.length > 0) {
        for (const type of missing) assert.match(error.message, new RegExp(`component type "${type}" is not available in Weft`));
      } else {
        // The key Bob lacks, or (knowledge starters) the file or knowledge base a starter leaves for its user to choose.
        assert.match(
          error.message,
          /^Error building Component [^:]+: (no API key for OpenAI \(set OPENAI_API_KEY|No files selected|Error during KB ingestion: Knowledge base path is not set|Metadata not found for knowledge base: \.)/,
        );
        assert.ok(error.component, 'the failing component is named');
      }
      assert.equal(standin.requests.length, 0, 'nothing reached a model');
    });
  }

  describe('models API', () => {
    test('catalogue, provider mapping, enabled providers follow the stored credential', async () => {
      const mapping = await server.call('/api/v1/models/provider-variable-mapping');
      assert.equal((mapping.body as Json).OpenAI, 'OPENAI_API_KEY');
      const providers = (await server.call('/api/v1/models/providers')).body as string[];
      assert.ok(providers.includes('OpenAI') && providers.includes('Anthropic'));

      const alice = (await server.call('/api/v1/models/enabled_providers', { headers: bearer('alice') })).body as Json;
      assert.ok(alice.enabled_providers.includes('OpenAI'));
      assert.equal(alice.provider_status.Anthropic, false);
      const bob = (await server.call('/api/v1/models/enabled_providers', { headers: bearer('bob') })).body as Json;
      assert.deepEqual(bob.enabled_providers, []);

      const catalogue = (await server.call('/api/v1/models?model_type=language', { headers: bearer('alice') })).body as Json[];
      assert.equal(catalogue[0].provider, 'OpenAI', 'enabled providers come first');
      assert.equal(catalogue[0].is_enabled, true);
      assert.ok((catalogue[0].models as Json[]).every((m) => m.metadata.model_type === 'llm'));
      const filtered = (await server.call('/api/v1/models?provider=Anthropic&provider=Groq', { headers: bearer('alice') })).body as Json[];
      assert.deepEqual(filtered.map((p) => p.provider).sort(), ['Anthropic', 'Groq']);
      assert.equal((await server.call('/api/v1/models')).status, 403, 'the catalogue needs a user');
    });

    test('enabled models: defaults on for an enabled provider, switches persist per user, model options follow', async () => {
      const before = (await server.call('/api/v1/models/enabled_models', { headers: bearer('alice') })).body as Json;
      assert.equal(before.enabled_models.OpenAI['gpt-4o-mini'], true);
      assert.equal(before.enabled_models.OpenAI['o4-mini'], false, 'not a default model');
      assert.equal(before.enabled_models.Anthropic['claude-sonnet-4-5'], false, 'provider not enabled');

      const update = await server.call('/api/v1/models/enabled_models', {
        method: 'POST',
        headers: bearer('alice'),
        json: [{ provider: 'OpenAI', model_id: 'gpt-4o-mini', enabled: false }, { provider: 'OpenAI', model_id: 'o4-mini', enabled: true }],
      });
      assert.equal(update.status, 200, update.text);
      assert.deepEqual(update.body, { disabled_models: ['gpt-4o-mini'], enabled_models: ['o4-mini'] });
      const after = (await server.call('/api/v1/models/enabled_models?model_names=gpt-4o-mini&model_names=o4-mini', { headers: bearer('alice') })).body as Json;
      assert.deepEqual(after.enabled_models, { OpenAI: { 'gpt-4o-mini': false, 'o4-mini': true } });

      const options = (await server.call('/api/v1/model_options/language', { headers: bearer('alice') })).body as Json[];
      const names = options.map((o) => o.name);
      assert.ok(names.includes('o4-mini') && !names.includes('gpt-4o-mini'));
      assert.deepEqual(Object.keys(options[0]).sort(), ['category', 'icon', 'metadata', 'name', 'provider']);
      const embedding = (await server.call('/api/v1/model_options/embedding', { headers: bearer('alice') })).body as Json[];
      assert.ok(embedding.some((o) => o.name === 'text-embedding-3-small'));
      assert.deepEqual((await server.call('/api/v1/model_options/language', { headers: bearer('bob') })).body, []);
      await server.call('/api/v1/models/enabled_models', { method: 'POST', headers: bearer('alice'), json: [{ provider: 'OpenAI', model_id: 'gpt-4o-mini', enabled: true }] });
    });

    test('default model: a Language Model with an empty model list uses the caller’s default', async () => {
      const flow = new FlowBuilder('Default model');
      const input = flow.node('ChatInput', {});
      const model = flow.node('LanguageModelComponent', { model: [] });
      const output = flow.node('ChatOutput', {});
      flow.connect(input, 'message', model, 'input_value');
      flow.connect(model, 'text_output', output, 'input_value');
      const flowId = await create('alice', { name: 'Default model', data: flow.build().data });

      await server.call('/api/v1/models/default_model', { method: 'DELETE', headers: bearer('alice') });
      const none = await run('alice', flowId, { input_value: 'hi' });
      assert.equal(none.status, 500);
      assert.match(errorOf(none.body).message, /No model selected/);
      assert.deepEqual((await server.call('/api/v1/models/default_model', { headers: bearer('alice') })).body, { default_model: null });

      const set = await server.call('/api/v1/models/default_model', { method: 'POST', headers: bearer('alice'), json: { model_name: 'gpt-4.1-mini', provider: 'OpenAI', model_type: 'language' } });
      assert.equal(set.status, 200, set.text);
      assert.deepEqual(set.body, { default_model: { model_name: 'gpt-4.1-mini', provider: 'OpenAI', model_type: 'language' } });
      assert.deepEqual((await server.call('/api/v1/models/default_model?model_type=language', { headers: bearer('alice') })).body, set.body);
      assert.deepEqual((await server.call('/api/v1/models/default_model?model_type=embedding', { headers: bearer('alice') })).body, { default_model: null });
      assert.deepEqual((await server.call('/api/v1/models/default_model', { headers: bearer('bob') })).body, { default_model: DEFAULT_MODEL }, 'per user');
      const catalogue = (await server.call('/api/v1/models?model_type=language', { headers: bearer('alice') })).body as Json[];
      assert.equal(catalogue[0].provider, 'OpenAI');

      standin.respondWith(() => 'from the default model');
      const ran = await run('alice', flowId, { input_value: 'hi' });
      assert.equal(ran.status, 200, ran.text);
      assert.equal(chatText(ran.body), 'from the default model');
      assert.equal(standin.chatRequests[0].body.model, 'gpt-4.1-mini');

      const cleared = await server.call('/api/v1/models/default_model?model_type=language', { method: 'DELETE', headers: bearer('alice') });
      assert.deepEqual(cleared.body, { default_model: null });
      assert.deepEqual((await server.call('/api/v1/models/default_model', { headers: bearer('alice') })).body, { default_model: null });
      await server.call('/api/v1/models/default_model', { method: 'POST', headers: bearer('alice'), json: DEFAULT_MODEL });
    });
  });

  describe('MCP servers API', () => {
    test('CRUD per user; Langflow texts (409/404, not its 500s) for duplicates and missing servers; secrets encrypted at rest', async () => {
      const config = { url: mcpUrl, headers: { Authorization: 'Bearer mcp-token' } };
      const added = await server.call('/api/v2/mcp/servers/calc', { method: 'POST', headers: bearer('alice'), json: config });
      assert.equal(added.status, 200, added.text);
      assert.deepEqual(added.body, config);
      const again = await server.call('/api/v2/mcp/servers/calc', { method: 'POST', headers: bearer('alice'), json: config });
      assert.equal(again.status, 409);
      assert.deepEqual(again.body, { detail: 'Server already exists.' });
      const stdio = { command: 'node', args: ['server.js'], env: { TOKEN: 'stdio-secret' } };
      const refused = await server.call('/api/v2/mcp/servers/local', { method: 'PATCH', headers: bearer('alice'), json: stdio });
      assert.equal(refused.status, 403, 'stdio servers are for superusers only');
      const local = { url: `${mcpUrl}?local`, headers: [{ key: 'Authorization', value: 'Bearer stdio-secret' }] };
      assert.equal((await server.call('/api/v2/mcp/servers/local', { method: 'PATCH', headers: bearer('alice'), json: local })).status, 200);

      assert.deepEqual((await server.call('/api/v2/mcp/servers', { headers: bearer('alice') })).body, [
        { name: 'calc', mode: null, toolsCount: null },
        { name: 'local', mode: null, toolsCount: null },
      ]);
      assert.deepEqual((await server.call('/api/v2/mcp/servers/local', { headers: bearer('alice') })).body, local);
      assert.deepEqual((await server.call('/api/v2/mcp/servers', { headers: bearer('bob') })).body, [], 'another user sees none');
      assert.equal((await server.call('/api/v2/mcp/servers/calc', { headers: bearer('bob') })).text, 'null');

      const rows = await server.app.weft.database.db.selectFrom('mcp_server').select('config').execute();
      for (const row of rows) {
        assert.doesNotMatch(row.config, /mcp-token|stdio-secret/, 'secrets are not stored in plaintext');
      }

      const patched = await server.call('/api/v2/mcp/servers/local', { method: 'PATCH', headers: bearer('alice'), json: { ...local, transport: 'sse' } });
      assert.equal((patched.body as Json).transport, 'sse');
      const deleted = await server.call('/api/v2/mcp/servers/local', { method: 'DELETE', headers: bearer('alice') });
      assert.equal(deleted.status, 200);
      const missing = await server.call('/api/v2/mcp/servers/local', { method: 'DELETE', headers: bearer('alice') });
      assert.deepEqual([missing.status, missing.body], [404, { detail: 'Server not found.' }]);
    });

    test('action_count connects with the stored headers and counts the tools', async () => {
      await server.call('/api/v2/mcp/servers/broken', { method: 'PATCH', headers: bearer('alice'), json: { url: mcpUrl } });
      const listed = (await server.call('/api/v2/mcp/servers?action_count=true', { headers: bearer('alice') })).body as Json[];
      const calc = listed.find((s) => s.name === 'calc')!;
      assert.deepEqual(calc, { name: 'calc', mode: 'streamable_http', toolsCount: 1, tools: [{ name: 'add', description: 'Add two numbers' }] });
      const broken = listed.find((s) => s.name === 'broken')!;
      assert.equal(broken.toolsCount, null);
      assert.match(broken.error, /^Error loading server: /);
      await server.call('/api/v2/mcp/servers/broken', { method: 'DELETE', headers: bearer('alice') });
    });

    test('an MCP Tools node naming a saved server runs through /run with that user’s config only', async () => {
      const flow = new FlowBuilder('MCP by name');
      const node = flow.node('MCPTools', { mcp_server: { name: 'calc' }, tool: 'add', a: 2, b: 40 });
      const flowId = await create('alice', { name: 'MCP by name', data: flow.build().data });
      const ran = await run('alice', flowId, { output_type: 'debug' });
      assert.equal(ran.status, 200, ran.text);
      const result = ((ran.body as Json).outputs[0].outputs as Json[]).find((o) => o.component_id === node)!;
      assert.deepEqual(result.results.response, [{ type: 'text', text: '42' }]);

      const bobFlow = await create('bob', { name: 'MCP by name', data: flow.build().data });
      const denied = await run('bob', bobFlow, { output_type: 'debug' });
      assert.equal(denied.status, 500);
      assert.match(errorOf(denied.body).message, /MCP server "calc" is not configured/);
    });
  });
});
