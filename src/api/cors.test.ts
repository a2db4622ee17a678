import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest } from '../../test-utils/raw-http.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

const A = 'https://a.example';
const B = 'https://b.example';
const EVIL = 'https://evil.example';

const preflight = (server: TestServer, origin: string, method: string, headers?: string) =>
  rawRequest(server.url, '/api/v1/flows/', {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': method, ...(headers === undefined ? {} : { 'access-control-request-headers': headers }) },
  });

/**
 * Langflow's CORS settings with Starlette's CORSMiddleware semantics (Langflow's `main.py` passes
 * `LANGFLOW_CORS_ORIGINS`, `_ALLOW_CREDENTIALS`, `_ALLOW_METHODS`, `_ALLOW_HEADERS` to it).
 */
describe('CORS with LANGFLOW_CORS_ORIGINS set (Langflow defaults for the rest)', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer('sqlite', { LANGFLOW_CORS_ORIGINS: `${A},${B}` });
  });
  after(async () => server?.stop());

  test('a preflight from a listed origin allows every method, echoes the requested headers, with credentials', async () => {
    const response = await preflight(server, A, 'DELETE', 'authorization, x-api-key, content-type');
    assert.equal(response.status, 200);
    assert.equal(response.text, 'OK');
    assert.equal(response.headers['access-control-allow-origin'], A);
    assert.equal(response.headers['access-control-allow-credentials'], 'true');
    assert.equal(response.headers['access-control-allow-methods'], 'DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT');
    assert.equal(response.headers['access-control-allow-headers'], 'authorization, x-api-key, content-type');
    assert.equal(response.headers['access-control-max-age'], '600');
    assert.equal(response.headers.vary, 'Origin');
  });

  test('a preflight from any other origin is 400 "Disallowed CORS origin" without the origin echoed', async () => {
    const response = await preflight(server, EVIL, 'GET');
    assert.equal(response.status, 400);
    assert.equal(response.text, 'Disallowed CORS origin');
    assert.equal(response.headers['access-control-allow-origin'], undefined);
    assert.equal(response.headers.vary, 'Origin');
  });

  test('simple requests: a listed origin is echoed with credentials and Vary: Origin; others get no origin', async () => {
    const listed = await rawRequest(server.url, '/api/v1/version', { headers: { origin: B } });
    assert.equal(listed.status, 200);
    assert.equal(listed.headers['access-control-allow-origin'], B);
    assert.equal(listed.headers['access-control-allow-credentials'], 'true');
    assert.match(String(listed.headers.vary), /Origin/);
    const other = await rawRequest(server.url, '/api/v1/version', { headers: { origin: EVIL } });
    assert.equal(other.headers['access-control-allow-origin'], undefined);
    const none = await rawRequest(server.url, '/api/v1/version');
    assert.equal(none.headers['access-control-allow-origin'], undefined);
    assert.equal(none.headers['access-control-allow-credentials'], undefined);
  });

  test('preflights of routes that do not exist are answered by CORS too, as the middleware runs first', async () => {
    const response = await rawRequest(server.url, '/api/v1/nowhere', { method: 'OPTIONS', headers: { origin: A, 'access-control-request-method': 'PATCH' } });
    assert.equal(response.status, 200);
    assert.equal(response.headers['access-control-allow-origin'], A);
  });
});

describe('CORS with methods, headers and credentials restricted', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer('sqlite', {
      LANGFLOW_CORS_ORIGINS: A,
      LANGFLOW_CORS_ALLOW_METHODS: 'GET,POST',
      LANGFLOW_CORS_ALLOW_HEADERS: 'x-api-key',
      LANGFLOW_CORS_ALLOW_CREDENTIALS: 'false',
    });
  });
  after(async () => server?.stop());

  test('listed methods and headers (plus the CORS-safelisted ones) pass; the rest are named in the 400', async () => {
    const ok = await preflight(server, A, 'POST', 'X-API-Key, Content-Type');
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.headers['access-control-allow-methods'], 'GET, POST');
    assert.equal(ok.headers['access-control-allow-headers'], 'Accept, Accept-Language, Content-Language, Content-Type, x-api-key');
    assert.equal(ok.headers['access-control-allow-credentials'], undefined);
    assert.equal((await preflight(server, A, 'DELETE')).text, 'Disallowed CORS method');
    assert.equal((await preflight(server, A, 'GET', 'authorization')).text, 'Disallowed CORS headers');
    const all = await preflight(server, EVIL, 'PUT', 'authorization');
    assert.equal(all.status, 400);
    assert.equal(all.text, 'Disallowed CORS origin, method, headers');
  });

  test('without credentials a listed origin is still echoed, without allow-credentials', async () => {
    const response = await rawRequest(server.url, '/api/v1/version', { headers: { origin: A } });
    assert.equal(response.headers['access-control-allow-origin'], A);
    assert.equal(response.headers['access-control-allow-credentials'], undefined);
  });
});

describe('CORS with LANGFLOW_CORS_ORIGINS=* and credentials requested', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer('sqlite', { LANGFLOW_CORS_ORIGINS: '*', LANGFLOW_CORS_ALLOW_CREDENTIALS: 'true' });
  });
  after(async () => server?.stop());

  test('any origin may read, with `*` and never with credentials', async () => {
    const response = await preflight(server, EVIL, 'DELETE', 'authorization');
    assert.equal(response.status, 200);
    assert.equal(response.headers['access-control-allow-origin'], '*');
    assert.equal(response.headers['access-control-allow-credentials'], undefined);
    assert.equal(response.headers['access-control-allow-headers'], 'authorization');
    const simple = await rawRequest(server.url, '/api/v1/version', { headers: { origin: EVIL } });
    assert.equal(simple.headers['access-control-allow-origin'], '*');
    assert.equal(simple.headers['access-control-allow-credentials'], undefined);
  });
});
