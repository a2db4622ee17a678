import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { until } from '../../test-utils/job-fixtures.js';
import { startStandin, type LlmStandin } from '../../test-utils/llm-standin.js';
import { AGENT_SPANS, API_KEY, calculatorAgentFlow, calculatorResponder, CHAT_TREE, shapeOf } from '../../test-utils/trace-fixtures.js';
import { addUser, startTestServer, type TestServer, type TestUser } from '../../test-utils/api-server.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`traces of runs (/api/v1/monitor/traces) [${dialect}]`, { concurrency: false }, () => {
    let server: TestServer;
    let standin: LlmStandin;
    let owner: TestUser;
    let other: TestUser;

    before(async () => {
      standin = await startStandin();
      server = await startTestServer(dialect, { LANGFLOW_DEVELOPER_API_ENABLED: 'true' });
      owner = await addUser(server.database, 'traces');
      other = await addUser(server.database, 'intruder');
    });
    after(async () => {
      await server?.stop();
      await standin?.close();
    });
    beforeEach(() => {
      standin.reset();
      calculatorResponder(standin);
    });

    async function createFlow(user: TestUser, name: string, source: 'chat' | 'webhook' = 'chat'): Promise<string> {
      const flow = calculatorAgentFlow(name, standin.baseUrl, source);
      const created = await server.call('/api/v1/flows/', { method: 'POST', headers: user.headers, json: { name, data: flow.data } });
      assert.equal(created.status, 201, created.text);
      return (created.body as Json).id;
    }

    async function tracesOf(flowId: string, user = owner, extra = ''): Promise<Json> {
      const listed = await server.call(`/api/v1/monitor/traces?flow_id=${flowId}${extra}`, { headers: user.headers });
      assert.equal(listed.status, 200, listed.text);
      return listed.body as Json;
    }

    async function onlyTrace(flowId: string): Promise<Json> {
      const listed = await until('a trace of the run', async () => ((await tracesOf(flowId)).traces as Json[])[0]);
      const read = await server.call(`/api/v1/monitor/traces/${listed.id}`, { headers: owner.headers });
      assert.equal(read.status, 200, read.text);
      return read.body as Json;
    }

    test('/run: the agent’s tree, token counts from the provider, statuses, masked key, trace fields', async () => {
      const flowId = await createFlow(owner, 'traced run');
      const ran = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: owner.headers, json: { input_value: 'add 2 and 40', session_id: 's-run' } });
      assert.equal(ran.status, 200, ran.text);
      const trace = await onlyTrace(flowId);
      assert.deepEqual(shapeOf(trace.spans), CHAT_TREE);
      assert.equal(trace.name, `traced run - ${flowId}`);
      assert.equal(trace.status, 'ok');
      assert.equal(trace.flowId, flowId);
      assert.equal(trace.sessionId, 's-run');
      assert.equal(trace.totalTokens, 27 + 34);
      assert.deepEqual(trace.input, { input_value: 'add 2 and 40' });
      assert.equal(trace.output.message.text, 'Sum: 42');
      assert.ok(trace.totalLatencyMs >= 0 && Date.parse(trace.endTime) >= Date.parse(trace.startTime));
      const agent = trace.spans[2];
      assert.equal(agent.inputs.api_key, '***REDACTED***', 'the password field is masked as in transaction logs');
      assert.ok(!JSON.stringify(trace).includes(API_KEY), 'the key appears nowhere');
      const tool = agent.children[1];
      assert.deepEqual(tool.inputs, { expression: '2+40' });
      assert.equal(tool.outputs.output.data.result, '42');
      assert.deepEqual(agent.children[0].outputs.tool_calls, [{ name: 'evaluate_expression', arguments: { expression: '2+40' } }]);
      assert.equal(agent.children[2].outputs.text, 'Sum: 42');
      for (const span of [agent, ...agent.children]) assert.ok(Date.parse(span.endTime) >= Date.parse(span.startTime));
    });

    test('/run streamed: the same tree, usage read from the stream', async () => {
      const flowId = await createFlow(owner, 'traced stream');
      const ran = await server.call(`/api/v1/run/${flowId}?stream=true`, { method: 'POST', headers: owner.headers, json: { input_value: 'add 2 and 40' } });
      assert.equal(ran.status, 200, ran.text);
      assert.deepEqual(shapeOf((await onlyTrace(flowId)).spans), CHAT_TREE);
    });

    test('/build: the same tree', async () => {
      const flowId = await createFlow(owner, 'traced build');
      const started = await server.call(`/api/v1/build/${flowId}/flow`, { method: 'POST', headers: owner.headers, json: { inputs: { input_value: 'add 2 and 40' } } });
      assert.equal(started.status, 200, started.text);
      const events = await server.call(`/api/v1/build/${(started.body as Json).job_id}/events`, { headers: owner.headers });
      assert.match(events.text, /"event": "end"/);
      const trace = await onlyTrace(flowId);
      assert.deepEqual(shapeOf(trace.spans), CHAT_TREE);
      assert.equal(trace.totalTokens, 61);
    });

    test('webhook: Webhook and Parser spans, then the agent’s', async () => {
      const flowId = await createFlow(owner, 'traced webhook', 'webhook');
      const started = await server.call(`/api/v1/webhook/${flowId}`, { method: 'POST', json: { question: 'add 2 and 40' } });
      assert.equal(started.status, 202, started.text);
      const trace = await onlyTrace(flowId);
      assert.deepEqual(shapeOf(trace.spans), [
        { name: 'Webhook', type: 'chain', status: 'ok' },
        { name: 'Calculator', type: 'chain', status: 'ok' },
        { name: 'Parser', type: 'parser', status: 'ok' },
        AGENT_SPANS,
        { name: 'Chat Output', type: 'chain', status: 'ok' },
      ]);
      assert.equal(trace.totalTokens, 61);
    });

    test('/run/advanced, v2 workflows, /responses and MCP tool calls record the same tree', async () => {
      const flowId = await createFlow(owner, 'traced entry points');
      const patched = await server.call(`/api/v1/flows/${flowId}`, { method: 'PATCH', headers: owner.headers, json: { mcp_enabled: true } });
      assert.equal(patched.status, 200, patched.text);
      const advanced = await server.call(`/api/v1/run/advanced/${flowId}`, { method: 'POST', headers: owner.headers, json: { inputs: [{ input_value: 'add 2 and 40', type: 'chat' }] } });
      assert.equal(advanced.status, 200, advanced.text);
      const workflow = await server.call('/api/v2/workflows', { method: 'POST', headers: owner.headers, json: { flow_id: flowId, input_value: 'add 2 and 40' } });
      assert.equal(workflow.status, 200, workflow.text);
      const responses = await server.call('/api/v1/responses', { method: 'POST', headers: owner.headers, json: { model: flowId, input: 'add 2 and 40' } });
      assert.equal(responses.status, 200, responses.text);
      const client = new Client({ name: 'traces-test', version: '1.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/api/v1/mcp/streamable`), { requestInit: { headers: owner.headers } }));
      try {
        const { tools } = await client.listTools();
        const tool = tools.find((t) => t.name.includes('entry'));
        assert.ok(tool, JSON.stringify(tools.map((t) => t.name)));
        await client.callTool({ name: tool.name, arguments: { input_value: 'add 2 and 40' } });
      } finally {
        await client.close();
      }
      const listed = await until('four traces', async () => {
        const traces = (await tracesOf(flowId)).traces as Json[];
        return traces.length === 4 ? traces : undefined;
      });
      for (const summary of listed) {
        const read = await server.call(`/api/v1/monitor/traces/${summary.id}`, { headers: owner.headers });
        assert.deepEqual(shapeOf((read.body as Json).spans), CHAT_TREE);
      }
    });

    test('a failing model call: an error span under an error agent span, and the trace is an error', async () => {
      const flowId = await createFlow(owner, 'traced failure');
      standin.respondWith(() => ({ status: 400, error: { message: 'model says no' } }));
      const ran = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: owner.headers, json: { input_value: 'add 2 and 40' } });
      assert.notEqual(ran.status, 200);
      const trace = await onlyTrace(flowId);
      assert.equal(trace.status, 'error');
      const agent = trace.spans.find((s: Json) => s.name === 'Agent');
      assert.equal(agent.status, 'error');
      assert.match(agent.error, /model says no/);
      assert.deepEqual(shapeOf(agent.children), [{ name: 'chat gpt-4o-mini', type: 'llm', status: 'error', modelName: 'gpt-4o-mini' }]);
      assert.match(agent.children[0].error, /model says no/);
      assert.equal(trace.spans.some((s: Json) => s.name === 'Chat Output'), false, 'nothing after the failure ran');
    });

    test('filters, paging and the query', async () => {
      const flowId = await createFlow(owner, 'paged flow');
      standin.respondWith(() => 'plain answer');
      for (const session of ['alpha', 'alpha', 'beta']) {
        const ran = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: owner.headers, json: { input_value: 'hi', session_id: session } });
        assert.equal(ran.status, 200, ran.text);
      }
      const all = await tracesOf(flowId);
      assert.equal(all.total, 3);
      assert.equal(all.pages, 1);
      const times = (all.traces as Json[]).map((t) => Date.parse(t.startTime));
      assert.deepEqual(times, [...times].sort((a, b) => b - a), 'newest first');
      assert.equal((await tracesOf(flowId, owner, '&session_id=alpha')).total, 2);
      assert.equal((await tracesOf(flowId, owner, '&status=ok')).total, 3);
      assert.equal((await tracesOf(flowId, owner, '&status=error')).total, 0);
      assert.equal((await tracesOf(flowId, owner, '&query=BETA')).total, 1, 'the session id, case-insensitively');
      assert.equal((await tracesOf(flowId, owner, '&query=paged')).total, 3, 'the name');
      const id = (all.traces as Json[])[1].id as string;
      assert.deepEqual(((await tracesOf(flowId, owner, `&query=${id.slice(0, 13)}`)).traces as Json[]).map((t) => t.id), [id], 'the id');
      const page = await tracesOf(flowId, owner, '&size=2&page=2');
      assert.equal(page.total, 3);
      assert.equal(page.pages, 2);
      assert.deepEqual((page.traces as Json[]).map((t) => t.id), [(all.traces as Json[])[2].id]);
      const middle = (all.traces as Json[])[1].startTime as string;
      assert.equal((await tracesOf(flowId, owner, `&end_time=${encodeURIComponent(middle)}`)).total, 2);
      assert.equal((await tracesOf(flowId, owner, `&start_time=${encodeURIComponent(middle)}`)).total, 2);
      assert.equal((await tracesOf(flowId, owner, '&start_time=2999-01-01')).total, 0);
      const everything = await server.call('/api/v1/monitor/traces?size=200', { headers: owner.headers });
      assert.ok((everything.body as Json).total >= 3, 'without flow_id: all of the user’s traces');
    });

    test('422s in FastAPI’s shape for bad parameters', async () => {
      const cases: [string, string, string][] = [
        ['size=0', 'size', 'greater_than_equal'],
        ['size=201', 'size', 'less_than_equal'],
        ['page=-1', 'page', 'greater_than_equal'],
        ['page=x', 'page', 'int_parsing'],
        ['status=done', 'status', 'enum'],
        ['flow_id=nope', 'flow_id', 'uuid_parsing'],
        ['start_time=yesterday', 'start_time', 'datetime_from_date_parsing'],
      ];
      for (const [query, field, type] of cases) {
        const response = await server.call(`/api/v1/monitor/traces?${query}`, { headers: owner.headers });
        assert.equal(response.status, 422, query);
        const [item] = (response.body as Json).detail as Json[];
        assert.deepEqual([item.loc, item.type], [['query', field], type], query);
      }
      assert.equal((await server.call('/api/v1/monitor/traces?page=0', { headers: owner.headers })).status, 200, 'page 0 is the first page (the seeds: page ≥ 0)');
      const badId = await server.call('/api/v1/monitor/traces/not-a-uuid', { headers: owner.headers });
      assert.equal(badId.status, 422);
      assert.deepEqual((badId.body as Json).detail[0].loc, ['path', 'trace_id']);
      const noFlow = await server.call('/api/v1/monitor/traces', { method: 'DELETE', headers: owner.headers });
      assert.equal(noFlow.status, 422);
      const anonymous = await server.call('/api/v1/monitor/traces');
      assert.ok(anonymous.status === 401 || anonymous.status === 403, String(anonymous.status));
    });

    test('owner scoping and deletion', async () => {
      const flowId = await createFlow(owner, 'deleted traces');
      standin.respondWith(() => 'plain answer');
      for (let i = 0; i < 3; i++) assert.equal((await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: owner.headers, json: { input_value: 'hi' } })).status, 200);
      const traces = (await tracesOf(flowId)).traces as Json[];
      assert.equal(traces.length, 3);
      // Another user sees nothing of them, and cannot read or delete them.
      assert.equal((await tracesOf(flowId, other)).total, 0);
      assert.equal((await server.call(`/api/v1/monitor/traces/${traces[0].id}`, { headers: other.headers })).status, 404);
      assert.equal((await server.call(`/api/v1/monitor/traces/${traces[0].id}`, { method: 'DELETE', headers: other.headers })).status, 404);
      assert.equal((await server.call(`/api/v1/monitor/traces?flow_id=${flowId}`, { method: 'DELETE', headers: other.headers })).status, 404);
      assert.equal((await tracesOf(flowId)).total, 3);
      // The owner deletes one, then the rest.
      assert.equal((await server.call(`/api/v1/monitor/traces/${traces[0].id}`, { method: 'DELETE', headers: owner.headers })).status, 204);
      assert.equal((await server.call(`/api/v1/monitor/traces/${traces[0].id}`, { headers: owner.headers })).status, 404);
      assert.equal((await tracesOf(flowId)).total, 2);
      assert.equal((await server.call(`/api/v1/monitor/traces?flow_id=${flowId}`, { method: 'DELETE', headers: owner.headers })).status, 204);
      assert.equal((await tracesOf(flowId)).total, 0);
      // Deleting the flow deletes its traces.
      assert.equal((await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: owner.headers, json: { input_value: 'hi' } })).status, 200);
      assert.equal((await tracesOf(flowId)).total, 1);
      assert.equal((await server.call(`/api/v1/flows/${flowId}`, { method: 'DELETE', headers: owner.headers })).status, 200);
      const left = await server.database.db.selectFrom('trace').select('id').where('flow_id', '=', flowId).execute();
      assert.deepEqual(left, []);
    });
  });
}
