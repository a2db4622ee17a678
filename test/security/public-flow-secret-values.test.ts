import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { bearer, createFlow, startTwoUsers, type Json, type TwoUsers } from './two-users.js';

function flowWithSecrets(): Json {
  const flow = new FlowBuilder('Shared with secrets');
  flow.node('APIRequest', {
    url_input: 'https://deploy:hunter2@internal.example.com/hook',
    headers: [{ key: 'Authorization', value: 'Bearer owner-token-123' }, { key: 'Accept', value: 'application/json' }],
    body: [{ key: 'client_secret', value: 'cs-456' }, { key: 'query', value: 'weather' }],
    method: 'GET',
  });
  flow.node('LanguageModelComponent', { api_key: 'sk-owner-live-key', system_message: 'Be brief.', model_name: 'OWNER_VARIABLE_NAME' }, {
    fieldMeta: { api_key: { password: true }, model_name: { load_from_db: true } },
  });
  flow.node('Prompt', { template: 'Hello {name}', db_password: 'plain-typed-password' });
  return { name: 'Shared with secrets', access_type: 'PUBLIC', data: flow.build().data };
}

/**
 * Attack: a PUBLIC flow is readable by anyone at `/api/v1/flows/public_flow/{id}`, and its templates
 * held the secrets the owner typed in (API keys, passwords, Authorization headers, URL credentials).
 */
describe('attack: public flows expose secret values typed into templates', () => {
  let env: TwoUsers;
  let flowId: string;
  before(async () => {
    env = await startTwoUsers();
    flowId = (await createFlow(env.server, env.alice, flowWithSecrets())).id as string;
  });
  after(async () => env?.stop());

  test('the anonymous public-flow response carries none of them, and keeps the rest', async () => {
    const response = await env.server.call(`/api/v1/flows/public_flow/${flowId}`);
    assert.equal(response.status, 200, response.text);
    for (const secret of ['hunter2', 'owner-token-123', 'cs-456', 'sk-owner-live-key', 'OWNER_VARIABLE_NAME', 'plain-typed-password']) {
      assert.ok(!response.text.includes(secret), `${secret} leaked`);
    }
    for (const kept of ['Be brief.', 'Hello {name}', 'application/json', 'weather']) {
      assert.ok(response.text.includes(kept), `${kept} should stay`);
    }
    assert.equal((response.body as Json).user_id, null);
  });

  test('the owner still reads and runs the flow with its secrets', async () => {
    const own = await env.server.call(`/api/v1/flows/${flowId}`, { headers: bearer(env.alice) });
    assert.equal(own.status, 200);
    assert.ok(own.text.includes('sk-owner-live-key'));
    assert.ok(own.text.includes('owner-token-123'));
  });
});
