import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { until } from '../../test-utils/job-fixtures.js';
import { startStandin, type LlmStandin } from '../../test-utils/llm-standin.js';
import { calculatorAgentFlow, calculatorResponder } from '../../test-utils/trace-fixtures.js';
import { addUser, startTestServer, type TestServer, type TestUser } from '../../test-utils/api-server.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** A small OTLP/HTTP receiver on loopback: keeps every JSON export request it is sent. */
async function startOtlpReceiver(): Promise<{ server: Server; url: string; requests: { path: string; contentType: string; key: string; body: Json }[] }> {
  const requests: { path: string; contentType: string; key: string; body: Json }[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    requests.push({ path: req.url ?? '', contentType: String(req.headers['content-type']), key: String(req.headers['x-collector-key']), body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Json });
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests };
}

/** OTLP/JSON attributes as a plain object. */
function attributes(list: { key: string; value: Json }[] = []): Json {
  return Object.fromEntries(list.map(({ key, value }) => [key, value.stringValue ?? (value.intValue !== undefined ? Number(value.intValue) : (value.boolValue ?? value.doubleValue))]));
}

/** A sample's value in the Prometheus text format, or undefined. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const found = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]));
    if (Object.entries(labels).every(([k, v]) => found[k] === v)) return Number(match[3]);
  }
  return undefined;
}

describe('Prometheus metrics and OTLP export of traces', { concurrency: false }, () => {
  let server: TestServer;
  let standin: LlmStandin;
  let receiver: Awaited<ReturnType<typeof startOtlpReceiver>>;
  let owner: TestUser;
  let flowId: string;

  before(async () => {
    standin = await startStandin();
    calculatorResponder(standin);
    receiver = await startOtlpReceiver();
    server = await startTestServer('sqlite', { LANGFLOW_PROMETHEUS_ENABLED: 'true', LANGFLOW_PROMETHEUS_PORT: '0', OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_HEADERS: 'x-collector-key=abc' });
    owner = await addUser(server.database, 'observed');
    const flow = calculatorAgentFlow('observed flow', standin.baseUrl);
    const created = await server.call('/api/v1/flows/', { method: 'POST', headers: owner.headers, json: { name: 'observed flow', data: flow.data } });
    flowId = (created.body as Json).id;
    for (let i = 0; i < 2; i++) {
      const ran = await server.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: owner.headers, json: { input_value: 'add 2 and 40' } });
      assert.equal(ran.status, 200, ran.text);
    }
    const started = await server.call(`/api/v1/build/${flowId}/flow`, { method: 'POST', headers: owner.headers, json: { inputs: { input_value: 'add 2 and 40' } } });
    await server.call(`/api/v1/build/${(started.body as Json).job_id}/events`, { headers: owner.headers });
    assert.equal((await server.call('/api/v1/flows/not-a-flow-at-all', { headers: owner.headers })).status, 422);
  });
  after(async () => {
    await server?.stop();
    await standin?.close();
    receiver?.server.closeAllConnections();
    await new Promise((resolve) => receiver?.server.close(resolve));
  });

  test('GET /metrics over HTTP: runs, durations, tokens, jobs, queue depth, HTTP requests, process defaults', async () => {
    const url = server.app.weft.observability.metricsUrl;
    assert.ok(url, 'the metrics server is listening');
    const text = await until('the build job to be counted', async () => {
      const response = await fetch(url);
      assert.equal(response.status, 200);
      assert.match(String(response.headers.get('content-type')), /^text\/plain/);
      const body = await response.text();
      return sample(body, 'weft_jobs_total', { kind: 'build', outcome: 'completed' }) === 1 ? body : undefined;
    });
    assert.equal(sample(text, 'weft_flow_runs_total', { flow_id: flowId, outcome: 'ok' }), 3);
    assert.equal(sample(text, 'weft_flow_run_duration_seconds_count', { outcome: 'ok' }), 3);
    assert.equal(sample(text, 'weft_component_duration_seconds_count', { component: 'Agent', status: 'ok' }), 3);
    assert.equal(sample(text, 'weft_component_duration_seconds_count', { component: 'ChatInput', status: 'ok' }), 3);
    assert.equal(sample(text, 'weft_model_calls_total', { provider: 'OpenAI', model: 'gpt-4o-mini', status: 'ok' }), 6);
    assert.equal(sample(text, 'weft_model_tokens_total', { provider: 'OpenAI', model: 'gpt-4o-mini', kind: 'prompt' }), 3 * (20 + 30));
    assert.equal(sample(text, 'weft_model_tokens_total', { provider: 'OpenAI', model: 'gpt-4o-mini', kind: 'completion' }), 3 * (7 + 4));
    assert.equal(sample(text, 'weft_job_queue_depth', { state: 'queued' }), 0);
    assert.equal(sample(text, 'weft_job_queue_depth', { state: 'running' }), 0);
    assert.equal(sample(text, 'weft_http_requests_total', { method: 'POST', route: '/api/v1/run/:flow_id_or_name', status: '200' }), 2);
    assert.equal(sample(text, 'weft_http_requests_total', { method: 'GET', route: '/api/v1/flows/:flow_id', status: '422' }), 1);
    assert.ok((sample(text, 'weft_http_request_duration_seconds_count', { method: 'POST', route: '/api/v1/run/:flow_id_or_name' }) ?? 0) >= 2);
    assert.ok(sample(text, 'process_cpu_user_seconds_total') !== undefined, 'prom-client’s process defaults');
    assert.ok(sample(text, 'nodejs_eventloop_lag_seconds') !== undefined);
    assert.equal((await fetch(url.replace('/metrics', '/other'))).status, 404);
  });

  test('OTLP/HTTP: the same spans under a root span per run, GenAI attributes, service name weft', async () => {
    await server.app.weft.observability.otlp!.flush();
    const spans = receiver.requests.flatMap((request) => {
      assert.equal(request.path, '/v1/traces');
      assert.match(request.contentType, /^application\/json/);
      assert.equal(request.key, 'abc', 'OTEL_EXPORTER_OTLP_HEADERS are sent');
      return (request.body.resourceSpans as Json[]).flatMap((rs) => {
        assert.equal(attributes(rs.resource.attributes)['service.name'], 'weft');
        return (rs.scopeSpans as Json[]).flatMap((ss) => ss.spans as Json[]);
      });
    });
    const listed = await server.call(`/api/v1/monitor/traces?flow_id=${flowId}`, { headers: owner.headers });
    const traceIds = ((listed.body as Json).traces as Json[]).map((t) => (t.id as string).replace(/-/g, ''));
    assert.equal(traceIds.length, 3);
    for (const traceId of traceIds) {
      const own = spans.filter((s) => s.traceId === traceId);
      const byId = new Map(own.map((s) => [s.spanId, s]));
      const root = own.find((s) => !s.parentSpanId);
      assert.ok(root, 'one root span');
      assert.equal(root.name, 'invoke_workflow observed flow');
      assert.equal(attributes(root.attributes)['weft.flow.id'], flowId);
      assert.equal(attributes(root.attributes)['gen_ai.usage.total_tokens'], 61);
      const agent = own.find((s) => s.name === 'invoke_agent Agent')!;
      assert.equal(agent.parentSpanId, root.spanId);
      assert.equal(attributes(agent.attributes)['gen_ai.operation.name'], 'invoke_agent');
      const calls = own.filter((s) => s.name === 'chat gpt-4o-mini');
      assert.equal(calls.length, 2);
      for (const call of calls) {
        assert.equal(call.parentSpanId, agent.spanId);
        assert.equal(call.kind, 3, 'SPAN_KIND_CLIENT');
        const a = attributes(call.attributes);
        assert.equal(a['gen_ai.operation.name'], 'chat');
        assert.equal(a['gen_ai.provider.name'], 'openai');
        assert.equal(a['gen_ai.request.model'], 'gpt-4o-mini');
      }
      assert.deepEqual(calls.map((c) => [attributes(c.attributes)['gen_ai.usage.input_tokens'], attributes(c.attributes)['gen_ai.usage.output_tokens']]).sort(), [[20, 7], [30, 4]]);
      const tool = own.find((s) => s.name === 'execute_tool evaluate_expression')!;
      assert.equal(tool.parentSpanId, agent.spanId);
      assert.equal(attributes(tool.attributes)['gen_ai.tool.name'], 'evaluate_expression');
      assert.deepEqual(own.map((s) => s.name).sort(), ['Calculator', 'Chat Input', 'Chat Output', 'chat gpt-4o-mini', 'chat gpt-4o-mini', 'execute_tool evaluate_expression', 'invoke_agent Agent', 'invoke_workflow observed flow']);
      for (const span of own) {
        assert.equal(span.status.code, 1, `${span.name} is OK`);
        assert.ok(BigInt(span.endTimeUnixNano) >= BigInt(span.startTimeUnixNano));
        if (span.parentSpanId) assert.ok(byId.has(span.parentSpanId), `${span.name}'s parent was exported`);
      }
      assert.ok(!JSON.stringify(own).includes('add 2 and 40'), 'no prompts or inputs are exported');
    }
  });
});
