import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { lastUserText, standinForTests, systemText } from '../../../test-utils/llm-standin.js';
import { collect, tokenChunks } from '../../../test-utils/run-helpers.js';
import type { VariableResolver } from '../../engine/component.js';
import { runFlow } from '../../engine/run.js';
import { createRegistry } from '../registry.js';

const registry = createRegistry();
const standin = standinForTests();

function variables(values: Record<string, string>): VariableResolver {
  return { resolve: async (name) => values[name] };
}

const OPENAI = [{ name: 'gpt-4o-mini', provider: 'OpenAI', metadata: { model_class: 'ChatOpenAI' } }];

function modelFlow(fields: Record<string, unknown> = {}) {
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const model = flow.node('LanguageModelComponent', { model: OPENAI, system_message: 'Be brief.', stream: false, temperature: 0.3, ...fields });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', model, 'input_value').connect(model, 'text_output', output, 'input_value');
  return { flow: flow.build(), input, model, output };
}

test('LanguageModelComponent: non-streaming reply over HTTP, key and base URL from the variable service', async () => {
  standin.enqueue('Paris is the capital.');
  const { flow, output, model } = modelFlow();
  const response = await runFlow({
    flow,
    registry,
    inputValue: 'Capital of France?',
    services: { variables: variables({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: standin.baseUrl }) },
  });
  const result = response.outputs[0].outputs.find((o) => o.component_id === output)!;
  const message = result.results.message as { text: string; properties: { source: { id: string; source: string } } };
  assert.equal(message.text, 'Paris is the capital.');
  assert.equal(message.properties.source.id, model);
  assert.equal(message.properties.source.source, 'gpt-4o-mini');
  const [request] = standin.chatRequests;
  assert.equal(request.headers.authorization, 'Bearer sk-test');
  assert.equal(request.body.model, 'gpt-4o-mini');
  assert.equal(request.body.temperature, 0.3);
  assert.equal(request.body.stream, undefined);
  assert.equal(systemText(request.body), 'Be brief.');
  assert.equal(lastUserText(request.body), 'Capital of France?');
});

test('LanguageModelComponent: streaming sends token events and ChatOutput goes partial -> complete', async () => {
  standin.enqueue({ text: 'One two three four', chunks: ['One ', 'two ', 'three ', 'four'] });
  const { flow, output } = modelFlow();
  const { events, run } = await collect({
    flow,
    registry,
    inputValue: 'count',
    stream: true,
    services: { variables: variables({ OPENAI_API_KEY: 'sk-test', OPENAI_BASE_URL: standin.baseUrl }) },
  });
  assert.equal(run.error, null);
  const tokens = tokenChunks(events);
  assert.deepEqual(tokens, ['One ', 'two ', 'three ', 'four']);
  const added = events.filter((e) => e.event === 'add_message').map((e) => e.data as { sender: string; properties: { state: string }; id: string });
  const machine = added.find((m) => m.sender === 'Machine')!;
  const tokenIds = new Set(events.filter((e) => e.event === 'token').map((e) => (e.data as { id: string }).id));
  assert.deepEqual([...tokenIds], [machine.id]);
  const final = run.result!.outputs[0].outputs.find((o) => o.component_id === output)!.results.message as { text: string; properties: { state: string } };
  assert.equal(final.text, 'One two three four');
  assert.equal(final.properties.state, 'complete');
  const request = standin.chatRequests[0];
  assert.equal(request.body.stream, true);
});

test('missing API key fails the run naming the component', async () => {
  const { flow } = modelFlow();
  await assert.rejects(
    runFlow({ flow, registry, inputValue: 'hi', services: { variables: variables({ OPENAI_BASE_URL: standin.baseUrl }) } }),
    (error: Error) => {
      assert.equal(error.message, 'Error building Component Language Model: no API key for OpenAI (set OPENAI_API_KEY or the API Key field)');
      return true;
    },
  );
  assert.equal(standin.requests.length, 0);
});

test("the server's environment (the host's snapshot of the providers' variables) is the last fallback for key and base URL", async () => {
  const { flow } = modelFlow();
  const providerEnvironment = { OPENAI_API_KEY: 'sk-from-env', OPENAI_BASE_URL: standin.baseUrl };
  standin.enqueue('from env');
  const response = await runFlow({ flow, registry, inputValue: 'hi', services: { providerEnvironment } });
  assert.equal((response.outputs[0].outputs[0].results.message as { text: string }).text, 'from env');
  assert.equal(standin.chatRequests[0].headers.authorization, 'Bearer sk-from-env');
  await runFlow({ flow, registry, inputValue: 'hi', services: { providerEnvironment, variables: variables({ OPENAI_API_KEY: 'sk-variable' }) } });
  assert.equal(standin.chatRequests[1].headers.authorization, 'Bearer sk-variable', "the user's variable wins");
});

test('no model selected: the host default model is used, else the run fails', async () => {
  const { flow } = modelFlow({ model: [] });
  await assert.rejects(runFlow({ flow, registry, inputValue: 'hi' }), /Error building Component Language Model: No model selected/);
  standin.enqueue('from the default');
  const response = await runFlow({
    flow,
    registry,
    inputValue: 'hi',
    services: {
      variables: variables({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: standin.baseUrl }),
      defaultModel: async () => ({ provider: 'OpenAI', name: 'gpt-default' }),
    },
  });
  assert.equal((response.outputs[0].outputs[0].results.message as { text: string }).text, 'from the default');
  assert.equal(standin.chatRequests[0].body.model, 'gpt-default');
});

