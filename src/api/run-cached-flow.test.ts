import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addUser, startTestServer, type TestServer, type TestUser } from '../../test-utils/api-server.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

let server: TestServer;
let alice: TestUser;

before(async () => {
  server = await startTestServer('sqlite');
  alice = await addUser(server.database, 'alice');
});
after(() => server.stop());

function promptFlow(template: string) {
  const flow = new FlowBuilder('cached');
  const input = flow.node('ChatInput', {}, { id: 'ChatInput-aaaaa' });
  const prompt = flow.node('Prompt', { template, question: '' }, { id: 'Prompt-bbbbb' });
  const output = flow.node('ChatOutput', {}, { id: 'ChatOutput-ccccc' });
  flow.connect(input, 'message', prompt, 'question').connect(prompt, 'prompt', output, 'input_value');
  return flow.build().data;
}

async function runText(flowId: string, body: Json): Promise<string> {
  const response = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: alice.headers, json: body });
  assert.equal(response.status, 200, response.text);
  return (response.body as Json).outputs[0].outputs[0].results.message.text as string;
}

// Runs share the parse and the loaded graph of a stored flow version (FlowDataCache, loadGraph): each run's tweaks
// stay its own, and a saved change is what the next run runs, whoever wrote it.
test('a stored flow run again: tweaks stay per run, and a change saved by PATCH or straight in the database runs next', async () => {
  const created = await server.call('/api/v1/flows/', { method: 'POST', headers: alice.headers, json: { name: 'cached', data: promptFlow('A: {question}') } });
  assert.equal(created.status, 201, created.text);
  const id = (created.body as Json).id as string;
  assert.equal(await runText(id, { input_value: 'one' }), 'A: one');
  assert.equal(await runText(id, { input_value: 'two', tweaks: { 'Prompt-bbbbb': { template: 'T: {question}' } } }), 'T: two');
  assert.equal(await runText(id, { input_value: 'three' }), 'A: three', 'a tweak does not outlive its run');

  const patched = await server.call(`/api/v1/flows/${id}`, { method: 'PATCH', headers: alice.headers, json: { data: promptFlow('B: {question}') } });
  assert.equal(patched.status, 200, patched.text);
  assert.equal(await runText(id, { input_value: 'four' }), 'B: four');

  // Another process (a second worker) writing the row: seen without any notice to this one.
  await server.database.flows.update(id, alice.user.id, { data: promptFlow("C: {question}") as unknown as Record<string, unknown> });
  assert.equal(await runText(id, { input_value: 'five' }), 'C: five');

  const stored = await server.call(`/api/v1/flows/${id}`, { headers: alice.headers });
  assert.equal(((stored.body as Json).data.nodes[1].data.node.template.template.value as string), 'C: {question}', 'runs left the stored flow as it was');
});
