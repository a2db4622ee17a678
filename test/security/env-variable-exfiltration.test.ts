import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { startHostHarness, type HostHarness } from './host-harness.js';

/**
 * Pen test (issue 10), critical: a `load_from_db` field naming a server environment variable made the
 * server read it for any user (`LANGFLOW_SUPERUSER_PASSWORD` came back in a run). Only the provider
 * credentials of the allow-list (Langflow's VARIABLES_TO_GET_FROM_ENVIRONMENT) fall back to the environment,
 * and only into a model's key field.
 */
let host: HostHarness;
const secrets: Record<string, string> = {
  LANGFLOW_SUPERUSER_PASSWORD: `superuser-${Math.random().toString(36).slice(2)}`,
  DATABASE_PASSWORD: `db-${Math.random().toString(36).slice(2)}`,
};
const ALLOWED = `sk-provider-${Math.random().toString(36).slice(2)}`;

before(async () => {
  // The server's environment: what its settings are read from (nothing else reads it).
  host = await startHostHarness({ ...secrets, ANTHROPIC_API_KEY: ALLOWED });
});

after(async () => {
  await host.stop();
});

async function readVariable(name: string): Promise<string> {
  const flow = new FlowBuilder('read a variable');
  const input = flow.node('TextInput', { input_value: name }, { fieldMeta: { input_value: { load_from_db: true } } });
  const output = flow.node('TextOutput', {});
  flow.connect(input, 'text', output, 'input_value');
  const flowId = await host.addFlow(host.attacker, flow.build());
  const ran = await host.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: host.attacker.headers, json: { output_type: 'text' } });
  assert.equal(ran.status, 200, ran.text);
  return ran.text;
}

test('env variable exfiltration through load_from_db: server settings and unlisted names never resolve', async () => {
  for (const [name, value] of Object.entries(secrets)) {
    assert.ok(!(await readVariable(name)).includes(value), `${name} leaked`);
  }
  // An allow-listed provider credential falls back to the environment for a model's key field only, sealed:
  // it never comes back as text (provider-key-exfiltration.test.ts covers where a model may send it).
  assert.ok(!(await readVariable('ANTHROPIC_API_KEY')).includes(ALLOWED), 'an allow-listed credential came back as text');
});
