import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { lastUserText, startStandin, systemText, type LlmStandin, type RecordedRequest } from '../../../test-utils/llm-standin.js';
import { starterProjectsDir, startersSkip } from '../../../test-utils/paths.js';
import { collect, tokenChunks } from '../../../test-utils/run-helpers.js';
import type { EngineServices, VariableResolver } from '../../engine/component.js';
import type { FlowJson } from '../../engine/flow-json.js';
import { InMemoryMessageStore } from '../../engine/message-store.js';
import { runFlow } from '../../engine/run.js';
import { createRegistry } from '../registry.js';

const registry = createRegistry();
let standin: LlmStandin;
let site: Server;
let siteUrl: string;

describe("Langflow's starter projects with models (LLM stand-in)", startersSkip, () => {
  before(async () => {
    standin = await startStandin();
    site = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html lang="en"><head><title>Weft docs</title></head><body><h1>Weft</h1><p>Weft runs Langflow flows in TypeScript.</p></body></html>');
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/`;
  });
  after(async () => {
    await standin.close();
    site.closeAllConnections();
    await new Promise((resolve) => site.close(resolve));
  });
  beforeEach(() => standin.reset());

  function load(name: string): FlowJson {
    return JSON.parse(readFileSync(join(starterProjectsDir, `${name}.json`), 'utf8')) as FlowJson;
  }

  function services(extra: Partial<EngineServices> = {}): Partial<EngineServices> {
    const variables: VariableResolver = { resolve: async (name) => ({ OPENAI_API_KEY: 'sk-standin', OPENAI_BASE_URL: standin.baseUrl })[name] };
    return { variables, defaultModel: async () => ({ provider: 'OpenAI', name: 'gpt-4o-mini' }), allowedHosts: '127.0.0.1', ...extra };
  }

  function nodeId(flow: FlowJson, type: string): string {
    return flow.data!.nodes.find((n) => n.data.type === type)!.id;
  }

  function chatText(response: Awaited<ReturnType<typeof runFlow>>): string {
    return (response.outputs[0].outputs[0].results.message as { text: string }).text;
  }

  /** A scripted agent model: first asks for the calculator, then answers with what the tool returned. */
  function calculatorAgent(expression: string) {
    return (request: RecordedRequest) => {
      const messages = request.body.messages as { role: string; content: unknown }[];
      const toolMessage = messages.find((m) => m.role === 'tool');
      if (!toolMessage) return { toolCalls: [{ name: 'evaluate_expression', arguments: { expression } }] };
      return `The answer is ${JSON.parse(String(toolMessage.content)).result}.`;
    };
  }

  for (const name of ['Basic Prompting', 'SEO Keyword Generator', 'Twitter Thread Generator']) {
    test(`starter runs against the stand-in: ${name}`, async () => {
      standin.respondWith((request) => `reply to: ${lastUserText(request.body).slice(0, 40)}`);
      const flow = load(name);
      const response = await runFlow({ flow, registry, inputValue: 'a product idea', services: services() });
      assert.match(chatText(response), /^reply to: /);
      assert.equal(standin.chatRequests.length, 1);
      assert.ok(systemText(standin.chatRequests[0].body).length > 0, 'the prompt reached the model as its system message');
    });
  }

  test('starter Basic Prompting streams tokens', async () => {
    standin.enqueue({ text: 'streamed answer here', chunks: ['streamed ', 'answer ', 'here'] });
    const { run, events } = await collect({ flow: load('Basic Prompting'), registry, inputValue: 'hi', stream: true, services: services() });
    assert.equal(run.error, null);
    assert.deepEqual(tokenChunks(events), ['streamed ', 'answer ', 'here']);
  });

  test('starter Basic Prompt Chaining runs', async () => {
    const response = await runFlow({ flow: load('Basic Prompt Chaining'), registry, inputValue: 'an idea', services: services() });
    assert.ok(chatText(response).length > 0);
  });

  test('starter Memory Chatbot: the second turn sends the first turn to the model', async () => {
    const messages = new InMemoryMessageStore();
    standin.enqueue('Nice to meet you, Ada.', 'Your name is Ada.');
    const flow = load('Memory Chatbot');
    await runFlow({ flow, registry, inputValue: 'My name is Ada.', sessionId: 'chat-1', services: services({ messages }) });
    const second = await runFlow({ flow, registry, inputValue: 'What is my name?', sessionId: 'chat-1', services: services({ messages }) });
    assert.equal(chatText(second), 'Your name is Ada.');
    const prompt = systemText(standin.chatRequests[1].body);
    assert.match(prompt, /My name is Ada\./);
    assert.match(prompt, /Nice to meet you, Ada\./);
    assert.equal(lastUserText(standin.chatRequests[1].body), 'What is my name?');
  });

  for (const name of ['Simple Agent', 'SaaS Pricing']) {
    test(`starter ${name}: the agent calls the calculator and answers with its result`, async () => {
      standin.respondWith(calculatorAgent('(12*3)+6'));
      const flow = load(name);
      const calculatorId = nodeId(flow, 'CalculatorComponent');
      const { run, events } = await collect({ flow, registry, inputValue: 'What is (12*3)+6?', services: services() });
      assert.equal(run.error, null, run.error?.message);
      const message = run.result!.outputs[0].outputs[0].results.message as { text: string; content_blocks: { title: string; contents: Record<string, unknown>[] }[] };
      assert.equal(message.text, 'The answer is 42.');
      const [block] = message.content_blocks;
      assert.equal(block.title, 'Agent Steps');
      const toolUse = block.contents.find((c) => c.type === 'tool_use')!;
      assert.equal(toolUse.name, 'evaluate_expression');
      assert.deepEqual(toolUse.tool_input, { expression: '(12*3)+6' });
      assert.deepEqual((toolUse.output as { data: unknown }).data, { result: '42' });
      assert.equal(toolUse.error, null);
      assert.equal(typeof toolUse.duration, 'number');
      const starts = events.filter((e) => e.event === 'build_start' && (e.data as { id: string }).id === calculatorId);
      const ends = events.filter((e) => e.event === 'build_end' && (e.data as { id: string }).id === calculatorId);
      assert.equal(starts.length, 1);
      assert.equal(ends.length, 1);
      const tools = (standin.chatRequests[0].body.tools as { function: { name: string } }[]).map((t) => t.function.name);
      assert.ok(tools.includes('evaluate_expression'));
      assert.ok(tools.includes('get_current_date'));
    });
  }

  test('starter Financial Report Parser: structured output through the parser', async () => {
    standin.respondWith(() => JSON.stringify({ objects: [{ EBITDA: '$900M', NET_INCOME: '$400M', GROSS_PROFIT: '$1.2B' }] }));
    const response = await runFlow({ flow: load('Financial Report Parser'), registry, inputValue: 'Gross profit 1.2B, EBITDA 900M, net income 400M', services: services() });
    assert.match(chatText(response), /EBITDA: \$900M\s+,\s+Net Income: \$400M , GROSS_PROFIT: \$1\.2B/);
    assert.equal((standin.chatRequests[0].body.response_format as { type: string }).type, 'json_schema');
  });

  test('starter Blog Writer: URL pointed at a local page, its text reaches the model', async () => {
    standin.respondWith((request) => `blog post from: ${lastUserText(request.body)}`);
    const flow = load('Blog Writer');
    const response = await runFlow({ flow, registry, tweaks: { [nodeId(flow, 'URLComponent')]: { urls: [siteUrl] } }, services: services() });
    assert.match(chatText(response), /Weft runs Langflow flows in TypeScript\./);
  });

  test('starter Blog Writer: without an allowed host the URL component refuses 127.0.0.1', async () => {
    const flow = load('Blog Writer');
    await assert.rejects(
      runFlow({ flow, registry, tweaks: { [nodeId(flow, 'URLComponent')]: { urls: [siteUrl] } }, services: services({ allowedHosts: '' }) }),
      /Error building Component URL: .*127\.0\.0\.1 is a private or reserved address/,
    );
  });
});
