import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startHostHarness, type HostHarness } from './host-harness.js';

/**
 * Pen test (issue 10), medium: an MCP SSE session id was usable without credentials — whoever learnt
 * it (a log line, a proxy) could drive another user's MCP session. Sessions (SSE and Streamable HTTP,
 * global and project servers) belong to the principal that opened them: no credentials is refused,
 * another principal gets 404.
 */
let host: HostHarness;
const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };
const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'attack', version: '1' } } };

before(async () => {
  host = await startHostHarness();
});
after(async () => host.stop());

/** Opens an SSE session as the admin; returns its message endpoint and a way to close it. */
async function openSse(path: string): Promise<{ endpoint: string; close(): void }> {
  const abort = new AbortController();
  const stream = await fetch(`${host.h.url}${path}`, { headers: host.admin.headers, signal: abort.signal });
  assert.equal(stream.status, 200);
  const reader = stream.body!.getReader();
  let text = '';
  while (!/sessionId=[\w-]+/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
  return { endpoint: /data: (\S+)/.exec(text)![1], close: () => abort.abort() };
}

async function post(path: string, headers: Record<string, string>, body: unknown = ping) {
  return host.call(path, { method: 'POST', headers: { accept: 'application/json, text/event-stream', ...headers }, json: body });
}

test('MCP session hijack: SSE and Streamable HTTP sessions answer only the principal that opened them', async () => {
  const { admin, attacker } = host;
  const project = await host.h.database.folders.create(admin.user.id, { name: 'MCP project' });

  for (const ssePath of ['/api/v1/mcp/sse', `/api/v1/mcp/project/${project.id}/sse`]) {
    const session = await openSse(ssePath);
    try {
      const anonymous = await post(session.endpoint, {});
      assert.ok([401, 403].includes(anonymous.status), `${ssePath} without credentials: ${anonymous.status} ${anonymous.text}`);
      const other = await post(session.endpoint, attacker.headers);
      assert.equal(other.status, 404, `${ssePath} as another user: ${other.text}`);
      assert.equal((await post(session.endpoint, admin.headers)).status, 202, 'the owner still drives it');
    } finally {
      session.close();
    }
  }

  for (const path of ['/api/v1/mcp/streamable', `/api/v1/mcp/project/${project.id}/streamable`]) {
    const opened = await fetch(`${host.h.url}${path}`, {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify(initialize),
    });
    assert.equal(opened.status, 200);
    await opened.text();
    const sessionId = opened.headers.get('mcp-session-id');
    assert.ok(sessionId, 'a session was opened');
    const anonymous = await post(path, { 'mcp-session-id': sessionId });
    assert.ok([401, 403].includes(anonymous.status), `${path} without credentials: ${anonymous.status}`);
    const other = await post(path, { ...attacker.headers, 'mcp-session-id': sessionId });
    assert.equal(other.status, 404, `${path} as another user: ${other.text}`);
  }
});
