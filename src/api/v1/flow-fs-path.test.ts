import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addUser, startTestServer, type TestServer, type TestUser } from '../../../test-utils/api-server.js';

/**
 * `fs_path` on flow create, batch, upload, project upload and PATCH, as Langflow's flows.py
 * `_verify_fs_path` / `_get_safe_flow_path` checks it: only paths inside `<config_dir>/flows/<user_id>`.
 */
const TRAVERSAL = 'Invalid fs_path: directory traversal (..) is not allowed';
const OUTSIDE_ABSOLUTE = 'Absolute path must be within your flows directory';

describe('flow fs_path is validated as Langflow validates it', () => {
  let h: TestServer;
  let alice: TestUser;
  const headers = () => ({ ...alice.headers, 'content-type': 'application/json' });

  before(async () => {
    h = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false' });
    alice = await addUser(h.database, 'alice');
  });
  after(async () => h.stop());

  const create = (fsPath: unknown, name = `Flow ${Math.random()}`) =>
    fetch(`${h.url}/api/v1/flows/`, { method: 'POST', headers: headers(), body: JSON.stringify({ name, data: { nodes: [], edges: [] }, fs_path: fsPath }) });

  const refusals: [string, string][] = [
    ['', 'fs_path cannot be empty'],
    ['../outside.json', TRAVERSAL],
    ['flows/../../secret_key', TRAVERSAL],
    ['..\\..\\secret_key', TRAVERSAL],
    ['a..b.json', TRAVERSAL],
    ['flow\u0000.json', 'Invalid fs_path: null bytes are not allowed'],
    ['/etc/passwd', OUTSIDE_ABSOLUTE],
    ['/tmp/flow.json', OUTSIDE_ABSOLUTE],
    ['C:\\Windows\\win.ini', OUTSIDE_ABSOLUTE],
    ['C:/flows/flow.json', OUTSIDE_ABSOLUTE],
  ];

  test('create refuses each unsafe path with a 400 and stores nothing', async () => {
    for (const [fsPath, detail] of refusals) {
      const name = `Refused ${Math.random()}`;
      const response = await create(fsPath, name);
      assert.equal(response.status, 400, JSON.stringify(fsPath));
      assert.deepEqual(await response.json(), { detail }, JSON.stringify(fsPath));
      const listed = (await (await fetch(`${h.url}/api/v1/flows/`, { headers: alice.headers })).json()) as { name: string }[];
      assert.ok(!listed.some((flow) => flow.name === name), 'no flow was stored');
    }
  });

  test('relative paths, absolute paths inside the flows folder, and null are accepted', async () => {
    const inside = join(h.configDir, 'flows', alice.user.id, 'mine.json');
    for (const fsPath of ['my-flow.json', 'sub/dir/flow.json', inside, null]) {
      const response = await create(fsPath);
      assert.equal(response.status, 201, JSON.stringify(fsPath));
      assert.equal(((await response.json()) as { fs_path: string | null }).fs_path, fsPath);
    }
  });

  test('a symlink inside the flows folder cannot lead a relative path out of it', async () => {
    const base = join(h.configDir, 'flows', alice.user.id);
    mkdirSync(base, { recursive: true });
    symlinkSync('/tmp', join(base, 'escape'));
    const response = await create('escape/flow.json');
    assert.equal(response.status, 400);
    assert.deepEqual(await response.json(), { detail: 'Invalid path: resolves outside allowed directory' });
  });

  test('PATCH, batch, flow upload and project upload check it too (a batch stores none of its flows)', async () => {
    const created = (await (await create('ok.json')).json()) as { id: string };
    const patch = await fetch(`${h.url}/api/v1/flows/${created.id}`, { method: 'PATCH', headers: headers(), body: JSON.stringify({ fs_path: '/etc/cron.d/job' }) });
    assert.equal(patch.status, 400);
    assert.deepEqual(await patch.json(), { detail: OUTSIDE_ABSOLUTE });
    const unchanged = (await (await fetch(`${h.url}/api/v1/flows/${created.id}`, { headers: alice.headers })).json()) as { fs_path: string };
    assert.equal(unchanged.fs_path, 'ok.json');

    const batchName = `Batch ${Math.random()}`;
    const batch = await fetch(`${h.url}/api/v1/flows/batch/`, {
      method: 'POST',
      headers: headers(),
      body: JSON.stringify({ flows: [{ name: batchName, data: {}, fs_path: 'fine.json' }, { name: `${batchName} 2`, data: {}, fs_path: '../x.json' }] }),
    });
    assert.equal(batch.status, 400);
    assert.deepEqual(await batch.json(), { detail: TRAVERSAL });
    const listed = (await (await fetch(`${h.url}/api/v1/flows/`, { headers: alice.headers })).json()) as { name: string }[];
    assert.ok(!listed.some((flow) => flow.name.startsWith(batchName)), 'no flow of the refused batch was stored');

    for (const path of ['/api/v1/flows/upload/', '/api/v1/projects/upload/']) {
      const form = new FormData();
      const upload = { flows: [{ name: 'Uploaded', data: { nodes: [], edges: [] }, fs_path: 'C:\\evil.json' }] };
      form.append('file', new Blob([JSON.stringify(upload)], { type: 'application/json' }), 'flows.json');
      const response = await fetch(`${h.url}${path}`, { method: 'POST', headers: alice.headers, body: form });
      assert.equal(response.status, 400, path);
      assert.deepEqual(await response.json(), { detail: OUTSIDE_ABSOLUTE }, path);
    }
    const projects = (await (await fetch(`${h.url}/api/v1/projects/`, { headers: alice.headers })).json()) as { name: string }[];
    assert.ok(!projects.some((project) => project.name === 'flows'), 'no project was made for the refused upload');
  });
  test("a flow with an fs_path is written there as JSON on create and on update (Langflow's _save_flow_to_fs)", async () => {
    const response = await create('mirrored/my_flow.json', 'Mirrored');
    assert.equal(response.status, 201);
    const flow = (await response.json()) as { id: string; user_id: string };
    const file = join(h.configDir, 'flows', alice.user.id, 'mirrored', 'my_flow.json');
    assert.equal(flow.user_id, alice.user.id);
    const written = JSON.parse(readFileSync(file, 'utf8')) as { id: string; name: string; fs_path: string };
    assert.deepEqual([written.id, written.name, written.fs_path], [flow.id, 'Mirrored', 'mirrored/my_flow.json']);
    assert.equal(statSync(file).mode & 0o077, 0, 'the file is private to the server user');
    const patched = await fetch(`${h.url}/api/v1/flows/${flow.id}`, { method: 'PATCH', headers: headers(), body: JSON.stringify({ description: 'changed' }) });
    assert.equal(patched.status, 200);
    assert.equal((JSON.parse(readFileSync(file, 'utf8')) as { description: string }).description, 'changed');
    const noPath = await create(null, 'Not mirrored');
    assert.equal(noPath.status, 201);
    assert.equal(existsSync(join(h.configDir, 'flows', alice.user.id, 'Not mirrored')), false);
  });
});