test('the API Key field wins over the variable and is sent as the bearer token', async () => {
  const { flow } = modelFlow({ api_key: 'sk-field' });
  await runFlow({ flow, registry, inputValue: 'hi', services: { variables: variables({ OPENAI_API_KEY: 'sk-var', OPENAI_BASE_URL: standin.baseUrl }) } });
  assert.equal(standin.chatRequests[0].headers.authorization, 'Bearer sk-field');
});

test('provider 401 surfaces the provider message without retrying', async () => {
  standin.enqueue({ status: 401, error: { message: 'Incorrect API key provided: sk-bad.', type: 'invalid_request_error', code: 'invalid_api_key' } });
  const { flow } = modelFlow();
  await assert.rejects(
    runFlow({ flow, registry, inputValue: 'hi', services: { variables: variables({ OPENAI_API_KEY: 'sk-bad', OPENAI_BASE_URL: standin.baseUrl }) } }),
    /Error building Component Language Model: .*401.*Incorrect API key provided: sk-bad\./,
  );
  assert.equal(standin.chatRequests.length, 1);
});

test('provider 429 is retried with backoff and the run succeeds', async () => {
  standin.enqueue({ status: 429, error: { message: 'Rate limit reached', type: 'rate_limit_exceeded' }, headers: { 'retry-after-ms': '20' } }, 'after the retry');
  const { flow } = modelFlow();
  const response = await runFlow({ flow, registry, inputValue: 'hi', services: { variables: variables({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: standin.baseUrl }) } });
  assert.equal((response.outputs[0].outputs[0].results.message as { text: string }).text, 'after the retry');
  assert.equal(standin.chatRequests.length, 2);
});

test('streaming: a provider error fails the model component, not the consumer', async () => {
  standin.enqueue({ status: 401, error: { message: 'bad key' } });
  const { flow } = modelFlow();
  const { run } = await collect({ flow, registry, inputValue: 'hi', stream: true, services: { variables: variables({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: standin.baseUrl }) } });
  assert.match(run.error!.message, /^Error building Component Language Model: .*bad key/);
});

test('aborting the run closes the provider request', async () => {
  standin.enqueue({ hang: true });
  const { flow } = modelFlow();
  const controller = new AbortController();
  const closed = standin.requestClosed();
  const running = runFlow({ flow, registry, inputValue: 'hi', signal: controller.signal, services: { variables: variables({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: standin.baseUrl }) } });
  while (standin.chatRequests.length === 0) await new Promise((r) => setTimeout(r, 5));
  controller.abort();
  await assert.rejects(running, /cancelled/);
  await closed;
  assert.equal(standin.chatRequests[0].closedEarly, true);
});

test('model_output carries a model another component can call (LanguageModel -> StructuredOutput)', async () => {
  standin.enqueue(JSON.stringify({ objects: [{ city: 'Paris', population: 2100000 }] }));
  const flow = new FlowBuilder();
  const model = flow.node('LanguageModelComponent', { model: OPENAI });
  const structured = flow.node('StructuredOutput', {
    input_value: 'Paris has 2.1 million people.',
    output_schema: [
      { name: 'city', description: 'City', type: 'str', multiple: 'False' },
      { name: 'population', description: 'People', type: 'int', multiple: 'False' },
    ],
  });
  flow.connect(model, 'model_output', structured, 'model', ['LanguageModel']);
  const response = await runFlow({
    flow: flow.build(),
    registry,
    outputType: 'debug',
    services: { variables: variables({ OPENAI_API_KEY: 'k', OPENAI_BASE_URL: standin.baseUrl }) },
  });
  const result = response.outputs[0].outputs.find((o) => o.component_id === structured)!;
  assert.deepEqual((result.results.structured_output as { data: unknown }).data, { city: 'Paris', population: 2100000 });
  assert.deepEqual(result.results.dataframe_output, [{ city: 'Paris', population: 2100000 }]);
  const format = standin.chatRequests[0].body.response_format as { type: string; json_schema: { schema: { properties: { objects: { items: { properties: Record<string, { type: string }> } } } } } };
  assert.equal(format.type, 'json_schema');
  assert.equal(format.json_schema.schema.properties.objects.items.properties.population.type, 'integer');
});

test('OpenAIModel (legacy provider node) uses openai_api_base and its load_from_db key', async () => {
  standin.enqueue('legacy ok');
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const model = flow.node(
    'OpenAIModel',
    { model_name: 'gpt-4.1-mini', api_key: 'MY_KEY', openai_api_base: standin.baseUrl, max_tokens: 55, stream: false },
    { fieldMeta: { api_key: { load_from_db: true, password: true } } },
  );
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', model, 'input_value').connect(model, 'text_output', output, 'input_value');
  const response = await runFlow({ flow: flow.build(), registry, inputValue: 'hey', services: { variables: variables({ MY_KEY: 'sk-db' }) } });
  assert.equal((response.outputs[0].outputs[0].results.message as { text: string }).text, 'legacy ok');
  const request = standin.chatRequests[0];
  assert.equal(request.headers.authorization, 'Bearer sk-db');
  assert.equal(request.body.model, 'gpt-4.1-mini');
  assert.equal(request.body.max_tokens, 55);
});

test('OpenAI-compatible node talks chat completions at its base URL', async () => {
  standin.enqueue('compatible ok');
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const model = flow.node('OpenAICompatibleModel', { base_url: standin.baseUrl, model_name: 'local-llama', stream: false });
  const output = flow.node('ChatOutput', {});
  flow.connect(input, 'message', model, 'input_value').connect(model, 'text_output', output, 'input_value');
  const response = await runFlow({ flow: flow.build(), registry, inputValue: 'hey' });
  assert.equal((response.outputs[0].outputs[0].results.message as { text: string }).text, 'compatible ok');
  assert.equal(standin.chatRequests[0].body.model, 'local-llama');
});
