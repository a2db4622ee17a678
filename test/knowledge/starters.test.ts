import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import { addUser, fileForm, startTestServer, type TestServer, type TestUser } from '../../test-utils/api-server.js';
import { makePdf } from '../../test-utils/document-fixtures.js';
import { lastUserText, startStandin, systemText, type LlmStandin } from '../../test-utils/llm-standin.js';
import { starterProjectsDir, startersSkip } from '../../test-utils/paths.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const FACT = 'The Weft lighthouse keeper is named Ottoline Marsh.';
const DOC_TEXT = `Weft field notes.\n${FACT}\nThe lighthouse stands on Gull Rock.`;

/**
 * Langflow's retrieval starters through the real server: files uploaded to /api/v2/files, flows saved
 * and run with /api/v1/run, embeddings and answers from the OpenAI-compatible stand-in, vectors in the
 * embedded store. Each test checks the stored text reached the model's prompt.
 */
describe("Langflow's retrieval starters, end to end offline", startersSkip, () => {
  let server: TestServer;
  let standin: LlmStandin;
  let site: Server;
  let siteUrl: string;
  let alice: TestUser;
  let bob: TestUser;

  async function call(user: TestUser, path: string, init: RequestInit & { json?: unknown } = {}) {
    return server.call(path, { ...init, headers: { ...user.headers, ...(init.headers as Record<string, string>) } });
  }

  async function configure(user: TestUser): Promise<void> {
    for (const variable of [
      { name: 'OPENAI_API_KEY', value: 'sk-standin', type: 'Credential' },
      { name: 'OPENAI_BASE_URL', value: standin.baseUrl, type: 'Generic' },
    ]) {
      const saved = await call(user, '/api/v1/variables/', { method: 'POST', json: { ...variable, default_fields: [] } });
      assert.equal(saved.status, 201, saved.text);
    }
    const model = await call(user, '/api/v1/models/default_model', { method: 'POST', json: { model_name: 'gpt-4o-mini', provider: 'OpenAI', model_type: 'language' } });
    assert.equal(model.status, 200, model.text);
  }

  before(async () => {
    standin = await startStandin();
    site = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(`<html><head><title>Notes</title></head><body><p>${FACT}</p><p>Gull Rock has a lighthouse.</p></body></html>`);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/notes`;
    server = await startTestServer('sqlite', { LANGFLOW_ALLOWED_HOSTS: '127.0.0.1' });
    alice = await addUser(server.database, 'alice');
    bob = await addUser(server.database, 'bob');
    await configure(alice);
    await configure(bob);
  });
  after(async () => {
    await server?.stop();
    await standin?.close();
    site?.closeAllConnections();
    await new Promise((resolve) => site?.close(resolve));
  });
  beforeEach(() => {
    standin.reset();
    standin.respondWith((request) => `answer from the stand-in to: ${lastUserText(request.body).slice(0, 30)}`);
  });

  function starter(name: string): Json {
    return JSON.parse(readFileSync(join(starterProjectsDir, `${name}.json`), 'utf8')) as Json;
  }

  async function save(user: TestUser, flow: Json): Promise<string> {
    const created = await call(user, '/api/v1/flows/', { method: 'POST', json: { name: `${flow.name} ${Math.random().toString(36).slice(2, 7)}`, data: flow.data } });
    assert.equal(created.status, 201, created.text);
    return (created.body as Json).id as string;
  }

  async function upload(user: TestUser, name: string, content: string | Uint8Array): Promise<string> {
    const uploaded = await call(user, '/api/v2/files', { method: 'POST', body: fileForm(name, content) });
    assert.equal(uploaded.status, 201, uploaded.text);
    return (uploaded.body as Json).path as string;
  }

  async function run(user: TestUser, flowId: string, body: Json): Promise<{ status: number; body: Json; text: string }> {
    const ran = await call(user, `/api/v1/run/${flowId}`, { method: 'POST', json: body });
    return { status: ran.status, body: ran.body as Json, text: ran.text };
  }

  function nodeId(flow: Json, type: string): string {
    return (flow.data.nodes as Json[]).find((n) => n.data.type === type)!.id as string;
  }

  /** Every text the model was sent in its last chat request. */
  function promptOfLastChat(): string {
    const request = standin.chatRequests.at(-1)!;
    return `${systemText(request.body)}\n${lastUserText(request.body)}`;
  }

  test('Document Q&A: an uploaded PDF reaches the model as the document', async () => {
    const flow = starter('Document Q&A');
    const path = await upload(alice, 'notes.pdf', makePdf([`Weft field notes.`, FACT]));
    const flowId = await save(alice, flow);
    const ran = await run(alice, flowId, { input_value: 'Who keeps the lighthouse?', tweaks: { [nodeId(flow, 'File')]: { path: [path] } } });
    assert.equal(ran.status, 200, ran.text);
    assert.match(ran.body.outputs[0].outputs[0].results.message.text, /^answer from the stand-in to: Who keeps the lighthouse/);
    assert.equal(standin.chatRequests.length, 1);
    assert.ok(systemText(standin.chatRequests[0].body).includes(FACT), 'the PDF text is in the system prompt');
    // Bob cannot read Alice's file by its path.
    const bobsFlow = await save(bob, flow);
    const refused = await run(bob, bobsFlow, { input_value: 'steal', tweaks: { [nodeId(flow, 'File')]: { path: [path] } } });
    assert.equal(refused.status, 500, refused.text);
    assert.match(refused.text, /File not found/);
    assert.doesNotMatch(refused.text, /Ottoline/);
    // Paths that try to leave the user's files, and the flow-files form with someone else's flow, are "not found".
    const aliceFlowFile = `${flowId}/notes.pdf`;
    for (const escape of ['../secret_key', `${alice.user.id}/../secret_key`, `${alice.user.id}/../../secret_key`, '/etc/passwd', '..\\secret_key', `${alice.user.id}/%2e%2e%2fsecret_key`, 'secret_key', aliceFlowFile]) {
      const ran = await run(bob, bobsFlow, { input_value: 'x', tweaks: { [nodeId(flow, 'File')]: { path: [escape] } } });
      assert.equal(ran.status, 500, `${escape}: ${ran.text}`);
      assert.match(ran.text, /File not found/, escape);
      assert.ok(!ran.text.includes(server.secret), 'the secret key never leaks');
    }
    // Alice can address her file by its v2 id too.
    const files = (await call(alice, '/api/v2/files')).body as Json[];
    const byId = await run(alice, flowId, { input_value: 'again', tweaks: { [nodeId(flow, 'File')]: { path: [files.find((f) => f.path === path)!.id] } } });
    assert.equal(byId.status, 200, byId.text);
    assert.ok(systemText(standin.chatRequests.at(-1)!.body).includes(FACT));
  });

  test('Vector Store RAG with Local DB for its cloud store: ingest, then the retrieved chunk reaches the prompt', async () => {
    const flow = starter('Vector Store RAG');
    // Swap each Astra DB node for Local DB, keeping ids, edges and their handles (Local DB names its embeddings field `embedding`).
    for (const node of flow.data.nodes as Json[]) {
      if (node.data.type !== 'AstraDB') continue;
      node.data.type = 'LocalDB';
      node.data.node.template.collection_name = { name: 'collection_name', value: 'rag-notes', type: 'str' };
    }
    for (const edge of flow.data.edges as Json[]) {
      if (edge.data.targetHandle.fieldName !== 'embedding_model') continue;
      edge.data.targetHandle.fieldName = 'embedding';
      edge.targetHandle = String(edge.targetHandle).replace('œfieldNameœ:œembedding_modelœ', 'œfieldNameœ:œembeddingœ');
    }
    const path = await upload(alice, 'notes.txt', DOC_TEXT);
    const flowId = await save(alice, flow);
    const tweaks = { [nodeId(flow, 'File')]: { path: [path] } };
    // The first run ingests (the retrieval branch may run before the ingest branch, as in Langflow).
    const first = await run(alice, flowId, { input_value: 'Who keeps the lighthouse?', tweaks });
    assert.equal(first.status, 200, first.text);
    const second = await run(alice, flowId, { input_value: 'Who keeps the lighthouse?', tweaks });
    assert.equal(second.status, 200, second.text);
    assert.ok(promptOfLastChat().includes(`Text: ${DOC_TEXT}`), `the retrieved chunk is in the prompt: ${promptOfLastChat().slice(0, 300)}`);
    const embedRequests = standin.requests.filter((r) => r.path === '/v1/embeddings');
    assert.ok(embedRequests.some((r) => JSON.stringify(r.body.input).includes('Ottoline')), 'the chunk was embedded by the stand-in');
    // Re-running with allow_duplicates off stored the chunk once; Bob's Local DB of the same name is empty.
    const bobsFlow = await save(bob, flow);
    const bobs = await run(bob, bobsFlow, { input_value: 'Who keeps the lighthouse?', tweaks: { [nodeId(flow, 'File')]: { path: [await upload(bob, 'other.txt', 'Bob notes about apples.')] } } });
    assert.equal(bobs.status, 200, bobs.text);
    assert.ok(!promptOfLastChat().includes('Ottoline'), "Bob's run never sees Alice's chunks");
  });

  test('Knowledge Ingestion then Knowledge Retrieval; /api/v1/knowledge_bases lists, gets and deletes, owner-scoped', async () => {
    const ingestion = starter('Knowledge Ingestion');
    const ingestFlow = await save(alice, ingestion);
    const kb = { knowledge_base: 'lighthouse-notes', embedding_model: [{ name: 'text-embedding-3-small', provider: 'OpenAI' }] };
    const ingested = await run(alice, ingestFlow, { input_value: '', tweaks: { [nodeId(ingestion, 'URLComponent')]: { urls: [siteUrl] }, [nodeId(ingestion, 'KnowledgeIngestion')]: kb } });
    assert.equal(ingested.status, 200, ingested.text);
    const listed = await call(alice, '/api/v1/knowledge_bases');
    assert.equal(listed.status, 200, listed.text);
    const [info] = listed.body as Json[];
    assert.equal(info.id, 'lighthouse-notes');
    assert.equal(info.name, 'Lighthouse Notes');
    assert.equal(info.embedding_provider, 'OpenAI');
    assert.equal(info.embedding_model, 'text-embedding-3-small');
    assert.ok(info.chunks >= 1, `chunks: ${info.chunks}`);
    assert.ok(info.size > 0 && info.words > 0 && info.characters > 0 && info.avg_chunk_size > 0);
    // Ingesting the same page again adds nothing (allow_duplicates is off).
    await run(alice, ingestFlow, { input_value: '', tweaks: { [nodeId(ingestion, 'URLComponent')]: { urls: [siteUrl] }, [nodeId(ingestion, 'KnowledgeIngestion')]: kb } });
    assert.equal(((await call(alice, '/api/v1/knowledge_bases/lighthouse-notes')).body as Json).chunks, info.chunks);

    const retrieval = starter('Knowledge Retrieval');
    const retrieveFlow = await save(alice, retrieval);
    const tweaks = { [nodeId(retrieval, 'KnowledgeRetrieval')]: { knowledge_base: 'lighthouse-notes', top_k: 10 }, [nodeId(retrieval, 'TextInput')]: { input_value: 'lighthouse keeper' } };
    const retrieved = await run(alice, retrieveFlow, { input_value: '', tweaks });
    assert.equal(retrieved.status, 200, retrieved.text);
    assert.match(retrieved.text, /Ottoline Marsh/);

    // Bob sees no knowledge base, cannot read or delete Alice's, and his retrieval of it fails.
    assert.deepEqual((await call(bob, '/api/v1/knowledge_bases')).body, []);
    assert.equal((await call(bob, '/api/v1/knowledge_bases/lighthouse-notes')).status, 404);
    assert.equal((await call(bob, '/api/v1/knowledge_bases/lighthouse-notes', { method: 'DELETE' })).status, 404);
    const bobsRetrieval = await run(bob, await save(bob, retrieval), { input_value: '', tweaks });
    assert.equal(bobsRetrieval.status, 500);
    assert.match(bobsRetrieval.text, /Metadata not found for knowledge base: lighthouse-notes/);
    assert.equal((await call(alice, '/api/v1/knowledge_bases/..%2F..%2Fsecret_key')).status, 404);

    const bulk = await call(alice, '/api/v1/knowledge_bases', { method: 'DELETE', json: { kb_names: ['lighthouse-notes', 'nope'] } });
    assert.equal(bulk.status, 200, bulk.text);
    assert.deepEqual(bulk.body, { message: 'Successfully deleted 1 knowledge base(s)', deleted_count: 1, not_found: 'nope' });
    assert.equal((await call(alice, '/api/v1/knowledge_bases', { method: 'DELETE', json: { kb_names: ['nope'] } })).status, 404);
    assert.deepEqual((await call(alice, '/api/v1/knowledge_bases')).body, []);
  });
});
