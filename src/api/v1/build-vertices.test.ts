import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { chainFlowData, createTestFlow, createTestUser, vertexIdsOf, type TestUser } from '../../../test-utils/job-fixtures.js';
import { jobTestRegistry } from '../../../test-utils/job-components.js';
import { openDatabase, type Database } from '../../services/database/index.js';
import { loadSettings } from '../../services/settings.js';
import { createApp } from '../app.js';
import { createApiAuth } from '../auth.js';

interface VertexBuild {
  id: string;
  inactivated_vertices: string[];
  next_vertices_ids: string[];
  top_level_vertices: string[];
  valid: boolean;
  params: unknown;
  data: { results: Record<string, unknown>; outputs: Record<string, { message: unknown; type: string }> };
  timestamp: string;
}

describe('legacy vertex-by-vertex build API', () => {
  let dir: string;
  let database: Database;
  let app: FastifyInstance;
  let base: string;
  let owner: TestUser;
  let stranger: TestUser;
  let flowId: string;
  let flowData: Record<string, unknown>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'weft-vertices-'));
    const settings = loadSettings({ LANGFLOW_CONFIG_DIR: dir, LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SECRET_KEY: 'test-secret-key-test-secret-key-0123' });
    database = await openDatabase(settings);
    app = await createApp({ settings, database, auth: createApiAuth(settings, database), registry: jobTestRegistry() });
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    owner = await createTestUser(database, 'owner');
    stranger = await createTestUser(database, 'stranger');
    flowData = chainFlowData(1);
    flowId = (await createTestFlow(database, owner, flowData)).id;
  });

  after(async () => {
    await app?.close();
    await database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = (path: string, init: RequestInit & { user?: TestUser } = {}) =>
    fetch(base + path, { ...init, headers: { 'content-type': 'application/json', 'x-api-key': (init.user ?? owner).apiKey, ...(init.headers ?? {}) } });

  async function order(user = owner, body: unknown = null): Promise<{ ids: string[]; run_id: string; vertices_to_run: string[] }> {
    const response = await call(`/api/v1/build/${flowId}/vertices`, { method: 'POST', user, body: body === null ? undefined : JSON.stringify(body) });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as { ids: string[]; run_id: string; vertices_to_run: string[] };
  }

  async function buildVertex(vertexId: string, body: unknown = {}): Promise<VertexBuild> {
    const response = await call(`/api/v1/build/${flowId}/vertices/${encodeURIComponent(vertexId)}`, { method: 'POST', body: JSON.stringify(body) });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as VertexBuild;
  }

  test('ChatInput → Prompt → ChatOutput built vertex by vertex, following next_vertices_ids', async () => {
    const [inputId, promptId, outputId] = vertexIdsOf(flowData);
    const sorted = await order();
    assert.deepEqual(sorted.ids, [inputId]);
    assert.match(sorted.run_id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(new Set(sorted.vertices_to_run), new Set([inputId, promptId, outputId]));

    const built: VertexBuild[] = [];
    let frontier = sorted.ids;
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const id of frontier) {
        const build = await buildVertex(id, id === inputId ? { inputs: { input_value: 'hello' } } : {});
        assert.equal(build.id, id);
        assert.equal(build.valid, true, JSON.stringify(build));
        assert.deepEqual(build.top_level_vertices, build.next_vertices_ids);
        assert.match(build.timestamp, /^\d{4}-\d{2}-\d{2}[ T]\d{2}:/);
        built.push(build);
        next.push(...build.next_vertices_ids);
      }
      frontier = next;
    }
    assert.deepEqual(built.map((b) => b.id), [inputId, promptId, outputId]);
    assert.deepEqual(built[0].next_vertices_ids, [promptId]);
    assert.deepEqual(built[2].next_vertices_ids, []);
    assert.match(JSON.stringify(built[2].data.results), /hello\.0/);

    // The built ChatOutput's text, as Langflow's legacy stream route sends it.
    const stream = await call(`/api/v1/build/${flowId}/${outputId}/stream`);
    assert.equal(stream.status, 200);
    assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
    const text = await stream.text();
    assert.match(text, /^event: message\ndata: \{"message": "Streaming vertex /);
    assert.match(text, /event: message\ndata: \{"chunk": "hello\.0"\}/);
    assert.match(text, /event: close\ndata: \{"message": "Stream closed"\}\n\n$/);
  });

  test('a vertex call with no prepared run prepares one from the stored flow', async () => {
    const [inputId, promptId] = vertexIdsOf(flowData);
    const fresh = await createTestFlow(database, owner, flowData);
    const response = await call(`/api/v1/build/${fresh.id}/vertices/${inputId}`, { method: 'POST', body: JSON.stringify({ inputs: { input_value: 'x' } }) });
    assert.equal(response.status, 200);
    assert.deepEqual(((await response.json()) as VertexBuild).next_vertices_ids, [promptId]);
  });

  test('start and stop component together are a 400, as the flow build answers', async () => {
    const [inputId, , outputId] = vertexIdsOf(flowData);
    const response = await call(`/api/v1/build/${flowId}/vertices?start_component_id=${inputId}&stop_component_id=${outputId}`, { method: 'POST' });
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { detail: 'You can only provide one of start_component_id or stop_component_id' });
  });

  test('unknown flow: 404 Flow not found on every route', async () => {
    const missing = randomUUID();
    for (const [method, path] of [
      ['POST', `/api/v1/build/${missing}/vertices`],
      ['POST', `/api/v1/build/${missing}/vertices/ChatInput-x`],
      ['GET', `/api/v1/build/${missing}/ChatInput-x/stream`],
    ] as const) {
      const response = await call(path, { method });
      assert.equal(response.status, 404, path);
      assert.deepEqual(await response.json(), { detail: 'Flow not found' });
    }
  });

  test('unknown vertex: 404 naming it, not a 500', async () => {
    await order();
    const response = await call(`/api/v1/build/${flowId}/vertices/NoSuch-abc`, { method: 'POST', body: '{}' });
    assert.equal(response.status, 404);
    assert.deepEqual(await response.json(), { detail: 'Vertex NoSuch-abc not found' });
  });

  test("another user's flow and run are 404 to a stranger", async () => {
    const [inputId] = vertexIdsOf(flowData);
    await order();
    for (const [method, path] of [
      ['POST', `/api/v1/build/${flowId}/vertices`],
      ['POST', `/api/v1/build/${flowId}/vertices/${inputId}`],
      ['GET', `/api/v1/build/${flowId}/${inputId}/stream`],
    ] as const) {
      const response = await call(path, { method, user: stranger });
      assert.equal(response.status, 404, path);
    }
  });

  test('without credentials the routes are refused', async () => {
    const response = await fetch(`${base}/api/v1/build/${flowId}/vertices`, { method: 'POST' });
    assert.equal(response.status, 403);
  });
});
