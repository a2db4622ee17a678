import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { startStandin, type LlmStandin } from '../../test-utils/llm-standin.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { startHostHarness, type HostHarness } from './host-harness.js';

/**
 * Pen test (issue 10), medium: SSRF through model base URLs (OpenAI-compatible base URL, Ollama URL)
 * and MCP server URLs — a user aimed the server at internal addresses the URL component refuses.
 * The URL component's guard now covers them: in a multi-user deployment private and loopback
 * addresses are refused unless LANGFLOW_ALLOWED_HOSTS lists them (loopback stays open with AUTO_LOGIN).
 * The LLM stand-in on loopback plays the internal service: any request it records is a hit.
 */
let standin: LlmStandin;
let host: HostHarness;

before(async () => {
  standin = await startStandin();
  host = await startHostHarness();
});
after(async () => {
  await host.stop();
  await standin.close();
});

function modelFlows(): { name: string; flow: FlowBuilder }[] {
  const openai = new FlowBuilder('openai base url');
  openai.node('OpenAIModel', { model_name: 'gpt-4o-mini', api_key: 'sk-k', openai_api_base: standin.baseUrl, input_value: 'hi', stream: false });
  const ollama = new FlowBuilder('ollama url');
  ollama.node('OllamaModel', { model_name: 'llama3', base_url: standin.url, input_value: 'hi', stream: false });
  const compatible = new FlowBuilder('openai-compatible base url, IPv4-mapped');
  compatible.node('OpenAICompatibleModel', { model_name: 'm', api_key: 'sk-k', base_url: `http://[::ffff:127.0.0.1]:${new URL(standin.url).port}/v1`, input_value: 'hi', stream: false });
  const mcp = new FlowBuilder('mcp url');
  mcp.node('MCPTools', { mcp_server: { name: 'internal', config: { url: `${standin.url}/mcp` } }, tool: 'x' });
  return [{ name: 'OpenAI base URL', flow: openai }, { name: 'Ollama URL', flow: ollama }, { name: 'OpenAI-compatible base URL (IPv4-mapped)', flow: compatible }, { name: 'MCP server URL', flow: mcp }];
}

test('SSRF through model base URLs and MCP server URLs is refused in a multi-user deployment', async () => {
  for (const { name, flow } of modelFlows()) {
    const flowId = await host.addFlow(host.attacker, flow.build());
    const ran = await host.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: host.attacker.headers, json: { output_type: 'debug', input_value: 'hi' } });
    assert.match(ran.text, /private or reserved address/, `${name}: ${ran.text.slice(0, 300)}`);
  }
  const saved = await host.call('/api/v2/mcp/servers/internal', { method: 'POST', headers: host.attacker.headers, json: { url: `${standin.url}/mcp` } });
  assert.equal(saved.status, 200, saved.text);
  const counted = (await host.call('/api/v2/mcp/servers?action_count=true', { headers: host.attacker.headers })).body as { name: string; error?: string }[];
  assert.match(counted.find((s) => s.name === 'internal')?.error ?? '', /private or reserved address/);
  assert.deepEqual(standin.requests.map((r) => r.path), [], 'nothing reached the internal service');
});

test('SSRF guard on model URLs: LANGFLOW_ALLOWED_HOSTS opens a host (a local Ollama) in a multi-user deployment', async () => {
  const open = await startHostHarness({ LANGFLOW_ALLOWED_HOSTS: '127.0.0.1' });
  try {
    standin.respondWith(() => 'allowed reply');
    const flow = new FlowBuilder('allowed model');
    const input = flow.node('ChatInput', {});
    const model = flow.node('OpenAIModel', { model_name: 'gpt-4o-mini', api_key: 'sk-k', openai_api_base: standin.baseUrl, stream: false });
    const output = flow.node('ChatOutput', {});
    flow.connect(input, 'message', model, 'input_value').connect(model, 'text_output', output, 'input_value');
    const flowId = await open.addFlow(open.attacker, flow.build());
    const ran = await open.call(`/api/v1/run/${flowId}`, { method: 'POST', headers: open.attacker.headers, json: { input_value: 'hi' } });
    assert.equal(ran.status, 200, ran.text);
    assert.match(ran.text, /allowed reply/);
  } finally {
    await open.stop();
  }
});
