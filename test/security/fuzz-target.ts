import assert from 'node:assert/strict';
import { exampleFlows } from '../../src/api/examples/index.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';
import type { IdSource } from './fuzz-variants.js';

/**
 * The accounts and objects of the OpenAPI fuzz run: a superuser and an ordinary user, each with
 * canary objects (a flow, a project, a variable, an API key) that must come out unchanged, and
 * scratch objects the fuzz may edit, so that handlers get real ids and do real work.
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** An id no object has, fixed so that runs repeat. */
export const UNKNOWN_ID = '7f1c2a9e-3b4d-4e5f-8a6b-0c1d2e3f4a5b';

export interface FuzzUser {
  label: 'superuser' | 'user';
  username: string;
  password: string;
  id: string;
  token: string;
  apiKey: string;
  canary: { flowId: string; projectId: string; variableId: string; apiKeyId: string };
  scratch: { flowId: string; projectId: string; variableId: string; webhookFlowId: string; fileId: string; messageId: string; jobId: string };
}

export interface FuzzTarget {
  server: TestServer;
  users: FuzzUser[];
  /** A third account, only ever edited through `{user_id}` routes, so no fuzzed password or name locks anyone out. */
  scratchUserId: string;
}

export const authHeaders = (user: FuzzUser) => ({ authorization: `Bearer ${user.token}`, 'x-api-key': user.apiKey });

