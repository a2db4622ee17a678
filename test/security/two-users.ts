import assert from 'node:assert/strict';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface TestUser {
  name: string;
  id: string;
  token: string;
  key: string;
}

/** A multi-user server (AUTO_LOGIN off) with two ordinary users, each with a token and an API key. */
export interface TwoUsers {
  server: TestServer;
  alice: TestUser;
  bob: TestUser;
  stop(): Promise<void>;
}

export const bearer = (user: TestUser) => ({ authorization: `Bearer ${user.token}` });

async function login(server: TestServer, username: string, password: string): Promise<string> {
  const response = await server.call('/api/v1/login', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  assert.equal(response.status, 200, response.text);
  return (response.body as Json).access_token as string;
}

export async function startTwoUsers(env: Record<string, string> = {}): Promise<TwoUsers> {
  const server = await startTestServer('sqlite', {
    LANGFLOW_AUTO_LOGIN: 'false',
    LANGFLOW_SUPERUSER: 'admin',
    LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass',
    LANGFLOW_NEW_USER_IS_ACTIVE: 'true',
    ...env,
  });
  const admin = await login(server, 'admin', 'admin-pass');
  const users: TestUser[] = [];
  for (const name of ['alice', 'bob']) {
    const created = await server.call('/api/v1/users/', { method: 'POST', headers: { authorization: `Bearer ${admin}` }, json: { username: name, password: `${name}-pass-123` } });
    assert.equal(created.status, 201, created.text);
    const token = await login(server, name, `${name}-pass-123`);
    const key = await server.call('/api/v1/api_key/', { method: 'POST', headers: { authorization: `Bearer ${token}` }, json: { name: `${name} key` } });
    assert.equal(key.status, 200, key.text);
    users.push({ name, id: (created.body as Json).id as string, token, key: (key.body as Json).api_key as string });
  }
  return { server, alice: users[0], bob: users[1], stop: () => server.stop() };
}

/** Creates a flow as `user` and returns Langflow's FlowRead. */
export async function createFlow(server: TestServer, user: TestUser, flow: Json): Promise<Json> {
  const response = await server.call('/api/v1/flows/', { method: 'POST', headers: bearer(user), json: flow });
  assert.equal(response.status, 201, response.text);
  return response.body as Json;
}

/** Uploads `bytes` as a multipart `file` field. */
export function multipartFile(name: string, bytes: string | Uint8Array, type = 'application/octet-stream'): FormData {
  const form = new FormData();
  form.append('file', new Blob([typeof bytes === 'string' ? bytes : new Uint8Array(bytes)], { type }), name);
  return form;
}

/** A flow whose Webhook feeds a Chat Output, so each delivered payload becomes a stored message. */
export function webhookFlow(name: string, endpointName?: string): Json {
  const nodes = [
    { id: 'Webhook-00001', type: 'genericNode', position: { x: 0, y: 0 }, data: { id: 'Webhook-00001', type: 'Webhook', node: { template: { _type: 'Component', data: { name: 'data', value: '', type: 'str' } } } } },
    { id: 'ChatOutput-00002', type: 'genericNode', position: { x: 100, y: 0 }, data: { id: 'ChatOutput-00002', type: 'ChatOutput', node: { template: { _type: 'Component' } } } },
  ];
  const sourceHandle = { dataType: 'Webhook', id: 'Webhook-00001', name: 'output_data', output_types: ['Data'] };
  const targetHandle = { fieldName: 'input_value', id: 'ChatOutput-00002', inputTypes: ['Data', 'DataFrame', 'Message'], type: 'other' };
  const edges = [{ id: 'e1', source: 'Webhook-00001', target: 'ChatOutput-00002', data: { sourceHandle, targetHandle } }];
  return { name, ...(endpointName ? { endpoint_name: endpointName } : {}), data: { nodes, edges } };
}

/** The texts of the messages stored for `flowId`, as its owner sees them; waits up to `waitMs` for `expected` of them. */
export async function messageTexts(server: TestServer, owner: TestUser, flowId: string, expected = 0, waitMs = 0): Promise<string[]> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const response = await server.call(`/api/v1/monitor/messages?flow_id=${flowId}`, { headers: bearer(owner) });
    assert.equal(response.status, 200, response.text);
    const texts = (response.body as Json[]).map((message) => String(message.text));
    if (texts.length >= expected || Date.now() >= deadline) return texts;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
