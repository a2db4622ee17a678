import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { exampleFlows } from '../../src/api/examples/index.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One parameter of an operation, as the document declares it. */
export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  required: boolean;
  schema: Json;
}

/** One operation of the server's own OpenAPI document. */
export interface Operation {
  method: string;
  path: string;
  /** Request body media types the document lists (empty when it lists none). */
  mediaTypes: string[];
  pathParams: string[];
  parameters: Parameter[];
  /** The schema of the first listed body media type, when there is one. */
  bodySchema: Json | null;
}

/** Every operation of an OpenAPI document, in the document's order. */
export function operationsOf(document: Json): Operation[] {
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths as Record<string, Record<string, Json>>)) {
    for (const [method, operation] of Object.entries(methods)) {
      const content = (operation.requestBody?.content ?? {}) as Record<string, Json>;
      const parameters = ((operation.parameters ?? []) as Json[]).map((p) => ({ name: p.name as string, in: p.in as Parameter['in'], required: p.required === true, schema: (p.schema ?? {}) as Json }));
      operations.push({
        method: method.toUpperCase(),
        path,
        mediaTypes: Object.keys(content),
        pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
        parameters,
        bodySchema: (Object.values(content)[0]?.schema as Json | undefined) ?? null,
      });
    }
  }
  return operations;
}

/**
 * A server with a canary user, API key, project and flow, for attacks that walk every route: afterwards
 * `assertIntact` checks the process is healthy, the canary is still there and still runs.
 */
export interface AttackTarget {
  server: TestServer;
  headers: Record<string, string>;
  canary: { flowId: string; folderId: string; userId: string; nodeIds: string[] };
  operations: Operation[];
  /** A concrete URL for an operation: path params filled with the canary's ids (or, for DELETE, fresh ones). */
  urlFor(operation: Operation): string;
  assertIntact(): Promise<void>;
}

export async function startAttackTarget(env: Record<string, string> = {}): Promise<AttackTarget> {
  const server = await startTestServer('sqlite', env);
  const token = ((await server.call('/api/v1/auto_login')).body as Json).access_token as string;
  const bearer = { authorization: `Bearer ${token}` };
  const key = await server.call('/api/v1/api_key/', { method: 'POST', headers: bearer, json: { name: 'canary key' } });
  assert.equal(key.status, 200, key.text);
  const headers = { ...bearer, 'x-api-key': (key.body as Json).api_key as string };
  const folder = await server.call('/api/v1/projects/', { method: 'POST', headers, json: { name: 'Canary project' } });
  assert.equal(folder.status, 201, folder.text);
  const [promptEcho] = exampleFlows();
  const flow = await server.call('/api/v1/flows/', { method: 'POST', headers, json: { ...promptEcho, id: undefined, name: 'Canary flow', folder_id: (folder.body as Json).id } });
  assert.equal(flow.status, 201, flow.text);
  const whoami = (await server.call('/api/v1/users/whoami', { headers })).body as Json;
  const canary = {
    flowId: (flow.body as Json).id as string,
    folderId: (folder.body as Json).id as string,
    userId: whoami.id as string,
    nodeIds: ((flow.body as Json).data.nodes as Json[]).map((node) => node.id as string),
  };

  const operations = operationsOf((await server.call('/openapi.json')).body as Json);

  function paramValue(name: string, method: string): string {
    // A destructive call never gets the canary's ids: the attacks are about malformed input, not deletion.
    if (method === 'DELETE') return name.includes('name') ? `fuzz-${randomUUID().slice(0, 8)}` : randomUUID();
    if (name === 'flow_id' || name === 'flow_id_or_name') return canary.flowId;
    if (name === 'project_id' || name === 'folder_id') return canary.folderId;
    if (name === 'user_id') return canary.userId;
    if (name === 'file_name' || name === 'folder_name' || name === 'server_name') return 'fuzz.txt';
    if (name.endsWith('session_id')) return 'fuzz-session';
    return randomUUID();
  }

  return {
    server,
    headers,
    canary,
    operations,
    urlFor: (operation) => operation.path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(paramValue(name, operation.method))),
    async assertIntact() {
      assert.deepEqual((await server.call('/health')).body, { status: 'ok' });
      assert.equal((await server.call('/api/v1/users/whoami', { headers })).status, 200, 'the canary user still signs in');
      const flowRead = await server.call(`/api/v1/flows/${canary.flowId}`, { headers });
      assert.equal(flowRead.status, 200, `the canary flow is intact: ${flowRead.text}`);
      assert.equal((flowRead.body as Json).name, 'Canary flow');
      const run = await server.call(`/api/v1/run/${canary.flowId}`, { method: 'POST', headers, json: { input_value: 'still alive' } });
      assert.equal(run.status, 200, run.text);
      assert.match(run.text, /still alive/);
    },
  };
}

/** Object.prototype's own keys, to compare before and after an attack. */
export function prototypeKeys(): string[] {
  return Reflect.ownKeys(Object.prototype).map(String).sort();
}
