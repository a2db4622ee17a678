import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest } from '../../test-utils/raw-http.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, unknown>;

/**
 * The attack: a web page at `rebind.evil.example` re-points its DNS name at 127.0.0.1. The browser
 * then treats the loopback server as the page's own origin (Origin and Host both say
 * `rebind.evil.example`), so CORS and Origin checks pass; only the `Host` header tells.
 */
describe('attack: DNS rebinding against a loopback-bound server', () => {
  let server: TestServer;
  let port: string;

  before(async () => {
    server = await startTestServer('sqlite');
    port = new URL(server.url).port;
  });
  after(async () => server?.stop());

  test('a request whose Host is a foreign name is refused with 400 before any route runs', async () => {
    const host = `rebind.evil.example:${port}`;
    for (const path of ['/api/v1/auto_login', '/api/v1/version', '/health', '/api/v1/does-not-exist']) {
      const response = await rawRequest(server.url, path, { headers: { host, origin: `http://${host}`, 'sec-fetch-site': 'same-origin' } });
      assert.equal(response.status, 400, `${path}: ${response.text}`);
      assert.match(String((response.body as Json).detail), /Invalid host header.*rebind\.evil\.example.*WEFT_ALLOWED_HOSTS/);
      assert.doesNotMatch(response.text, /access_token/);
    }
  });

  test('foreign names, public or non-loopback IP literals and look-alike names are refused too', async () => {
    for (const host of ['evil.example', `10.0.0.1:${port}`, `localhost.evil.example:${port}`, `127.0.0.1.nip.io:${port}`, `[::2]:${port}`]) {
      const response = await rawRequest(server.url, '/api/v1/version', { headers: { host } });
      assert.equal(response.status, 400, `${host}: ${response.text}`);
    }
  });

  test('loopback names and addresses, with or without a port, are served', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, 'localhost', `LOCALHOST:${port}`, `127.1.2.3:${port}`, `[::1]:${port}`, '[::1]']) {
      const response = await rawRequest(server.url, '/api/v1/version', { headers: { host } });
      assert.equal(response.status, 200, `${host}: ${response.text}`);
    }
  });

  test('WEFT_ALLOWED_HOSTS adds names (exact or *.suffix); * turns the check off', async () => {
    const named = await startTestServer('sqlite', { WEFT_ALLOWED_HOSTS: 'weft.internal, *.corp.example' });
    try {
      const namedPort = new URL(named.url).port;
      for (const [host, status] of [[`weft.internal:${namedPort}`, 200], ['api.corp.example', 200], ['corp.example.evil.example', 400], [`localhost:${namedPort}`, 200]] as const) {
        const response = await rawRequest(named.url, '/api/v1/version', { headers: { host } });
        assert.equal(response.status, status, `${host}: ${response.text}`);
      }
    } finally {
      await named.stop();
    }
    const open = await startTestServer('sqlite', { WEFT_ALLOWED_HOSTS: '*' });
    try {
      const response = await rawRequest(open.url, '/api/v1/version', { headers: { host: 'anything.example' } });
      assert.equal(response.status, 200, response.text);
    } finally {
      await open.stop();
    }
  });
});
