import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addUser, startTestServer, type TestServer, type TestUser } from '../../test-utils/api-server.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let server: TestServer;
let alice: TestUser;

before(async () => {
  server = await startTestServer('sqlite', { LANGFLOW_MAX_TEXT_LENGTH: '1000', LANGFLOW_MAX_ITEMS_LENGTH: '50' });
  alice = await addUser(server.database, 'alice');
});
after(() => server.stop());

test("a long input: the answer is whole, the run's builds and transactions are cut at LANGFLOW_MAX_TEXT_LENGTH as Langflow records them", async () => {
  const flow = new FlowBuilder('long');
  const input = flow.node('ChatInput', {});
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', output, 'input_value');
  const created = await server.call('/api/v1/flows/', { method: 'POST', headers: alice.headers, json: { name: 'long', data: flow.build().data } });
  const id = (created.body as Json).id as string;
  const text = 'word '.repeat(60_000);
  const run = await server.call(`/api/v1/run/${id}`, { method: 'POST', headers: alice.headers, json: { input_value: text } });
  assert.equal(run.status, 200, run.text.slice(0, 300));
  assert.equal((run.body as Json).outputs[0].outputs[0].results.message.text, text, 'the API answer is not cut (docs/compatibility.md)');

  const messages = (await server.call(`/api/v1/monitor/messages?flow_id=${id}`, { headers: alice.headers })).body as Json[];
  assert.ok(messages.every((m) => m.text === text), 'chat messages are stored whole');

  const transactions = (await server.call(`/api/v1/monitor/transactions?flow_id=${id}`, { headers: alice.headers })).body as Json;
  const recorded = JSON.stringify(transactions.items);
  assert.ok(transactions.items.length >= 2);
  assert.ok(recorded.length < 20_000, `transactions hold ${recorded.length} characters for a 300,000-character input`);
  assert.ok(recorded.includes(`${text.slice(0, 1000)}...`), 'cut to the limit, with "..."');

  const builds = (await server.call(`/api/v1/monitor/builds?flow_id=${id}`, { headers: alice.headers })).body as Json;
  const buildText = JSON.stringify(builds.vertex_builds);
  assert.ok(buildText.length < 40_000, `vertex builds hold ${buildText.length} characters`);
  assert.ok(buildText.includes(`${text.slice(0, 1000)}...`));

  const config = (await server.call('/api/v1/config', { headers: alice.headers })).body as Json;
  assert.equal(config.serialization_max_text_length, 1000);
  assert.equal(config.serialization_max_items_length, 50);
});
