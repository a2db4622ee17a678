import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, unknown>;

const ENV_KEY = 'sk-from-the-environment-0123456789abcdef';
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

async function dbKeyOf(server: TestServer): Promise<string> {
  const login = await server.call('/api/v1/login', { method: 'POST', headers: FORM, body: 'username=admin&password=admin-pass' });
  const auth = { authorization: `Bearer ${(login.body as Json).access_token as string}` };
  return ((await server.call('/api/v1/api_key/', { method: 'POST', headers: auth, json: { name: 'db key' } })).body as Json).api_key as string;
}

/** Langflow's LANGFLOW_API_KEY_SOURCE (services/database/models/api_key/crud.py `check_key`). */
describe('LANGFLOW_API_KEY_SOURCE=env', () => {
  let server: TestServer;
  let dbKey: string;

  before(async () => {
    server = await startTestServer('sqlite', {
      LANGFLOW_AUTO_LOGIN: 'false',
      LANGFLOW_SUPERUSER: 'admin',
      LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass',
      LANGFLOW_API_KEY_SOURCE: 'env',
      LANGFLOW_API_KEY: ENV_KEY,
    });
    dbKey = await dbKeyOf(server);
  });
  after(async () => server?.stop());

  test('the environment key authenticates as the superuser (header and query)', async () => {
    const viaHeader = await server.call('/api/v1/users/whoami', { headers: { 'x-api-key': ENV_KEY } });
    assert.equal(viaHeader.status, 200);
    assert.equal((viaHeader.body as Json).username, 'admin');
    assert.equal((viaHeader.body as Json).is_superuser, true);
    const viaQuery = await server.call(`/api/v1/users/whoami?x-api-key=${ENV_KEY}`);
    assert.equal(viaQuery.status, 200);
  });

  test('database keys keep working; a wrong key is still 403', async () => {
    assert.equal((await server.call('/api/v1/users/whoami', { headers: { 'x-api-key': dbKey } })).status, 200);
    const wrong = await server.call('/api/v1/users/whoami', { headers: { 'x-api-key': `${ENV_KEY}x` } });
    assert.equal(wrong.status, 403);
    assert.deepEqual(wrong.body, { detail: 'Invalid or missing API key' });
  });

  test('the API-key-only routes (/run) accept it too', async () => {
    const response = await server.call('/api/v1/run/00000000-0000-4000-8000-000000000000', { method: 'POST', headers: { 'x-api-key': ENV_KEY }, json: {} });
    assert.equal(response.status, 404, 'authenticated; the flow does not exist');
  });
});

test('with LANGFLOW_API_KEY_SOURCE=db (the default) LANGFLOW_API_KEY is not a credential', async () => {
  const server = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass', LANGFLOW_API_KEY: ENV_KEY });
  try {
    const response = await server.call('/api/v1/users/whoami', { headers: { 'x-api-key': ENV_KEY } });
    assert.equal(response.status, 403);
  } finally {
    await server.stop();
  }
});
