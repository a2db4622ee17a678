import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SecretBox } from '../../services/crypto.js';
import { addFlow, addUser, fileForm, startTestServer, type TestServer, type TestUser } from '../../../test-utils/api-server.js';

/**
 * Routes Langflow's clients and UI call that Weft lacked: the Store router (store.py), the Store key
 * (api_key.py `save_store_api_key`), the deprecated upload (endpoints.py `create_upload_file`) and
 * the bundled profile pictures (files.py `list_profile_pictures` / `download_profile_picture`).
 */
describe("Langflow clients' extra routes", () => {
  let h: TestServer;
  let alice: TestUser;
  const json = () => ({ ...alice.headers, 'content-type': 'application/json' });

  before(async () => {
    h = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false' });
    alice = await addUser(h.database, 'alice');
  });
  after(async () => h.stop());

  test('GET /api/v1/store/check/ says the Store is disabled, without auth', async () => {
    const response = await fetch(`${h.url}/api/v1/store/check/`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { enabled: false });
  });

  test('the Store proxy routes answer 400, after Langflow\'s "no store key" 400; check/api_key reports the saved key', async () => {
    assert.deepEqual(await (await fetch(`${h.url}/api/v1/store/check/api_key`, { headers: alice.headers })).json(), { has_api_key: false, is_valid: false });
    assert.equal((await fetch(`${h.url}/api/v1/store/check/api_key`)).status, 403);
    const needsKey = await fetch(`${h.url}/api/v1/store/users/likes`, { headers: alice.headers });
    assert.equal(needsKey.status, 400);
    assert.deepEqual(await needsKey.json(), { detail: 'You must have a store API key set.' });

    const saved = await fetch(`${h.url}/api/v1/api_key/store`, { method: 'POST', headers: json(), body: JSON.stringify({ api_key: 'store-key-123' }) });
    assert.equal(saved.status, 200);
    assert.deepEqual(await saved.json(), { detail: 'API Key saved' });
    const cookie = saved.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^apikey_tkn_lflw=/);
    const stored = (await h.database.users.getById(alice.user.id))?.store_api_key;
    assert.ok(stored && stored !== 'store-key-123', 'kept encrypted');
    assert.equal(new SecretBox(h.settings.secretKey).decrypt(stored), 'store-key-123');
    assert.ok(cookie.includes(stored), 'the cookie carries the encrypted key, as Langflow sets it');

    assert.deepEqual(await (await fetch(`${h.url}/api/v1/store/check/api_key`, { headers: alice.headers })).json(), { has_api_key: true, is_valid: false });
    for (const [method, path] of [
      ['GET', '/api/v1/store/components/'],
      ['GET', '/api/v1/store/tags'],
      ['GET', '/api/v1/store/users/likes'],
      ['GET', `/api/v1/store/components/${crypto.randomUUID()}`],
      ['POST', `/api/v1/store/users/likes/${crypto.randomUUID()}`],
    ] as const) {
      const response = await fetch(`${h.url}${path}`, { method, headers: alice.headers });
      assert.equal(response.status, 400, `${method} ${path}`);
      assert.deepEqual(await response.json(), { detail: 'The Langflow Store is not enabled on this server.' });
    }
    const missingBody = await fetch(`${h.url}/api/v1/api_key/store`, { method: 'POST', headers: json(), body: '{}' });
    assert.equal(missingBody.status, 422);
  });

  test('the deprecated POST /api/v1/upload/{flow_id} stores into the flow folder like the files route', async () => {
    const flow = await addFlow(h.database, alice);
    const response = await fetch(`${h.url}/api/v1/upload/${flow}`, { method: 'POST', headers: alice.headers, body: fileForm('notes.txt', 'legacy upload') });
    assert.equal(response.status, 201);
    const body = (await response.json()) as { flowId: string; file_path: string };
    assert.deepEqual(Object.keys(body).sort(), ['file_path', 'flowId']);
    assert.equal(body.flowId, flow);
    assert.match(body.file_path, new RegExp(`^${flow}/\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}_notes\\.txt$`));
    assert.equal(readFileSync(join(h.configDir, 'flow_files', body.file_path), 'utf8'), 'legacy upload');
    const anonymous = await fetch(`${h.url}/api/v1/upload/${flow}`, { method: 'POST', body: fileForm('x.txt', 'x') });
    assert.equal(anonymous.status, 403);
    const bob = await addUser(h.database, 'bob');
    const foreign = await fetch(`${h.url}/api/v1/upload/${flow}`, { method: 'POST', headers: bob.headers, body: fileForm('x.txt', 'x') });
    assert.equal(foreign.status, 404);
  });

  test('profile pictures: the bundled People/ and Space/ SVGs are listed and served until config_dir has its own', async () => {
    const list = (await (await fetch(`${h.url}/api/v1/files/profile_pictures/list`)).json()) as { files: string[] };
    const people = list.files.filter((f) => f.startsWith('People/'));
    const space = list.files.filter((f) => f.startsWith('Space/'));
    assert.ok(people.length >= 3 && space.length >= 3, JSON.stringify(list));
    assert.equal(people.length + space.length, list.files.length);
    // Langflow's UI shows Space/046-rocket.svg for a user without a profile image.
    assert.ok(list.files.includes('Space/046-rocket.svg'), JSON.stringify(list));
    for (const path of list.files) {
      const picture = await fetch(`${h.url}/api/v1/files/profile_pictures/${path}`);
      assert.equal(picture.status, 200, path);
      assert.equal(picture.headers.get('content-type'), 'image/svg+xml');
      const svg = await picture.text();
      assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
      assert.ok(!/<script|on\w+=/i.test(svg), `${path} is a plain drawing`);
    }
    const missing = await fetch(`${h.url}/api/v1/files/profile_pictures/People/nobody.svg`);
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { detail: 'Profile picture People/nobody.svg not found' });
    const wrongFolder = await fetch(`${h.url}/api/v1/files/profile_pictures/Animals/cat.svg`);
    assert.equal(wrongFolder.status, 400);
    assert.deepEqual(await wrongFolder.json(), { detail: 'Folder must be one of: People, Space' });

    // Pictures of config_dir replace the bundled list, and a config folder of its own is allowed too.
    mkdirSync(join(h.configDir, 'profile_pictures', 'Animals'), { recursive: true });
    writeFileSync(join(h.configDir, 'profile_pictures', 'Animals', 'cat.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
    assert.deepEqual(await (await fetch(`${h.url}/api/v1/files/profile_pictures/list`)).json(), { files: ['Animals/cat.svg'] });
    assert.equal((await fetch(`${h.url}/api/v1/files/profile_pictures/Animals/cat.svg`)).status, 200);
    // A bundled picture is still served by name.
    assert.equal((await fetch(`${h.url}/api/v1/files/profile_pictures/${people[0]}`)).status, 200);
  });
});
