import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { createFlow, messageTexts, startTwoUsers, webhookFlow, type TwoUsers } from './two-users.js';

const EMPTY = { detail: 'Request body is empty. You should provide a JSON payload containing the flow ID.' };

/**
 * Attack: anyone could start any flow that has an id (no Webhook component needed) through the
 * unauthenticated webhook route, send a JSON `null` (202 where Langflow answers 400), and have
 * 40 MB payloads stored whole with the run.
 */
describe('attack: webhook payload abuse', () => {
  let env: TwoUsers;
  let hookId: string;
  before(async () => {
    env = await startTwoUsers({ LANGFLOW_WEBHOOK_MAX_PAYLOAD_MB: '1' });
    hookId = (await createFlow(env.server, env.alice, webhookFlow('Hook'))).id as string;
  });
  after(async () => env?.stop());

  test('a flow without a Webhook component is not run through the webhook route', async () => {
    const { server, alice } = env;
    const chat = new FlowBuilder('Chat only');
    const input = chat.node('ChatInput', {});
    const output = chat.node('ChatOutput', {});
    chat.connect(input, 'message', output, 'input_value');
    const flow = await createFlow(server, alice, { name: 'Chat only', data: chat.build().data });
    const call = await server.call(`/api/v1/webhook/${flow.id}`, { method: 'POST', json: { anything: 1 } });
    assert.equal(call.status, 400, call.text);
    assert.deepEqual(call.body, { detail: 'Flow does not have a webhook component' });
    assert.deepEqual(await messageTexts(server, alice, flow.id as string, 1, 300), []);
  });

  test('a JSON null body is refused as an empty one', async () => {
    const call = await env.server.call(`/api/v1/webhook/${hookId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'null' });
    assert.equal(call.status, 400, call.text);
    assert.deepEqual(call.body, EMPTY);
  });

  test('a payload over LANGFLOW_WEBHOOK_MAX_PAYLOAD_MB is refused with 413 and never stored', async () => {
    const { server, alice } = env;
    const huge = JSON.stringify({ blob: 'x'.repeat(2 * 1024 * 1024) });
    const call = await server.call(`/api/v1/webhook/${hookId}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: huge });
    assert.equal(call.status, 413, call.text.slice(0, 200));
    const fits = await server.call(`/api/v1/webhook/${hookId}`, { method: 'POST', json: { blob: 'y'.repeat(1000) } });
    assert.equal(fits.status, 202, fits.text);
    const stored = await messageTexts(server, alice, hookId, 1, 5000);
    assert.equal(stored.length, 1);
    assert.ok(stored.every((text) => text.length < 1024 * 1024));
  });
});
