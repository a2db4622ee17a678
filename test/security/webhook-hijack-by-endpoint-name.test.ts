import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { createFlow, messageTexts, startTwoUsers, webhookFlow, type TwoUsers } from './two-users.js';

/**
 * Attack: `/webhook/{name}` and `/run/{name}` looked the endpoint name up across all users and took
 * the oldest flow. Endpoint names are unique per user only, so Bob registering `orders` first
 * received the payloads meant for Alice's `orders` webhook.
 */
describe('attack: webhook hijack by taking the same endpoint name', () => {
  describe('webhooks without authentication (the default)', () => {
    let env: TwoUsers;
    before(async () => {
      env = await startTwoUsers();
    });
    after(async () => env?.stop());

    test('an endpoint name two users hold is refused, and the payload reaches no one', async () => {
      const { server, alice, bob } = env;
      const trap = await createFlow(server, bob, webhookFlow('Bob trap', 'orders'));
      const real = await createFlow(server, alice, webhookFlow('Alice orders', 'orders'));
      assert.equal(real.endpoint_name, 'orders');

      const call = await server.call('/api/v1/webhook/orders', { method: 'POST', json: { card: '4111-1111-1111-1111' } });
      assert.equal(call.status, 409, call.text);
      assert.match(String((call.body as { detail: string }).detail), /more than one/);
      // By flow id the webhook still works for its owner's integration.
      const byId = await server.call(`/api/v1/webhook/${real.id}`, { method: 'POST', json: { card: 'by-id' } });
      assert.equal(byId.status, 202, byId.text);
      assert.equal((await messageTexts(server, alice, real.id as string, 1, 5000)).length, 1);
      const captured = await messageTexts(server, bob, trap.id as string);
      assert.ok(!captured.some((text) => text.includes('4111')), `Bob captured: ${captured.join(' | ')}`);
    });

    test('a name held by one user only still resolves', async () => {
      const { server, alice } = env;
      const flow = await createFlow(server, alice, webhookFlow('Alice invoices', 'invoices'));
      const call = await server.call('/api/v1/webhook/invoices', { method: 'POST', json: { invoice: 7 } });
      assert.equal(call.status, 202, call.text);
      assert.equal((await messageTexts(server, alice, flow.id as string, 1, 5000)).length, 1);
    });

    test("/run by endpoint name runs the caller's own flow, never the older one of another user", async () => {
      const { server, alice, bob } = env;
      await createFlow(server, bob, webhookFlow('Bob early', 'reports'));
      const mine = await createFlow(server, alice, webhookFlow('Alice reports', 'reports'));
      const run = await server.call('/api/v1/run/reports', { method: 'POST', headers: { 'x-api-key': alice.key }, json: { input_value: 'x', tweaks: { 'Webhook-00001': { data: '{"r":1}' } } } });
      assert.equal(run.status, 200, run.text);
      assert.ok((await messageTexts(server, alice, mine.id as string)).length >= 1);
    });
  });

  describe('webhooks with LANGFLOW_WEBHOOK_AUTH_ENABLE', () => {
    let env: TwoUsers;
    before(async () => {
      env = await startTwoUsers({ LANGFLOW_WEBHOOK_AUTH_ENABLE: 'true' });
    });
    after(async () => env?.stop());

    test("the name resolves among the API key owner's flows", async () => {
      const { server, alice, bob } = env;
      const trap = await createFlow(server, bob, webhookFlow('Bob trap', 'orders'));
      const real = await createFlow(server, alice, webhookFlow('Alice orders', 'orders'));
      const call = await server.call('/api/v1/webhook/orders', { method: 'POST', headers: { 'x-api-key': alice.key }, json: { card: '5500-0000' } });
      assert.equal(call.status, 202, call.text);
      assert.equal((await messageTexts(server, alice, real.id as string, 1, 5000)).length, 1, 'delivered to Alice');
      assert.deepEqual(await messageTexts(server, bob, trap.id as string), []);
    });
  });
});
