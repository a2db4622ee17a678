import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { runFlow } from '../../engine/run.js';
import { createRegistry } from '../registry.js';
import { AllowList, isBlockedAddress, safeFetch } from './safe-fetch.js';

let server: Server;
let base: string;

before(async () => {
  server = createServer((req, res) => {
    if (req.url === '/to-private') {
      res.writeHead(302, { location: 'http://10.0.0.1/secret' });
      return res.end();
    }
    if (req.url === '/to-local') {
      res.writeHead(301, { location: '/page' });
      return res.end();
    }
    if (req.url === '/json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      return res.end(JSON.stringify({ method: req.method, ua: req.headers['user-agent'] }));
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html><head><title>Local</title></head><body><p>local page</p></body></html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

test('private, loopback, link-local, CGNAT, multicast and unspecified addresses are blocked', () => {
  for (const address of ['127.0.0.1', '10.1.2.3', '172.16.0.1', '192.168.1.1', '169.254.169.254', '100.64.0.1', '224.0.0.1', '0.0.0.0', '255.255.255.255', '::1', '::', 'fe80::1', 'fd00::1', 'ff02::1', '::ffff:127.0.0.1', '::ffff:7f00:1', '64:ff9b::a00:1']) {
    assert.equal(isBlockedAddress(address), true, address);
  }
  for (const address of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) assert.equal(isBlockedAddress(address), false, address);
});

test('allow list takes hostnames, IPs and CIDRs', () => {
  const allow = new AllowList('localhost, 10.0.0.0/8, ::1');
  assert.equal(allow.allowsHost('LOCALHOST'), true);
  assert.equal(allow.allowsAddress('10.9.9.9'), true);
  assert.equal(allow.allowsAddress('::1'), true);
  assert.equal(allow.allowsAddress('127.0.0.1'), false);
});

test('safeFetch refuses loopback unless allowed, and checks every redirect hop', async () => {
  await assert.rejects(safeFetch(`${base}/page`), /127\.0\.0\.1 is a private or reserved address/);
  await assert.rejects(safeFetch(`http://localhost:${new URL(base).port}/page`, { allow: new AllowList('') }), /private or reserved address/);
  const allow = new AllowList('127.0.0.1');
  const ok = await safeFetch(`${base}/to-local`, { allow });
  assert.equal(ok.status, 200);
  assert.equal(ok.url, `${base}/page`);
  assert.deepEqual(ok.redirects, [`${base}/to-local`]);
  await assert.rejects(safeFetch(`${base}/to-private`, { allow }), /10\.0\.0\.1 is a private or reserved address/);
});

test('URL component refuses a redirect to a private address', async () => {
  const flow = new FlowBuilder();
  flow.node('URLComponent', { urls: [`${base}/to-private`], max_depth: 1 });
  await assert.rejects(runFlow({ flow: flow.build(), registry: createRegistry(), outputType: 'debug', services: { allowedHosts: '127.0.0.1' } }), /Error building Component URL: .*10\.0\.0\.1 is a private or reserved address/);
});

test('API Request: URL mode, cURL mode, query params, refusal of loopback', async () => {
  const registry = createRegistry();
  const flow = new FlowBuilder();
  const node = flow.node('APIRequest', { url_input: `${base}/json`, method: 'POST', body: [{ key: 'a', value: 1 }], headers: [{ key: 'User-Agent', value: 'weft-test' }] });
  const response = await runFlow({ flow: flow.build(), registry, outputType: 'debug', services: { allowedHosts: '127.0.0.1/32' } });
  const data = (response.outputs[0].outputs.find((o) => o.component_id === node)!.results.data as { data: Record<string, unknown> }).data;
  assert.equal(data.status_code, 200);
  assert.deepEqual(data.result, { method: 'POST', ua: 'weft-test' });

  const curl = new FlowBuilder();
  const curlNode = curl.node('APIRequest', { mode: 'cURL', curl_input: `curl -X PUT '${base}/json' -H 'User-Agent: from-curl' -d '{"x":1}'` });
  const curlResponse = await runFlow({ flow: curl.build(), registry, outputType: 'debug', services: { allowedHosts: '127.0.0.1' } });
  const curlData = (curlResponse.outputs[0].outputs.find((o) => o.component_id === curlNode)!.results.data as { data: Record<string, unknown> }).data;
  assert.deepEqual(curlData.result, { method: 'PUT', ua: 'from-curl' });

  await assert.rejects(runFlow({ flow: flow.build(), registry, outputType: 'debug', services: { allowedHosts: '' } }), /private or reserved address/);
});
