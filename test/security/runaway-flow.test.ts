import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, waitFor200 } from '../../bench/processes.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { repoRoot } from '../../test-utils/paths.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Pen-test finding (HIGH): a flow whose Run Flow node runs the flow itself ate 4.7 GB in 70 s, kept
 * running after the client left, and ignored SIGTERM.
 */
const dir = mkdtempSync(join(tmpdir(), 'weft-runaway-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** ChatInput → Run Flow → ChatOutput, saved; then Run Flow is pointed at the flow itself. */
async function selfRunningFlow(base: string, headers: Record<string, string>): Promise<string> {
  const flow = new FlowBuilder('Runs itself');
  const input = flow.node('ChatInput', {});
  const runner = flow.node('RunFlow', { flow_name_selected: '', flow_id_selected: '' });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', runner, 'input_value').connect(runner, 'flow_outputs_message', output, 'input_value');
  const data = flow.build().data as Json;
  const json = { ...headers, 'content-type': 'application/json' };
  const created = await fetch(`${base}/api/v1/flows/`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'Runs itself', data }) });
  assert.equal(created.status, 201, await created.clone().text());
  const { id } = (await created.json()) as { id: string };
  (data.nodes as Json[]).find((node) => node.id === runner)!.data.node.template.flow_id_selected.value = id;
  const patched = await fetch(`${base}/api/v1/flows/${id}`, { method: 'PATCH', headers: json, body: JSON.stringify({ data }) });
  assert.equal(patched.status, 200, await patched.text());
  return id;
}

async function credentials(base: string): Promise<Record<string, string>> {
  const token = ((await (await fetch(`${base}/api/v1/auto_login`)).json()) as Json).access_token as string;
  const bearer = { authorization: `Bearer ${token}` };
  const key = (await (await fetch(`${base}/api/v1/api_key/`, { method: 'POST', headers: { ...bearer, 'content-type': 'application/json' }, body: '{"name":"k"}' })).json()) as Json;
  return { ...bearer, 'x-api-key': key.api_key as string };
}

async function messageCount(server: TestServer, headers: Record<string, string>): Promise<number> {
  return ((await server.call('/api/v1/monitor/messages', { headers })).body as Json[]).length;
}

describe('a flow that runs itself', () => {
  test('stops quickly at the nesting limit with an error naming it', async () => {
    const server = await startTestServer('sqlite', { WEFT_MAX_FLOW_DEPTH: '5' });
    try {
      const headers = await credentials(server.url);
      const id = await selfRunningFlow(server.url, headers);
      const started = Date.now();
      const response = await fetch(`${server.url}/api/v1/run/${id}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{"input_value": "again"}',
        signal: AbortSignal.timeout(20_000),
      });
      const text = await response.text();
      assert.equal(response.status, 500, text);
      assert.match(text, /Flow nesting limit reached: Run Flow may nest flows at most 5 levels deep \(WEFT_MAX_FLOW_DEPTH\)/);
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
      // The server is still fine.
      assert.deepEqual((await server.call('/health')).body, { status: 'ok' });
    } finally {
      await server.stop();
    }
  });

  test('its /run is cancelled when the client disconnects', async () => {
    // Limits far out of reach: only the disconnect can stop this run.
    const server = await startTestServer('sqlite', { WEFT_MAX_FLOW_DEPTH: '1000000', WEFT_MAX_SUBFLOW_RUNS: '1000000' });
    try {
      const headers = await credentials(server.url);
      const id = await selfRunningFlow(server.url, headers);
      const client = new AbortController();
      const request = fetch(`${server.url}/api/v1/run/${id}`, {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json' },
        body: '{"input_value": "again"}',
        signal: client.signal,
      }).catch(() => null);
      await sleep(1500);
      assert.ok((await messageCount(server, headers)) > 3, 'the flow is nesting (each level stores its chat input)');
      client.abort();
      await request;
      await sleep(1000);
      const settled = await messageCount(server, headers);
      await sleep(1500);
      assert.equal(await messageCount(server, headers), settled, 'no more levels start once the caller is gone');
    } finally {
      await server.stop();
    }
  });

  test('SIGTERM ends `weft serve` within its grace period while the flow runs', async () => {
    const port = await freePort();
    const configDir = mkdtempSync(join(dir, 'config-'));
    const env = {
      ...process.env,
      LANGFLOW_CONFIG_DIR: configDir,
      LANGFLOW_PORT: String(port),
      LANGFLOW_HOST: '127.0.0.1',
      WEFT_MAX_FLOW_DEPTH: '1000000',
      WEFT_MAX_SUBFLOW_RUNS: '1000000',
      WEFT_SHUTDOWN_GRACE_SECONDS: '5',
    };
    const child = spawn(process.execPath, [join(repoRoot, 'bin', 'weft.js'), 'serve'], { env, stdio: 'ignore' });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const base = `http://127.0.0.1:${port}`;
      await waitFor200(`${base}/health`, 30_000);
      const headers = await credentials(base);
      const id = await selfRunningFlow(base, headers);
      const running = fetch(`${base}/api/v1/run/${id}`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"input_value": "again"}' }).catch(() => null);
      await sleep(1500);
      const signalled = Date.now();
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(8000).then(() => 'still running' as const)]);
      assert.notEqual(code, 'still running', 'the process outlived its 5 s grace period');
      assert.ok(Date.now() - signalled < 8000);
      await running;
    } finally {
      child.kill('SIGKILL');
    }
  });
});
