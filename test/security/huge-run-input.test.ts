import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest } from '../../test-utils/raw-http.js';
import { exampleFlows } from '../../src/api/examples/index.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, unknown>;

/** The attack: a 100 MB `input_value` to `/run` stalled the server for 35 s and then answered 500. */
describe('attack: a huge input_value to /run', () => {
  let server: TestServer;
  let flowId: string;
  let apiKey: string;

  before(async () => {
    server = await startTestServer('sqlite');
    const auth = { authorization: `Bearer ${((await server.call('/api/v1/auto_login')).body as Json).access_token as string}` };
    apiKey = ((await server.call('/api/v1/api_key/', { method: 'POST', headers: auth, json: { name: 'huge' } })).body as Json).api_key as string;
    const [promptEcho] = exampleFlows();
    flowId = ((await server.call('/api/v1/flows/', { method: 'POST', headers: auth, json: { ...promptEcho, id: undefined } })).body as Json).id as string;
  });
  after(async () => server?.stop());

  test('answers 413 at once and keeps serving others meanwhile', async () => {
    // Bytes ready before the clock starts: the client shares this process's event loop with the server.
    const body = Buffer.from(JSON.stringify({ input_value: 'x'.repeat(100 * 1024 * 1024), input_type: 'chat', output_type: 'chat' }));
    const huge = rawRequest(server.url, `/api/v1/run/${flowId}`, { method: 'POST', headers: { 'x-api-key': apiKey, 'content-type': 'application/json' }, body });
    const started = performance.now();
    const health = await server.call('/health');
    assert.equal(health.status, 200);
    assert.ok(performance.now() - started < 1000, 'the event loop stalled');
    const response = await huge;
    assert.equal(response.status, 413, response.text.slice(0, 300));
    assert.ok(response.elapsedMs < 3000, `took ${response.elapsedMs} ms`);
    assert.match(String((response.body as Json).detail), /WEFT_MAX_BODY_SIZE_MB/);
    const normal = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: { 'x-api-key': apiKey }, json: { input_value: 'hi' } });
    assert.equal(normal.status, 200, normal.text);
  });
});
