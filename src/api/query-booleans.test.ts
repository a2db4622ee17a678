import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exampleFlows } from './examples/index.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const [promptEcho] = exampleFlows();

/** Boolean query parameters are read as FastAPI/pydantic reads them, on every route. */
describe('boolean query parameters', () => {
  let server: TestServer;
  let apiKey: string;
  let token: string;
  let flowId: string;

  before(async () => {
    server = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass' });
    const login = await server.call('/api/v1/login', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=admin-pass',
    });
    token = (login.body as Json).access_token;
    const auth = { authorization: `Bearer ${token}` };
    apiKey = ((await server.call('/api/v1/api_key/', { method: 'POST', headers: auth, json: { name: 'bools' } })).body as Json).api_key;
    flowId = ((await server.call('/api/v1/flows/', { method: 'POST', headers: auth, json: { ...promptEcho, id: undefined } })).body as Json).id;
  });
  after(async () => server?.stop());

  const run = (stream: string) => server.call(`/api/v1/run/${flowId}?stream=${encodeURIComponent(stream)}`, {
    method: 'POST', headers: { 'x-api-key': apiKey }, json: { input_value: 'hi' },
  });

  test('/run?stream=false (and every pydantic false spelling) answers one JSON result', async () => {
    for (const value of ['false', 'False', 'FALSE', '0', 'no', 'off', 'f', 'n', 'N']) {
      const response = await run(value);
      assert.equal(response.status, 200, `${value}: ${response.text}`);
      assert.match(response.headers.get('content-type') ?? '', /application\/json/, value);
      assert.equal((response.body as Json).outputs[0].outputs[0].results.message.text, 'You said: hi', value);
    }
  });

  test('/run?stream=true (and every pydantic true spelling) streams its events', async () => {
    for (const value of ['true', 'True', '1', 'yes', 'on', 't', 'Y']) {
      const response = await run(value);
      assert.equal(response.status, 200, value);
      assert.match(response.headers.get('content-type') ?? '', /text\/event-stream/, value);
      assert.match(response.text, /"event": "end"/, value);
    }
  });

  test('/run?stream=maybe is a 422 bool_parsing for query.stream', async () => {
    for (const value of ['maybe', '', '2']) {
      const response = await run(value);
      assert.equal(response.status, 422, value);
      assert.deepEqual((response.body as Json).detail, [
        { type: 'bool_parsing', loc: ['query', 'stream'], msg: 'Input should be a valid boolean, unable to interpret input', input: value },
      ]);
    }
  });

  test('other routes read booleans the same way (flows get_all, projects is_flow)', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const flows = await server.call('/api/v1/flows/?get_all=No&header_flows=YES', { headers: auth });
    assert.equal(flows.status, 200, flows.text);
    const page = flows.body as Json;
    assert.ok(Array.isArray(page.items) && page.items.length > 0, 'get_all=No gives a page');
    assert.ok(page.items.every((f: Json) => !('user_id' in f)), 'header_flows=YES gives headers');
    const bad = await server.call('/api/v1/flows/?remove_example_flows=nope', { headers: auth });
    assert.equal(bad.status, 422);
    assert.deepEqual((bad.body as Json).detail[0].loc, ['query', 'remove_example_flows']);
    assert.equal((bad.body as Json).detail[0].type, 'bool_parsing');
  });

  test('MCP project tools: mcp_enabled=False lists every flow, a bad value is a 422', async () => {
    const auth = { authorization: `Bearer ${token}` };
    const flow = (await server.call(`/api/v1/flows/${flowId}`, { headers: auth })).body as Json;
    const all = await server.call(`/api/v1/mcp/project/${flow.folder_id}?mcp_enabled=False`, { headers: auth });
    assert.equal(all.status, 200, all.text);
    assert.ok((all.body as Json).tools.some((t: Json) => t.id === flowId));
    const bad = await server.call(`/api/v1/mcp/project/${flow.folder_id}?mcp_enabled=sometimes`, { headers: auth });
    assert.equal(bad.status, 422);
    assert.deepEqual((bad.body as Json).detail[0].loc, ['query', 'mcp_enabled']);
  });
});
