import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LangflowClient } from '@datastax/langflow-client';
import { startHostHarness, type HostHarness } from './host-harness.js';

/**
 * Pen test (issue 10), high: any user could read `/logs`, and its request lines carried other users'
 * `?x-api-key=sk-…` query strings. Now `/logs` and `/logs-stream` are for superusers only (with any
 * credential other routes take), and no log line holds a credential.
 */
let host: HostHarness;

before(async () => {
  host = await startHostHarness({ LANGFLOW_LOG_LEVEL: 'info', LANGFLOW_ENABLE_LOG_RETRIEVAL: 'true' });
});
after(async () => host.stop());

test('logs secret leak: other users cannot read /logs, and no line holds a key, token or password', async () => {
  const { admin, attacker } = host;
  // A victim's requests with credentials in the URL, as scripts and MCP clients send them.
  const listed = await host.call(`/api/v1/flows/?x-api-key=${encodeURIComponent(admin.apiKey)}`);
  assert.equal(listed.status, 200, listed.text);
  await host.call(`/api/v1/version?token=victim-token-123456&password=victim-password`);
  await host.call('/api/v1/version', { headers: { authorization: 'Bearer victim.jwt.value' } });
  host.h.app.log.info({ body: { username: 'victim', password: 'victim-password' } }, 'login attempt with password=victim-password');

  for (const path of ['/logs', '/logs-stream', `/logs?x-api-key=${encodeURIComponent(attacker.apiKey)}`]) {
    const denied = await host.call(path, { headers: path.includes('x-api-key') ? {} : attacker.headers });
    assert.equal(denied.status, 403, `${path}: ${denied.text}`);
  }

  // The superuser reads them with the published client (its API key in the query: the client's own
  // header never reaches /logs, a bug of @datastax/langflow-client 0.4.x).
  const client = new LangflowClient({ baseUrl: host.h.url, apiKey: admin.apiKey });
  const logs = await client.logs.fetch({ lines_before: 1000, 'x-api-key': admin.apiKey } as Parameters<typeof client.logs.fetch>[0]);
  const text = logs.map((log) => log.message).join('\n');
  assert.match(text, /\/api\/v1\/flows\/\?x-api-key=\[REDACTED\]/, 'the request line is kept, without its key');
  assert.match(text, /login attempt/);
  for (const secret of [admin.apiKey, attacker.apiKey, 'victim-token-123456', 'victim-password', 'victim.jwt.value']) {
    assert.ok(!text.includes(secret), `the logs hold ${secret}`);
  }
});
