import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { rawRequest } from '../../test-utils/raw-http.js';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const FRONT_END = 'http://ui.example:3000';

/**
 * The `access_token_lf` cookie as a credential, as Langflow's `OAuth2PasswordBearerCookie` reads it
 * (Bearer header first, then the cookie, then the API key): what Langflow's browser UI relies on, an
 * `<img>` of a chat image above all, which can send no header. The cookie is ambient, so it only counts
 * on requests from the server's own pages (or a listed front end): another site cannot ride on it.
 */
describe('the access_token_lf cookie as a credential', () => {
  let server: TestServer;
  let cookie: string;
  let token: string;
  let apiKey: string;
  let flowId: string;
  let imageName: string;

  before(async () => {
    server = await startTestServer('sqlite', {
      LANGFLOW_AUTO_LOGIN: 'false', LANGFLOW_SUPERUSER: 'admin', LANGFLOW_SUPERUSER_PASSWORD: 'admin-pass', LANGFLOW_CORS_ORIGINS: FRONT_END,
    });
    const login = await server.call('/api/v1/login', {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'username=admin&password=admin-pass',
    });
    token = (login.body as Json).access_token;
    const setCookie = login.headers.getSetCookie().find((c) => c.startsWith('access_token_lf='))!;
    assert.match(setCookie, /SameSite=Lax/i);
    cookie = setCookie.split(';')[0];
    const auth = { authorization: `Bearer ${token}` };
    apiKey = ((await server.call('/api/v1/api_key/', { method: 'POST', headers: auth, json: { name: 'k' } })).body as Json).api_key;
    flowId = ((await server.call('/api/v1/flows/', { method: 'POST', headers: auth, json: { name: 'chat', data: { nodes: [], edges: [] } } })).body as Json).id;
    const form = new FormData();
    form.append('file', new Blob([PNG], { type: 'image/png' }), 'pixel.png');
    const upload = await server.call(`/api/v1/files/upload/${flowId}`, { method: 'POST', headers: auth, body: form });
    imageName = (upload.body as Json).file_path.split('/').pop();
  });
  after(async () => server?.stop());

  const get = (path: string, headers: Record<string, string> = {}) => rawRequest(server.url, path, { headers: { cookie, ...headers } });

  test('the cookie alone authenticates user routes, as a Bearer header would', async () => {
    const whoami = await get('/api/v1/users/whoami');
    assert.equal(whoami.status, 200, whoami.text);
    assert.equal((whoami.body as Json).username, 'admin');
    assert.equal((await get('/api/v1/flows/', { 'sec-fetch-site': 'same-origin', 'sec-fetch-mode': 'cors' })).status, 200);
    // Superuser routes too, and writes from the server's own page (Origin = the server).
    assert.equal((await get('/api/v1/users/')).status, 200);
    const create = await rawRequest(server.url, '/api/v1/projects/', {
      method: 'POST', headers: { cookie, origin: server.url, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'From the UI' }),
    });
    assert.equal(create.status, 201, create.text);
  });

  test("a chat image in an <img> tag of the server's own page loads with the cookie", async () => {
    const image = await get(`/api/v1/files/images/${flowId}/${imageName}`, { 'sec-fetch-site': 'same-origin', 'sec-fetch-dest': 'image', 'sec-fetch-mode': 'no-cors' });
    assert.equal(image.status, 200, image.text);
    assert.equal(image.headers['content-type'], 'image/png');
    const anonymous = await rawRequest(server.url, `/api/v1/files/images/${flowId}/${imageName}`);
    assert.equal(anonymous.status, 403, 'without the cookie the image stays private');
  });

  test('the Bearer header wins over the cookie, as in Langflow (a bad Bearer is a 401 even with a good cookie)', async () => {
    const response = await get('/api/v1/flows/', { authorization: 'Bearer invalid.token.here' });
    assert.equal(response.status, 401);
    assert.equal((response.body as Json).detail, 'Could not validate credentials');
    const badCookie = await rawRequest(server.url, '/api/v1/flows/', { headers: { cookie: 'access_token_lf=invalid.token.here' } });
    assert.equal(badCookie.status, 401);
  });

  test('attack: another site cannot use the cookie (cross-site Origin, Sec-Fetch-Site cross-site or same-site)', async () => {
    const attacks: Record<string, string>[] = [
      { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
      { origin: 'http://localhost:9999', 'sec-fetch-site': 'same-site' },
      { origin: 'null' },
      { 'sec-fetch-site': 'cross-site', 'sec-fetch-dest': 'image' },
      { 'sec-fetch-site': 'same-site', 'sec-fetch-dest': 'document' },
    ];
    for (const headers of attacks) {
      const read = await get('/api/v1/users/whoami', headers);
      assert.equal(read.status, 403, JSON.stringify(headers));
      assert.match((read.body as Json).detail, /access_token_lf cookie is only accepted/);
      const image = await get(`/api/v1/files/images/${flowId}/${imageName}`, headers);
      assert.equal(image.status, 403, JSON.stringify(headers));
      const write = await rawRequest(server.url, '/api/v1/projects/', {
        method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: 'name=csrf',
      });
      assert.equal(write.status, 403, JSON.stringify(headers));
    }
    const projects = (await server.call('/api/v1/projects/', { headers: { authorization: `Bearer ${token}` } })).body as Json[];
    assert.ok(!projects.some((p) => p.name === 'csrf'));
  });

  test('a front end listed in LANGFLOW_CORS_ORIGINS may use the cookie; an API key still works beside a cross-site cookie', async () => {
    const listed = await get('/api/v1/users/whoami', { origin: FRONT_END, 'sec-fetch-site': 'cross-site' });
    assert.equal(listed.status, 200, listed.text);
    const withKey = await get('/api/v1/users/whoami', { origin: 'https://evil.example', 'x-api-key': apiKey });
    assert.equal(withKey.status, 200, withKey.text);
  });

  test('/run keeps Langflow\'s api_key_security: the cookie is no API key there', async () => {
    const run = await rawRequest(server.url, `/api/v1/run/${flowId}`, {
      method: 'POST', headers: { cookie, 'content-type': 'application/json' }, body: JSON.stringify({ input_value: 'hi' }),
    });
    assert.equal(run.status, 403, run.text);
    assert.equal((run.body as Json).detail, 'An API key must be passed as query or header');
  });
});
