import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exampleFlows } from '../../src/api/examples/index.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';
import { rawRequest } from '../../test-utils/raw-http.js';
import { startAttackTarget, type AttackTarget } from './api-surface.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * What the OpenAPI fuzz run (`fuzz-openapi.test.ts`) found, one test per finding: each answered a
 * 5xx, stalled the server, or sent an answer no client could read.
 */
describe('fuzz findings: malformed requests that answered 5xx or stalled', () => {
  let target: AttackTarget;
  let webhookFlowId: string;
  before(async () => {
    target = await startAttackTarget();
    const [, webhookParser] = exampleFlows();
    const created = await target.server.call('/api/v1/flows/', { method: 'POST', headers: target.headers, json: { ...webhookParser, id: undefined, name: 'Webhook' } });
    assert.equal(created.status, 201, created.text);
    webhookFlowId = (created.body as Json).id as string;
  });
  after(async () => target?.server.stop());

  const post = (path: string, body: string, method = 'POST') =>
    rawRequest(target.server.url, path, { method, headers: { ...target.headers, 'content-type': 'application/json' }, body });

  test('JSON nested 10,000 deep is a 422 on the routes with parsers of their own (/run, /run/advanced, webhooks, builds)', async () => {
    const deep = `{"input_value": "x", "tweaks": ${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`;
    const job = await target.server.call(`/api/v1/build/${target.canary.flowId}/flow`, { method: 'POST', headers: target.headers, json: {} });
    for (const path of [
      `/api/v1/run/${target.canary.flowId}`,
      `/api/v1/run/advanced/${target.canary.flowId}`,
      `/api/v1/webhook/${webhookFlowId}`,
      `/api/v1/build/${target.canary.flowId}/flow`,
      `/api/v1/build/${(job.body as Json).job_id as string}/cancel`,
    ]) {
      const response = await post(path, deep);
      assert.equal(response.status, 422, `${path}: ${response.text.slice(0, 300)}`);
      const [item] = (response.body as Json).detail as Json[];
      assert.equal(item.type, 'json_invalid', path);
      assert.match(String(item.ctx.error), /Nesting deeper than 512 levels/, path);
    }
    assert.equal((await target.server.call('/health')).status, 200);
  });

  test('malformed JSON to the build API is FastAPI’s 422 with Python’s position and message, not a 500', async () => {
    for (const path of [`/api/v1/build/${target.canary.flowId}/flow`, `/api/v1/build_public_tmp/${target.canary.flowId}/flow`]) {
      const response = await post(path, '{"inputs": ');
      assert.equal(response.status, 422, `${path}: ${response.text}`);
      assert.deepEqual(response.body, { detail: [{ type: 'json_invalid', loc: ['body', 11], msg: 'JSON decode error', input: {}, ctx: { error: 'Expecting value' } }] });
    }
  });

  test('integers beyond 2^53 (1e400, 10^23) in the query are a 422, and a huge page is an empty page', async () => {
    for (const query of ['skip=1e400', 'limit=99999999999999999999999', 'skip=-1e400']) {
      const response = await target.server.call(`/api/v1/users/?${query}`, { headers: target.headers });
      assert.equal(response.status, 422, `${query}: ${response.text}`);
      const [item] = (response.body as Json).detail as Json[];
      assert.ok(['less_than_equal', 'greater_than_equal'].includes(item.type as string), `${query}: ${response.text}`);
    }
    // A run leaves transactions, so the page query reaches the database.
    assert.equal((await target.server.call(`/api/v1/run/${target.canary.flowId}`, { method: 'POST', headers: target.headers, json: { input_value: 'x' } })).status, 200);
    const base = `/api/v1/monitor/transactions?flow_id=${target.canary.flowId}`;
    assert.equal((await target.server.call(`${base}&page=1e400`, { headers: target.headers })).status, 422);
    const farPage = await target.server.call(`${base}&page=${Number.MAX_SAFE_INTEGER}&size=100`, { headers: target.headers });
    assert.equal(farPage.status, 200, farPage.text);
    assert.deepEqual((farPage.body as Json).items, []);
  });

  test('a 1 MB project name is stored, and a second one gets Langflow’s " (1)" (SQLite refused the LIKE pattern)', async () => {
    const name = 'P'.repeat(1024 * 1024);
    const first = await target.server.call('/api/v1/projects/', { method: 'POST', headers: target.headers, json: { name } });
    assert.equal(first.status, 201, first.text.slice(0, 300));
    assert.equal(((first.body as Json).name as string).length, name.length);
    const second = await target.server.call('/api/v1/projects/', { method: 'POST', headers: target.headers, json: { name } });
    assert.equal(second.status, 201, second.text.slice(0, 300));
    assert.equal((second.body as Json).name, `${name} (1)`);
  });

  test('a Store API key too long for its cookie is a 422 (a 1 MB one made a 1.4 MB Set-Cookie no client could read)', async () => {
    const tooLong = await post('/api/v1/api_key/store', JSON.stringify({ api_key: 'k'.repeat(1024 * 1024) }));
    assert.equal(tooLong.status, 422, tooLong.text.slice(0, 300));
    const [item] = (tooLong.body as Json).detail as Json[];
    assert.deepEqual([item.type, item.loc, item.msg], ['string_too_long', ['body', 'api_key'], 'String should have at most 2048 characters']);
    const longest = await post('/api/v1/api_key/store', JSON.stringify({ api_key: 'k'.repeat(2048) }));
    assert.equal(longest.status, 200, longest.text);
  });

  test('a million wrong items answer a short 422 quickly (it took 12 s of CPU and answered 94 MB)', async () => {
    const million = `[${'0,'.repeat(999_999)}0]`;
    for (const [method, path, body] of [
      ['DELETE', '/api/v1/flows/', million],
      ['POST', '/api/v1/flows/download/', million],
      ['POST', `/api/v1/run/advanced/${target.canary.flowId}`, `{"inputs": ${million}}`],
    ] as const) {
      const response = await post(path, body, method);
      assert.equal(response.status, 422, `${method} ${path}: ${response.text.slice(0, 300)}`);
      const detail = (response.body as Json).detail as Json[];
      assert.ok(detail.length >= 1 && detail.length <= 100, `${method} ${path}: ${detail.length} items`);
      assert.ok(response.text.length < 100_000, `${method} ${path}: ${response.text.length} characters`);
      assert.ok(response.elapsedMs < 5_000, `${method} ${path}: ${Math.round(response.elapsedMs)} ms`);
    }
    // Small bodies still list every error, as FastAPI does.
    const three = await post('/api/v1/flows/', '[1, 2, 3]', 'DELETE');
    assert.equal(((three.body as Json).detail as Json[]).length, 3, three.text);
  });
});

describe('fuzz findings on PostgreSQL', () => {
  let server: TestServer;
  let headers: Record<string, string>;
  before(async () => {
    server = await startTestServer('postgres');
    headers = { authorization: `Bearer ${((await server.call('/api/v1/auto_login')).body as Json).access_token as string}`, 'content-type': 'application/json' };
  });
  after(async () => server?.stop());

  test('a NUL character in stored text is a 422 (PostgreSQL refuses it; it answered 500)', async () => {
    for (const [path, body] of [
      ['/api/v1/flows/', '{"name": "a\\u0000b"}'],
      ['/api/v1/projects/', '{"name": "a\\u0000b"}'],
      ['/api/v1/variables/', '{"name": "V\\u0000", "value": "x"}'],
    ]) {
      const response = await server.call(path, { method: 'POST', headers, body });
      assert.equal(response.status, 422, `${path}: ${response.text}`);
      assert.deepEqual(response.body, { detail: 'Text cannot contain the NUL character (\\u0000)' });
    }
    const read = await server.call('/api/v1/monitor/messages?session_id=a%00b', { headers });
    assert.equal(read.status, 422, read.text);
  });
});
