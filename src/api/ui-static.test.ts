import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';
import { rawRequest } from '../../test-utils/raw-http.js';

const HTML = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };
const INDEX = '<!doctype html><html lang="en"><head><title>Weft</title><script type="module" src="/assets/index-AbC123.js"></script></head><body><div id="root"></div></body></html>';

/** `weft serve` serving the browser app of dist/ui (here a stand-in build in a temporary folder). */
describe('the browser app over HTTP', () => {
  const root = mkdtempSync(join(tmpdir(), 'weft-ui-'));
  const built = join(root, 'ui');
  let server: TestServer;
  let unbuilt: TestServer;

  before(async () => {
    mkdirSync(join(built, 'assets'), { recursive: true });
    writeFileSync(join(built, 'index.html'), INDEX);
    writeFileSync(join(built, 'assets', 'index-AbC123.js'), 'console.log("app")');
    writeFileSync(join(built, 'favicon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    [server, unbuilt] = await Promise.all([startTestServer('sqlite', {}, { uiDir: built }), startTestServer('sqlite', {}, { uiDir: join(root, 'missing') })]);
  });
  after(async () => {
    await Promise.all([server?.stop(), unbuilt?.stop()]);
    rmSync(root, { recursive: true, force: true });
  });

  test('/ is index.html, never cached, under a Content-Security-Policy', async () => {
    const response = await rawRequest(server.url, '/', { headers: HTML });
    assert.equal(response.status, 200);
    assert.equal(response.text, INDEX);
    assert.match(String(response.headers['content-type']), /^text\/html/);
    assert.equal(response.headers['cache-control'], 'no-cache');
    assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
    assert.ok(response.headers.etag, 'revalidated by ETag');
    const revalidated = await rawRequest(server.url, '/', { headers: { ...HTML, 'if-none-match': String(response.headers.etag) } });
    assert.equal(revalidated.status, 304);
  });

  test('hashed assets are cached for a year, immutable; other files revalidate', async () => {
    const asset = await rawRequest(server.url, '/assets/index-AbC123.js');
    assert.equal(asset.status, 200);
    assert.equal(asset.text, 'console.log("app")');
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.match(String(asset.headers['content-type']), /javascript/);
    const icon = await rawRequest(server.url, '/favicon.svg');
    assert.equal(icon.status, 200);
    assert.equal(icon.headers['cache-control'], 'no-cache');
  });

  test("the app's addresses fall back to index.html for browsers; API and asset misses stay JSON 404s", async () => {
    for (const path of ['/flow/3f2a', '/flow/3f2a/folder/9', '/all/folder/abc', '/settings/global-variables', '/login', '/playground/x?y=1']) {
      const page = await rawRequest(server.url, path, { headers: HTML });
      assert.equal(page.status, 200, path);
      assert.equal(page.text, INDEX, path);
      assert.equal(page.headers['cache-control'], 'no-cache', path);
    }
    const head = await rawRequest(server.url, '/flow/abc', { method: 'HEAD', headers: HTML });
    assert.equal(head.status, 200);
    for (const path of ['/api/v1/nothing-here', '/api/v2/x', '/assets/missing-123.js', '/docs/nothing.css', '/health/x', '/logs/x', '/favicon.ico', '/flow/abc.json']) {
      const miss = await rawRequest(server.url, path, { headers: HTML });
      assert.equal(miss.status, 404, path);
      assert.deepEqual(miss.body, { detail: 'Not Found' }, path);
    }
    // Clients that do not ask for HTML (curl, SDKs) get the API's answer everywhere.
    const api = await rawRequest(server.url, '/flow/abc', { headers: { accept: 'application/json' } });
    assert.equal(api.status, 404);
    assert.deepEqual(api.body, { detail: 'Not Found' });
    const post = await rawRequest(server.url, '/flow/abc', { method: 'POST', headers: HTML });
    assert.equal(post.status, 404);
    assert.deepEqual(post.body, { detail: 'Not Found' });
  });

  test('the API, docs and health are untouched by the app', async () => {
    assert.deepEqual((await rawRequest(server.url, '/health', { headers: HTML })).body, { status: 'ok' });
    assert.equal((await rawRequest(server.url, '/docs/', { headers: HTML })).status, 200);
    assert.equal((await rawRequest(server.url, '/openapi.json')).status, 200);
    const unauthorized = await rawRequest(server.url, '/api/v1/flows/', { headers: HTML });
    assert.equal(unauthorized.status, 403, "Langflow's 'Not authenticated'");
    // Paths that escape the folder never read outside it.
    const escape = await rawRequest(server.url, '/assets/../../etc/passwd', { headers: HTML });
    assert.notEqual(escape.status, 200);
    assert.ok(!escape.text.includes('root:'));
  });

  test('without a build the server still serves the API, and / says how to build the app', async () => {
    const page = await rawRequest(unbuilt.url, '/', { headers: HTML });
    assert.equal(page.status, 404);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.text, /npm run build/);
    assert.deepEqual((await rawRequest(unbuilt.url, '/', { headers: { accept: 'application/json' } })).body, { detail: 'Not Found' });
    assert.deepEqual((await rawRequest(unbuilt.url, '/flow/abc', { headers: HTML })).body, { detail: 'Not Found' });
    assert.deepEqual((await rawRequest(unbuilt.url, '/health')).body, { status: 'ok' });
  });
});
