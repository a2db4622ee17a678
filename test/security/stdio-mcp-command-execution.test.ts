import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { McpServerStore } from '../../src/services/mcp/user-servers.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { startHostHarness, type HostHarness } from './host-harness.js';

/**
 * Pen test (issue 10), critical: a signed-in user made the server run OS commands through a stdio MCP
 * server config — saved through `/api/v2/mcp/servers` and started by `?action_count=true`, or given
 * inline in an MCP Tools node or a `/run` tweak — and the child got the server's whole environment.
 * The "command" here writes its environment to a marker file: a marker file is a command that ran.
 */
let host: HostHarness;
let dir: string;
const SERVER_SECRET = `host-secret-${Math.random().toString(36).slice(2)}`;
const WRITE_ENV = "require('fs').writeFileSync(process.argv[1], JSON.stringify(process.env))";

function stdioConfig(marker: string, env?: Record<string, string>) {
  return { command: process.execPath, args: ['-e', WRITE_ENV, join(dir, marker)], ...(env ? { env } : {}) };
}

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'weft-stdio-attack-'));
  process.env.WEFT_TEST_SERVER_SECRET = SERVER_SECRET;
  host = await startHostHarness({ WEFT_MCP_STDIO_COMMANDS: process.execPath });
});

after(async () => {
  delete process.env.WEFT_TEST_SERVER_SECRET;
  await host.stop();
  rmSync(dir, { recursive: true, force: true });
});

test('stdio MCP command execution by a regular user: refused to save, never started by action_count, /run or tweaks', async () => {
  const { attacker } = host;
  const saved = await host.call('/api/v2/mcp/servers/pwn', { method: 'POST', headers: attacker.headers, json: stdioConfig('via-post') });
  assert.equal(saved.status, 403, saved.text);
  const patched = await host.call('/api/v2/mcp/servers/pwn', { method: 'PATCH', headers: attacker.headers, json: stdioConfig('via-patch') });
  assert.equal(patched.status, 403, patched.text);

  // A config saved before the policy existed (written straight into the store) is never started for them either.
  await new McpServerStore(host.h.database.db, host.h.settings.secretKey).put(attacker.user.id, 'legacy', stdioConfig('via-action-count'));
  const counted = await host.call('/api/v2/mcp/servers?action_count=true', { headers: attacker.headers });
  assert.equal(counted.status, 200, counted.text);
  const legacy = (counted.body as { name: string; error?: string }[]).find((s) => s.name === 'legacy');
  assert.match(legacy?.error ?? '', /superuser/);

  // Inline in the node's saved config, and as a tweak of it.
  const inline = new FlowBuilder('inline stdio');
  const node = inline.node('MCPTools', { mcp_server: { name: 'inline', config: stdioConfig('via-node') }, tool: 'x' });
  const inlineFlow = await host.addFlow(attacker, inline.build());
  await host.call(`/api/v1/run/${inlineFlow}`, { method: 'POST', headers: attacker.headers, json: { output_type: 'debug' } });
  await host.call(`/api/v1/run/${inlineFlow}`, {
    method: 'POST',
    headers: attacker.headers,
    json: { output_type: 'debug', tweaks: { [node]: { mcp_server: { name: 'legacy', config: stdioConfig('via-tweak') } } } },
  });

  for (const marker of ['via-post', 'via-patch', 'via-action-count', 'via-node', 'via-tweak']) {
    assert.equal(existsSync(join(dir, marker)), false, `a command ran ${marker.replace('via-', 'via ')}`);
  }
});

test('stdio MCP command execution by the administrator: allow-listed commands only, with a minimal environment', async () => {
  const { admin } = host;
  const other = await host.call('/api/v2/mcp/servers/shell', { method: 'POST', headers: admin.headers, json: { command: 'sh', args: ['-c', 'id'] } });
  assert.equal(other.status, 403, 'a command outside WEFT_MCP_STDIO_COMMANDS');
  assert.match(String((other.body as { detail: string }).detail), /WEFT_MCP_STDIO_COMMANDS/);

  const saved = await host.call('/api/v2/mcp/servers/tool', { method: 'POST', headers: admin.headers, json: stdioConfig('admin-env', { OWN_SETTING: 'from-the-config' }) });
  assert.equal(saved.status, 200, saved.text);
  await host.call('/api/v2/mcp/servers?action_count=true', { headers: admin.headers });
  const env = JSON.parse(readFileSync(join(dir, 'admin-env'), 'utf8')) as Record<string, string>;
  assert.equal(env.OWN_SETTING, 'from-the-config');
  assert.ok(env.PATH, 'the basics are there');
  assert.equal(env.WEFT_TEST_SERVER_SECRET, undefined, "the server's environment is not");
  assert.doesNotMatch(JSON.stringify(env), new RegExp(SERVER_SECRET));
});