export async function login(server: TestServer, username: string, password: string): Promise<string> {
  const response = await server.call('/api/v1/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  assert.equal(response.status, 200, response.text);
  return (response.body as Json).access_token as string;
}

async function created(server: TestServer, path: string, headers: Record<string, string>, init: RequestInit & { json?: unknown }): Promise<Json> {
  const response = await server.call(path, { method: 'POST', headers, ...init });
  assert.ok(response.status === 200 || response.status === 201, `${path}: ${response.status} ${response.text}`);
  return response.body as Json;
}

async function prepareUser(server: TestServer, label: FuzzUser['label'], username: string, password: string): Promise<FuzzUser> {
  const token = await login(server, username, password);
  const bearer = { authorization: `Bearer ${token}` };
  const key = await created(server, '/api/v1/api_key/', bearer, { json: { name: 'canary key' } });
  const headers = { ...bearer, 'x-api-key': key.api_key as string };
  const id = ((await server.call('/api/v1/users/whoami', { headers })).body as Json).id as string;
  const [promptEcho, webhookParser] = exampleFlows();
  const project = async (name: string) => (await created(server, '/api/v1/projects/', headers, { json: { name } })).id as string;
  const flow = async (name: string, template: Json, folderId: string) => (await created(server, '/api/v1/flows/', headers, { json: { ...template, id: undefined, name, folder_id: folderId } })).id as string;
  const variable = async (name: string) => (await created(server, '/api/v1/variables/', headers, { json: { name, value: `${name}-value`, type: 'Generic' } })).id as string;

  const canaryProject = await project('Canary project');
  const scratchProject = await project('Scratch project');
  const canary = { flowId: await flow('Canary flow', promptEcho, canaryProject), projectId: canaryProject, variableId: await variable('CANARY_VAR'), apiKeyId: key.id as string };
  const scratchFlow = await flow('Scratch flow', promptEcho, scratchProject);
  const webhookFlowId = await flow('Scratch webhook', webhookParser, scratchProject);

  // A file for v1 routes (on the canary flow: files do not change the flow) and one for v2 routes.
  const v1File = new FormData();
  v1File.append('file', new Blob(['fuzz file']), 'fuzz.txt');
  await created(server, `/api/v1/files/upload/${canary.flowId}`, headers, { body: v1File });
  const v2File = new FormData();
  v2File.append('file', new Blob(['fuzz file']), 'fuzz.txt');
  const fileId = (await created(server, '/api/v2/files/', headers, { body: v2File })).id as string;

  // A stored message and a finished build job, for `{message_id}` and `{job_id}`.
  const run = await server.call(`/api/v1/run/${scratchFlow}`, { method: 'POST', headers, json: { input_value: 'hello' } });
  assert.equal(run.status, 200, run.text);
  const messages = (await server.call(`/api/v1/monitor/messages?flow_id=${scratchFlow}`, { headers })).body as Json[];
  const jobId = (await created(server, `/api/v1/build/${scratchFlow}/flow`, headers, { json: { inputs: { input_value: 'hi' } } })).job_id as string;
  const events = await server.call(`/api/v1/build/${jobId}/events`, { headers });
  assert.equal(events.status, 200, events.text);

  return {
    label,
    username,
    password,
    id,
    token,
    apiKey: key.api_key as string,
    canary,
    scratch: { flowId: scratchFlow, projectId: scratchProject, variableId: await variable('SCRATCH_VAR'), webhookFlowId, fileId, messageId: messages[0].id as string, jobId },
  };
}

export async function startFuzzTarget(): Promise<FuzzTarget> {
  const server = await startTestServer('sqlite', {
    LANGFLOW_AUTO_LOGIN: 'false',
    LANGFLOW_SUPERUSER: 'admin',
    LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass-fuzz',
    LANGFLOW_NEW_USER_IS_ACTIVE: 'true',
    // The fuzz posts thousands of bad logins; the limiter would otherwise lock the fuzz's own re-logins out.
    LANGFLOW_LOGIN_MAX_FAILURES: '0',
    WEFT_MCP_STDIO_COMMANDS: '',
    // So /logs and /logs-stream do their work instead of answering Langflow's 501.
    LANGFLOW_ENABLE_LOG_RETRIEVAL: 'true',
  });
  const adminToken = await login(server, 'admin', 'admin-pass-fuzz');
  const newUser = async (username: string) => {
    const body = await created(server, '/api/v1/users/', { authorization: `Bearer ${adminToken}` }, { json: { username, password: `${username}-pass-123` } });
    return body.id as string;
  };
  await newUser('alice');
  const scratchUserId = await newUser('scratch-user');
  const users = [await prepareUser(server, 'superuser', 'admin', 'admin-pass-fuzz'), await prepareUser(server, 'user', 'alice', 'alice-pass-123')];
  return { server, users, scratchUserId };
}

/**
 * Which real id a parameter gets. Reads (GET) and runs (POST) use the canary objects, which they must
 * not change; edits (PATCH/PUT) use scratch objects; a DELETE never gets a real id, so the fuzz never
 * deletes what it checks afterwards (nor the account it is signed in as).
 */
export function idsFor(target: FuzzTarget, user: FuzzUser): IdSource {
  return (name, method, path) => {
    const edits = method === 'PATCH' || method === 'PUT';
    if (method === 'DELETE') return name.includes('name') ? 'fuzz-unknown-name' : UNKNOWN_ID;
    switch (name) {
      case 'flow_id':
      case 'flow_id_or_name':
        if (path.includes('/webhook/')) return user.scratch.webhookFlowId;
        return edits ? user.scratch.flowId : user.canary.flowId;
      case 'project_id':
      case 'folder_id':
        return edits ? user.scratch.projectId : user.canary.projectId;
      case 'variable_id':
        return user.scratch.variableId;
      case 'user_id':
        return target.scratchUserId;
      case 'file_id':
        return user.scratch.fileId;
      case 'file_name':
        return 'fuzz.txt';
      case 'message_id':
        return user.scratch.messageId;
      case 'job_id':
        return user.scratch.jobId;
      case 'session_id':
      case 'old_session_id':
        return 'fuzz-session';
      case 'server_name':
        return 'fuzz-server';
      case 'folder_name':
        return 'People';
      default:
        return UNKNOWN_ID;
    }
  };
}

/** What must survive the fuzz unchanged: the canary flow, project, variable and API key, and the key still signing in. */
export async function canarySnapshot(server: TestServer, user: FuzzUser): Promise<Json> {
  const headers = { 'x-api-key': user.apiKey };
  const read = async (path: string) => {
    const response = await server.call(path, { headers });
    assert.equal(response.status, 200, `${user.label} ${path}: ${response.text}`);
    return response.body as Json;
  };
  const project = await read(`/api/v1/projects/${user.canary.projectId}`);
  const folder = (project.folder ?? project) as Json;
  const keys = (await read('/api/v1/api_key/')).api_keys as Json[];
  const key = keys.find((k) => k.id === user.canary.apiKeyId);
  return {
    whoami: (await read('/api/v1/users/whoami')).id,
    flow: await read(`/api/v1/flows/${user.canary.flowId}`),
    project: { id: folder.id, name: folder.name, description: folder.description, parent_id: folder.parent_id, auth_settings: folder.auth_settings },
    variable: ((await read('/api/v1/variables/')) as unknown as Json[]).find((v) => v.id === user.canary.variableId) ?? null,
    apiKey: key ? { id: key.id, name: key.name, api_key: key.api_key } : null,
  };
}
