import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { standinForTests } from '../../../test-utils/llm-standin.js';
import { defineComponent, type EngineServices, type VariableResolver } from '../../engine/component.js';
import { runFlow } from '../../engine/run.js';
import { Data } from '../../engine/schema/data.js';
import { SqliteVectorService } from '../../services/vectors/index.js';
import { HashingEmbeddings } from '../models_and_agents/hashing-embeddings.js';
import { createRegistry } from '../registry.js';
import { cosineSimilarity } from '../../services/vectors/index.js';

const standin = standinForTests();
const vectorStores = new SqliteVectorService(mkdtempSync(join(tmpdir(), 'weft-vs-components-')));
after(() => vectorStores.close());
const ALICE = '00000000-0000-4000-8000-00000000a11c';
const BOB = '00000000-0000-4000-8000-000000000b0b';

const variables: VariableResolver = { resolve: async (name) => ({ OPENAI_API_KEY: 'sk-vs', OPENAI_BASE_URL: standin.baseUrl })[name] };
const services = (): Partial<EngineServices> => ({ vectorStores, variables, allowedHosts: '127.0.0.1' });

const failingEmbeddings = defineComponent({
  type: 'TestFailingEmbeddings',
  displayName: 'Failing Embeddings',
  category: 'testing',
  inputs: [],
  outputs: [{ name: 'embeddings', types: ['Embeddings'] }],
  compute: {
    embeddings: () => ({
      kind: 'Embeddings',
      embed: async () => [1, 0],
      embedMany: async () => {
        throw new Error('embedding service exploded');
      },
    }),
  },
});

/** A document as Data without per-run fields (a Message's timestamp would make each run's chunks new records). */
const testDocument = defineComponent({
  type: 'TestDocument',
  displayName: 'Document',
  category: 'testing',
  inputs: [{ name: 'text', kind: 'text', default: '' }],
  outputs: [{ name: 'data', types: ['Data'] }],
  compute: { data: (ctx) => new Data({ text: String(ctx.params.text), source: 'test' }) },
});

function registryWithDocument() {
  const registry = createRegistry();
  registry.register(testDocument);
  return registry;
}

const TEXT = 'Weft stores vectors in SQLite.\n\nThe capital of France is Paris.\n\nBananas are yellow fruit.';

/** TextInput → SplitText → store (ingest), with the query in `search_query`. */
function storeFlow(type: string, fields: Record<string, unknown>, embeddings: [string, Record<string, unknown>], query: string, text = TEXT) {
  const flow = new FlowBuilder();
  const input = flow.node('TestDocument', { text });
  const split = flow.node('SplitText', { chunk_size: 40, chunk_overlap: 0, separator: '\n\n' });
  const embed = flow.node(embeddings[0], embeddings[1]);
  const store = flow.node(type, { ...fields, search_query: query });
  flow.connect(input, 'data', split, 'data_inputs', ['Data']).connect(split, 'dataframe', store, 'ingest_data', ['DataFrame']).connect(embed, 'embeddings', store, 'embedding', ['Embeddings']);
  return { flow: flow.build(), store };
}

function rowsOf(response: Awaited<ReturnType<typeof runFlow>>, node: string, output = 'dataframe'): Record<string, unknown>[] {
  const result = response.outputs[0].outputs.find((o) => o.component_id === node)!.results[output] as { toJSON(): Record<string, unknown>[] } | Record<string, unknown>[];
  return Array.isArray(result) ? result : result.toJSON();
}

test('Hashing Embeddings are deterministic, normalised and lexical', async () => {
  const h = new HashingEmbeddings(64);
  const a = await h.embed('The capital of France is Paris');
  assert.deepEqual(a, await h.embed('The capital of France is Paris'));
  assert.equal(a.length, 64);
  assert.ok(Math.abs(Math.hypot(...a) - 1) < 1e-9);
  const near = cosineSimilarity(a, await h.embed('what is the capital of France?'));
  const far = cosineSimilarity(a, await h.embed('bananas are yellow'));
  assert.ok(near > far + 0.3, `near ${near} far ${far}`);
  assert.throws(() => new HashingEmbeddings(1), /Dimensions must be/);
});

