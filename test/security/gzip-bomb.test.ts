import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { startHostHarness, type HostHarness } from './host-harness.js';

/**
 * Pen test (issue 10), medium: a gzip bomb through the guarded fetcher (URL, API Request). 32 KiB on
 * the wire inflated to 32 MiB in the server's memory — and a bigger bomb to anything. Decompression
 * now stops at WEFT_MAX_RESPONSE_BYTES (default 10 MiB).
 */
let host: HostHarness;
let bombServer: Server;
let bombUrl: string;
const bomb = gzipSync(Buffer.alloc(32 * 1024 * 1024), { level: 9 });

before(async () => {
  bombServer = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip', 'content-length': bomb.length });
    res.end(bomb);
  });
  await new Promise<void>((resolve) => bombServer.listen(0, '127.0.0.1', resolve));
  bombUrl = `http://127.0.0.1:${(bombServer.address() as AddressInfo).port}/bomb`;
  // The URL component may reach the loopback bomb server: the bomb is the attack, not the address.
  host = await startHostHarness({ LANGFLOW_ALLOWED_HOSTS: '127.0.0.1' });
});

after(async () => {
  await host.stop();
  bombServer.closeAllConnections();
  await new Promise((resolve) => bombServer.close(resolve));
});

test('gzip bomb through the URL component stops at the decompressed size limit', async () => {
  assert.ok(bomb.length < 64 * 1024, 'a small download');
  for (const [type, fields] of [
    ['URLComponent', { urls: [bombUrl] }],
    ['APIRequest', { url_input: bombUrl, method: 'GET' }],
  ] as const) {
    const flow = new FlowBuilder(`bomb ${type}`);
    flow.node(type, fields);
    const flowId = await host.addFlow(host.attacker, flow.build());
    const ran = await host.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: host.attacker.headers, json: { output_type: 'debug' } });
    assert.ok(ran.text.length < 1024 * 1024, `${type}: the inflated body did not come back (${ran.text.length} characters)`);
    assert.match(ran.text, /larger than 10485760 bytes once decompressed/, `${type}: ${ran.text.slice(0, 300)}`);
  }
});
