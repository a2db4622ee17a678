import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest } from '../../test-utils/raw-http.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, unknown>;

const EVIL = 'https://evil.example';

/**
 * The attack: with default settings (auto-login on) a web page the user merely visits calls
 * `/api/v1/auto_login` from the browser and reads the superuser token out of the response, or makes
 * the browser store it as a cookie by navigating there. Every link of that chain is closed.
 */
describe('attack: drive-by auto_login from another website (default settings)', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer('sqlite');
  });
  after(async () => server?.stop());

  test('a cross-origin fetch of auto_login is refused with 403 and gets no CORS access', async () => {
    const response = await rawRequest(server.url, '/api/v1/auto_login', { headers: { origin: EVIL, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' } });
    assert.equal(response.status, 403, response.text);
    assert.match(String((response.body as Json).detail), /cross-site/i);
    assert.doesNotMatch(response.text, /access_token/);
    assert.equal(response.headers['access-control-allow-origin'], undefined);
    assert.equal(response.headers['set-cookie'], undefined);
  });

  test('a cross-site navigation or image to auto_login (no Origin, Sec-Fetch-Site: cross-site) is refused', async () => {
    const response = await rawRequest(server.url, '/api/v1/auto_login', { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } });
    assert.equal(response.status, 403, response.text);
    assert.equal(response.headers['set-cookie'], undefined);
  });

  test('an Origin that is not the server’s own is refused even without Sec-Fetch headers (older browsers)', async () => {
    for (const origin of [EVIL, 'null', 'http://localhost:1', server.url.replace('127.0.0.1', '127.0.0.2')]) {
      const response = await rawRequest(server.url, '/api/v1/auto_login', { headers: { origin } });
      assert.equal(response.status, 403, `${origin}: ${response.text}`);
    }
  });

  test('a preflight from another website is refused as Starlette refuses a disallowed origin, with no CORS headers', async () => {
    const response = await rawRequest(server.url, '/api/v1/auto_login', {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization' },
    });
    assert.equal(response.status, 400);
    assert.equal(response.text, 'Disallowed CORS origin');
    assert.equal(response.headers['access-control-allow-origin'], undefined);
    assert.equal(response.headers['access-control-allow-credentials'], undefined);
  });

  test('no API response carries CORS access for another website', async () => {
    const token = ((await server.call('/api/v1/auto_login')).body as Json).access_token as string;
    for (const path of ['/api/v1/version', '/api/v1/users/whoami', '/api/v1/flows/', '/health']) {
      const response = await rawRequest(server.url, path, { headers: { origin: EVIL, authorization: `Bearer ${token}`, cookie: `access_token_lf=${token}` } });
      assert.equal(response.headers['access-control-allow-origin'], undefined, path);
      assert.equal(response.headers['access-control-allow-credentials'], undefined, path);
    }
  });

  test('the user’s own page (same origin) and scripts without Origin still log in automatically', async () => {
    const sameOrigin = await rawRequest(server.url, '/api/v1/auto_login', { headers: { origin: server.url, 'sec-fetch-site': 'same-origin' } });
    assert.equal(sameOrigin.status, 200, sameOrigin.text);
    assert.equal(typeof (sameOrigin.body as Json).access_token, 'string');
    const navigation = await rawRequest(server.url, '/api/v1/auto_login', { headers: { 'sec-fetch-site': 'none' } });
    assert.equal(navigation.status, 200, navigation.text);
    const script = await server.call('/api/v1/auto_login');
    assert.equal(script.status, 200, script.text);
  });

  test('an origin the operator opted in with LANGFLOW_CORS_ORIGINS may auto-login, with credentials', async () => {
    const ui = 'https://ui.example';
    const optedIn = await startTestServer('sqlite', { LANGFLOW_CORS_ORIGINS: ui });
    try {
      const response = await rawRequest(optedIn.url, '/api/v1/auto_login', { headers: { origin: ui, 'sec-fetch-site': 'cross-site' } });
      assert.equal(response.status, 200, response.text);
      assert.equal(response.headers['access-control-allow-origin'], ui);
      assert.equal(response.headers['access-control-allow-credentials'], 'true');
      const other = await rawRequest(optedIn.url, '/api/v1/auto_login', { headers: { origin: EVIL, 'sec-fetch-site': 'cross-site' } });
      assert.equal(other.status, 403, other.text);
    } finally {
      await optedIn.stop();
    }
  });

  test('LANGFLOW_CORS_ORIGINS=* opens reads to any origin but never auto-login or credentials', async () => {
    const open = await startTestServer('sqlite', { LANGFLOW_CORS_ORIGINS: '*', LANGFLOW_CORS_ALLOW_CREDENTIALS: 'true' });
    try {
      const response = await rawRequest(open.url, '/api/v1/auto_login', { headers: { origin: EVIL, 'sec-fetch-site': 'cross-site' } });
      assert.equal(response.status, 403, response.text);
      const version = await rawRequest(open.url, '/api/v1/version', { headers: { origin: EVIL } });
      assert.equal(version.headers['access-control-allow-origin'], '*');
      assert.equal(version.headers['access-control-allow-credentials'], undefined);
    } finally {
      await open.stop();
    }
  });
});