test('Local DB ingests split chunks with Hashing Embeddings and retrieves the matching one first; re-running adds nothing', async () => {
  const { flow, store } = storeFlow('LocalDB', { collection_name: 'facts', number_of_results: 2 }, ['HashingEmbeddings', { dimensions: 256 }], 'capital of France');
  const registry = registryWithDocument();
  const first = await runFlow({ flow, registry, userId: ALICE, outputType: 'debug', services: services() });
  const rows = rowsOf(first, store);
  assert.equal(rows.length, 2);
  assert.equal(rows[0].text, 'The capital of France is Paris.');
  await runFlow({ flow, registry, userId: ALICE, outputType: 'debug', services: services() });
  assert.equal((await vectorStores.forUser(ALICE, 'vector_stores').info('facts'))?.count, 3);
  // Bob has no such collection: his search finds nothing.
  const retrieve = new FlowBuilder();
  const embed = retrieve.node('HashingEmbeddings', { dimensions: 256 });
  const db = retrieve.node('LocalDB', { mode: 'Retrieve', collection_name: 'facts', search_query: 'capital of France' });
  retrieve.connect(embed, 'embeddings', db, 'embedding', ['Embeddings']);
  const bobs = await runFlow({ flow: retrieve.build(), registry, userId: BOB, outputType: 'debug', services: services() });
  assert.deepEqual(rowsOf(bobs, db), []);
  const alices = await runFlow({ flow: retrieve.build(), registry, userId: ALICE, outputType: 'debug', services: services() });
  assert.equal(rowsOf(alices, db)[0].text, 'The capital of France is Paris.');
});

test('Chroma with OpenAI embeddings from the stand-in: the query equal to a chunk finds it first, both outputs', async () => {
  const { flow, store } = storeFlow('Chroma', { collection_name: 'openai-docs', number_of_results: 3 }, ['OpenAIEmbeddings', { model: 'text-embedding-3-small' }], 'Bananas are yellow fruit.');
  const response = await runFlow({ flow, registry: registryWithDocument(), userId: ALICE, outputType: 'debug', services: services() });
  const result = response.outputs[0].outputs.find((o) => o.component_id === store)!;
  const data = result.results.search_results as { data: Record<string, unknown> }[];
  assert.equal(data[0].data.text, 'Bananas are yellow fruit.');
  assert.equal(rowsOf(response, store)[0].text, 'Bananas are yellow fruit.');
  const embedRequests = standin.requests.filter((r) => r.path === '/v1/embeddings');
  assert.equal(embedRequests.length, 2, 'one request for the chunks, one for the query');
  assert.deepEqual(embedRequests[0].body.input, ['Weft stores vectors in SQLite.', 'The capital of France is Paris.', 'Bananas are yellow fruit.']);
});

test('Chroma pointed at a Chroma server is a clear error, not a silent local store', async () => {
  const flow = new FlowBuilder();
  const embed = flow.node('HashingEmbeddings', {});
  const chroma = flow.node('Chroma', { chroma_server_host: 'chroma.internal', search_query: 'x' });
  flow.connect(embed, 'embeddings', chroma, 'embedding', ['Embeddings']);
  const response = await runFlow({ flow: flow.build(), registry: registryWithDocument(), userId: ALICE, services: services() }).catch((error: unknown) => error);
  assert.match(String(response instanceof Error ? response.message : JSON.stringify(response)), /Chroma server mode is not available in Weft \(Server Host "chroma\.internal"\)/);
});

test('FAISS rebuilds its index from each ingest (as Langflow saves it), and searches a saved index without ingest data', async () => {
  const registry = registryWithDocument();
  const one = storeFlow('FAISS', { index_name: 'idx', number_of_results: 5 }, ['HashingEmbeddings', { dimensions: 64 }], 'Paris');
  await runFlow({ flow: one.flow, registry, userId: ALICE, services: services() });
  await runFlow({ flow: one.flow, registry, userId: ALICE, services: services() });
  assert.equal((await vectorStores.forUser(ALICE, 'vector_stores').info('idx'))?.count, 3);
  const two = storeFlow('FAISS', { index_name: 'idx' }, ['HashingEmbeddings', { dimensions: 32 }], 'apples', 'Apples are red, crisp and sweet.\n\nPears are green and soft when ripe.');
  const response = await runFlow({ flow: two.flow, registry, userId: ALICE, outputType: 'debug', services: services() });
  assert.deepEqual(rowsOf(response, two.store).map((r) => r.text), ['Apples are red, crisp and sweet.', 'Pears are green and soft when ripe.']);
  const search = new FlowBuilder();
  const embed = search.node('HashingEmbeddings', { dimensions: 32 });
  const faiss = search.node('FAISS', { index_name: 'idx', search_query: 'pears', number_of_results: 1 });
  search.connect(embed, 'embeddings', faiss, 'embedding', ['Embeddings']);
  const searched = await runFlow({ flow: search.build(), registry, userId: ALICE, outputType: 'debug', services: services() });
  assert.deepEqual(rowsOf(searched, faiss).map((r) => r.text), ['Pears are green and soft when ripe.']);
  const info = await vectorStores.forUser(ALICE, 'vector_stores').info('idx');
  assert.equal(info?.count, 2);
  assert.equal(info?.dimensions, 32);
});

