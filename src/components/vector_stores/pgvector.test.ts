import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { startPgliteServer, type PgliteServer } from '../../../test-utils/pglite-server.js';
import type { EngineServices } from '../../engine/component.js';
import { runFlow } from '../../engine/run.js';
import { PgVectorService } from '../../services/vectors/index.js';
import { createRegistry } from '../registry.js';

let server: PgliteServer;
let service: PgVectorService;
const USER = '00000000-0000-4000-8000-0000000000e1';
const urls: string[] = [];

before(async () => {
  server = await startPgliteServer();
  service = new PgVectorService({ pool: server.pool() });
});
after(async () => {
  await server?.stop();
});

function services(extra: Partial<EngineServices> = {}): Partial<EngineServices> {
  return {
    pgVectorStores: (url) => {
      urls.push(url);
      return service;
    },
    allowedHosts: '127.0.0.1',
    ...extra,
  };
}

function pgFlow(fields: Record<string, unknown>, text?: string) {
  const flow = new FlowBuilder();
  const embed = flow.node('HashingEmbeddings', { dimensions: 128 });
  const store = flow.node('pgvector', { pg_server_url: server.url, collection_name: 'notes', number_of_results: 2, ...fields });
  flow.connect(embed, 'embeddings', store, 'embedding', ['Embeddings']);
  if (text !== undefined) {
    const input = flow.node('TextInput', { input_value: text });
    const split = flow.node('SplitText', { chunk_size: 30, chunk_overlap: 0, separator: '\n' });
    flow.connect(input, 'text', split, 'data_inputs').connect(split, 'dataframe', store, 'ingest_data', ['DataFrame']);
  }
  return { flow: flow.build(), store };
}

test('PGVector ingests chunks into PostgreSQL + pgvector over the wire and retrieves the closest', async () => {
  const registry = createRegistry();
  const ingest = pgFlow({ search_query: '' }, 'Otters hold hands while sleeping.\nGranite is an igneous rock.\nPostgres speaks SQL.');
  await runFlow({ flow: ingest.flow, registry, userId: USER, services: services() });
  assert.deepEqual(urls.at(-1), server.url);
  const search = pgFlow({ search_query: 'which rock is igneous' });
  const response = await runFlow({ flow: search.flow, registry, userId: USER, outputType: 'debug', services: services() });
  const rows = response.outputs[0].outputs.find((o) => o.component_id === search.store)!.results.dataframe as unknown;
  const list = (Array.isArray(rows) ? rows : (rows as { toJSON(): Record<string, unknown>[] }).toJSON()) as Record<string, unknown>[];
  assert.equal(list[0].text, 'Granite is an igneous rock.');
  const other = await service.forUser('00000000-0000-4000-8000-0000000000e2', 'vector_stores').info('notes');
  assert.equal(other, undefined, "another user's PGVector table of the same name is not this one");
});

test('PGVector refuses a private server unless it is allowed', async () => {
  const { flow } = pgFlow({ search_query: 'x' });
  const error = await runFlow({ flow, registry: createRegistry(), userId: USER, services: services({ allowedHosts: '' }) }).catch((e: unknown) => e);
  assert.match(String(error instanceof Error ? error.message : JSON.stringify(error)), /Refusing to connect to 127\.0\.0\.1: 127\.0\.0\.1 is a private or reserved address/);
});
