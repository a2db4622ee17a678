import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { after, before, describe, test } from 'node:test';
import { LangflowClient } from '@datastax/langflow-client';
import { exampleFlows } from './examples/index.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const [promptEcho, webhookParser] = exampleFlows();

/**
 * Compatibility: the published JS client and the curl commands of Langflow's docs
 * (/work/shared/seeds/002, copied verbatim below) against a real server on a free port.
 */
describe('compatibility with Langflow clients', () => {
  let server: TestServer;
  let apiKey: string;
  let echoId: string;
  let webhookId: string;

  before(async () => {
    server = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass' });
    const login = await server.call('/api/v1/login', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=admin-pass',
    });
    const auth = { authorization: `Bearer ${(login.body as Json).access_token}` };
    apiKey = ((await server.call('/api/v1/api_key/', { method: 'POST', headers: auth, json: { name: 'compat' } })).body as Json).api_key;
    echoId = ((await server.call('/api/v1/flows/', { method: 'POST', headers: auth, json: { ...promptEcho, id: undefined } })).body as Json).id;
    webhookId = ((await server.call('/api/v1/flows/', { method: 'POST', headers: auth, json: { ...webhookParser, id: undefined } })).body as Json).id;
  });
  after(async () => server?.stop());

  const client = () => new LangflowClient({ baseUrl: server.url, apiKey });

  test('@datastax/langflow-client run: chatOutputText and session id', async () => {
    const response = await client().flow(echoId).run('Hello client', { session_id: 'client-session' });
    assert.equal(response.chatOutputText(), 'You said: Hello client');
    assert.equal(response.sessionId, 'client-session');
  });

  test('@datastax/langflow-client run with tweaks (object and chained)', async () => {
    const viaObject = await client().flow(echoId).run('x', { tweaks: { 'Prompt-Ech02': { template: 'Tweaked: {question}' } } });
    assert.equal(viaObject.chatOutputText(), 'Tweaked: x');
    const chained = await client().flow(echoId).tweak('Prompt-Ech02', { template: 'Chained: {question}' }).run('y');
    assert.equal(chained.chatOutputText(), 'Chained: y');
  });

  test('@datastax/langflow-client stream: add_message for input and output, then end (no model, so no tokens)', async () => {
    const stream = await client().flow(echoId).stream('streaming');
    const events: Json[] = [];
    for await (const event of stream as unknown as AsyncIterable<Json>) events.push(event);
    assert.deepEqual(events.map((e) => e.event), ['add_message', 'add_message', 'end']);
    assert.equal(events[0].data.sender, 'User');
    assert.equal(events[1].data.text, 'You said: streaming');
    assert.equal(events[2].data.result.outputs[0].outputs[0].results.message.text, 'You said: streaming');
  });

  test('@datastax/langflow-client surfaces a bad key as an error', async () => {
    const bad = new LangflowClient({ baseUrl: server.url, apiKey: 'sk-wrong' });
    await assert.rejects(bad.flow(echoId).run('x'), (error: Error & { cause?: Response }) => {
      assert.equal(error.message, '403 - Forbidden');
      return true;
    });
  });

  /** Runs a docs command as written, with the docs' variables set; the status code is appended by `-w`. */
  async function curl(command: string, flowId: string): Promise<{ status: number; stdout: string }> {
    // Asynchronous: the server shares this process's event loop.
    const result = await promisify(execFile)('bash', ['-c', `${command} -s -w '\\n%{http_code}'`], {
      env: { ...process.env, LANGFLOW_SERVER_URL: server.url, FLOW_ID: flowId, LANGFLOW_API_KEY: apiKey },
      encoding: 'utf8',
    });
    const lines = result.stdout.trimEnd().split('\n');
    return { status: Number(lines.pop()), stdout: lines.join('\n') };
  }

  test('docs curl: run with the documented flat body', async () => {
    const { status, stdout } = await curl(`curl -X POST \\
  "$LANGFLOW_SERVER_URL/api/v1/run/$FLOW_ID" \\
  -H "Content-Type: application/json" \\
  -H "x-api-key: $LANGFLOW_API_KEY" \\
  -d '{
    "input_value": "Tell me about something interesting!",
    "session_id": "chat-123",
    "input_type": "chat",
    "output_type": "chat",
    "output_component": "",
    "tweaks": null
  }'`, echoId);
    assert.equal(status, 200);
    const body = JSON.parse(stdout) as Json;
    assert.equal(body.session_id, 'chat-123');
    assert.deepEqual(body.outputs[0].inputs, { input_value: 'Tell me about something interesting!' });
    const message = body.outputs[0].outputs[0].results.message;
    assert.equal(message.text, 'You said: Tell me about something interesting!');
    assert.equal(message.sender, 'Machine');
    assert.equal(message.session_id, 'chat-123');
    assert.equal(message.flow_id, echoId);
  });

  test('docs curl: ?stream=true with the docs\' "message" body streams add_message… end', async () => {
    const { status, stdout } = await curl(`curl -X POST \\
    "$LANGFLOW_SERVER_URL/api/v1/run/$FLOW_ID?stream=true" \\
    -H "accept: application/json" \\
    -H "Content-Type: application/json" \\
    -H "x-api-key: $LANGFLOW_API_KEY" \\
    -d '{
      "message": "Tell me something interesting!",
      "session_id": "chat-123"
    }'`, echoId);
    assert.equal(status, 200);
    const events = stdout.split('\n\n').filter(Boolean).map((chunk) => JSON.parse(chunk) as Json);
    assert.equal(events.at(-1)?.event, 'end');
    assert.equal(events.at(-1)?.data.result.session_id, 'chat-123');
    // "message" is not a field of the request, so the Chat Input keeps its saved value.
    assert.equal(events.at(-1)?.data.result.outputs[0].outputs[0].results.message.text, 'You said: Hello!');
  });

  test('docs curl: request with all headers and parameters (unknown output component and tweak target)', async () => {
    const { status, stdout } = await curl(`curl -X POST \\
  "$LANGFLOW_SERVER_URL/api/v1/run/$FLOW_ID?stream=true" \\
  -H "Content-Type: application/json" \\
  -H "accept: application/json" \\
  -H "x-api-key: $LANGFLOW_API_KEY" \\
  -d '{
    "input_value": "Tell me a story",
    "input_type": "chat",
    "output_type": "chat",
    "output_component": "chat_output",
    "session_id": "chat-123",
    "tweaks": {
      "component_id": {
        "parameter_name": "value"
      }
    }
  }'`, echoId);
    assert.equal(status, 200);
    const events = stdout.split('\n\n').filter(Boolean).map((chunk) => JSON.parse(chunk) as Json);
    assert.deepEqual(events.map((e) => e.event), ['add_message', 'add_message', 'end']);
    assert.equal(events[0].data.text, 'Tell me a story');
    // No vertex is called "chat_output", so the result lists no outputs, as in Langflow.
    assert.deepEqual(events[2].data.result.outputs[0].outputs, []);
  });

  test('docs curl: webhook answers 202 with the documented body', async () => {
    const { status, stdout } = await curl(`curl -X POST \\
  "$LANGFLOW_SERVER_URL/api/v1/webhook/$FLOW_ID" \\
  -H "Content-Type: application/json" \\
  -H "x-api-key: $LANGFLOW_API_KEY" \\
  -d '{"data": "example-data"}'`, webhookId);
    assert.equal(status, 202);
    assert.deepEqual(JSON.parse(stdout), { message: 'Task started in the background', status: 'in progress' });
    await server.app.weft.background.idle();
    const admin = await server.app.weft.database.users.getByUsername('admin');
    const stored = await server.app.weft.database.messages.listForUser(admin!.id, { flowId: webhookId });
    assert.deepEqual(stored.map((m) => m.text), ['Webhook received: example-data']);
  });
});