test('an embedding failure stores nothing and names the cause; a run without a user is refused', async () => {
  const registry = registryWithDocument();
  registry.register(failingEmbeddings);
  const { flow } = storeFlow('LocalDB', { collection_name: 'never' }, ['TestFailingEmbeddings', {}], '');
  const failed = await runFlow({ flow, registry, userId: ALICE, services: services() }).catch((error: unknown) => error);
  assert.match(String(failed instanceof Error ? failed.message : JSON.stringify(failed)), /embedding service exploded/);
  assert.equal(await vectorStores.forUser(ALICE, 'vector_stores').info('never'), undefined);
  const { flow: anonymous } = storeFlow('LocalDB', { collection_name: 'x' }, ['HashingEmbeddings', {}], 'q');
  const refused = await runFlow({ flow: anonymous, registry, userId: null, services: services() }).catch((error: unknown) => error);
  assert.match(String(refused instanceof Error ? refused.message : JSON.stringify(refused)), /Vector stores belong to a user/);
});

test('a vector store in tool mode: the Agent searches it with its own query and answers from the result', async () => {
  const store = vectorStores.forUser(ALICE, 'vector_stores');
  const hashing = new HashingEmbeddings(256);
  const texts = ['The Weft lighthouse keeper is Ottoline Marsh.', 'Bananas are yellow fruit.'];
  await store.ingest('agent-notes', texts.map((text, i) => ({ text, metadata: { n: i }, vector: hashing.vector(text) })));
  standin.respondWith((request) => {
    const messages = request.body.messages as { role: string; content: unknown }[];
    const toolMessage = messages.find((m) => m.role === 'tool');
    if (!toolMessage) return { toolCalls: [{ name: 'search_documents', arguments: { search_query: 'who is the lighthouse keeper' } }] };
    return `From the store: ${String(toolMessage.content).includes('Ottoline Marsh') ? 'Ottoline Marsh' : 'nothing'}`;
  });
  const flow = new FlowBuilder();
  const input = flow.node('ChatInput', {});
  const embed = flow.node('HashingEmbeddings', { dimensions: 256 });
  const chroma = flow.node('Chroma', { collection_name: 'agent-notes', number_of_results: 1 }, { outputs: ['component_as_tool'] });
  const agent = flow.node('Agent', { model: [{ name: 'gpt-4o-mini', provider: 'OpenAI' }], add_current_date_tool: false });
  const output = flow.node('ChatOutput', {});
  flow
    .connect(embed, 'embeddings', chroma, 'embedding', ['Embeddings'])
    .connect(input, 'message', agent, 'input_value')
    .connect(chroma, 'component_as_tool', agent, 'tools', ['Tool'])
    .connect(agent, 'response', output, 'input_value');
  const response = await runFlow({ flow: flow.build(), registry: registryWithDocument(), inputValue: 'Who keeps the lighthouse?', userId: ALICE, services: services() });
  assert.equal((response.outputs[0].outputs[0].results.message as { text: string }).text, 'From the store: Ottoline Marsh');
  const tools = (standin.chatRequests[0].body.tools as { function: { name: string } }[]).map((t) => t.function.name);
  assert.ok(tools.includes('search_documents'), `tools offered: ${tools.join(', ')}`);
});

test('Ollama embeddings from the stand-in feed a store too', async () => {
  const { flow, store } = storeFlow('LocalDB', { collection_name: 'ollama-docs', number_of_results: 1 }, ['OllamaEmbeddings', { model_name: 'nomic-embed-text', base_url: standin.url }], 'The capital of France is Paris.');
  const response = await runFlow({ flow, registry: registryWithDocument(), userId: ALICE, outputType: 'debug', services: services() });
  assert.deepEqual(rowsOf(response, store).map((r) => r.text), ['The capital of France is Paris.']);
  assert.ok(standin.requests.some((r) => r.path === '/api/embed'), 'the Ollama protocol was used');
  assert.equal((await vectorStores.forUser(ALICE, 'vector_stores').info('ollama-docs'))?.count, 3);
});
