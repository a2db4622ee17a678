import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { addUser, startTestServer, type TestServer, type TestUser } from '../../../test-utils/api-server.js';
import { FlowBuilder } from '../../../test-utils/flow-builder.js';
import { createServerFolders } from '../../services/files/server-folders.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('Directory: server folders, superusers only, below WEFT_DIRECTORY_ROOTS', () => {
  const root = mkdtempSync(join(tmpdir(), 'weft-dir-root-'));
  const outside = mkdtempSync(join(tmpdir(), 'weft-dir-outside-'));
  let server: TestServer;
  let admin: TestUser;
  let alice: TestUser;

  before(async () => {
    writeFileSync(join(root, 'a.txt'), 'alpha text');
    writeFileSync(join(root, 'b.md'), '# beta notes');
    writeFileSync(join(root, '.hidden.txt'), 'hidden text');
    writeFileSync(join(root, 'skip.bin'), 'binary');
    mkdirSync(join(root, 'sub'));
    writeFileSync(join(root, 'sub', 'c.txt'), 'gamma text');
    writeFileSync(join(outside, 'secret.txt'), 'outside secret');
    symlinkSync(outside, join(root, 'link-out'));
    server = await startTestServer('sqlite', { WEFT_DIRECTORY_ROOTS: root });
    admin = await addUser(server.database, 'admin', { superuser: true });
    alice = await addUser(server.database, 'alice');
  });
  after(async () => {
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });
  });

  async function run(user: TestUser, fields: Record<string, unknown>): Promise<{ status: number; text: string }> {
    const flow = new FlowBuilder('dir');
    const directory = flow.node('Directory', fields);
    const output = flow.node('ChatOutput', {});
    flow.connect(directory, 'dataframe', output, 'input_value', ['DataFrame']);
    const created = await server.call('/api/v1/flows/', { method: 'POST', headers: user.headers, json: { name: 'dir', data: flow.build().data } });
    const response = await server.call(`/api/v1/run/${(created.body as Json).id}`, { method: 'POST', headers: user.headers, json: { input_value: 'go' } });
    return { status: response.status, text: response.text };
  }

  test("a superuser's flow reads the folder's files of the supported types; hidden files, sub-folders and links out stay out", async () => {
    const flat = await run(admin, { path: root });
    assert.equal(flat.status, 200, flat.text);
    for (const text of ['alpha text', 'beta notes']) assert.ok(flat.text.includes(text), text);
    for (const text of ['gamma text', 'hidden text', 'binary', 'outside secret']) assert.ok(!flat.text.includes(text), text);
    const deep = await run(admin, { path: '.', recursive: true, types: ['txt'] });
    assert.equal(deep.status, 200, deep.text);
    assert.ok(deep.text.includes('gamma text') && deep.text.includes('alpha text'));
    assert.ok(!deep.text.includes('beta notes'), 'only .txt');
    assert.ok(!deep.text.includes('outside secret'), 'a link out of the root is not followed');
  });

  test('outside the roots, through `..` or a link, and any non-superuser: refused with the reason', async () => {
    for (const path of [outside, join(root, '..'), join(root, 'link-out'), '/etc']) {
      const refused = await run(admin, { path });
      assert.equal(refused.status, 500);
      assert.match(refused.text, /outside the folders WEFT_DIRECTORY_ROOTS allows/, path);
      assert.ok(!refused.text.includes('outside secret'));
    }
    const notAdmin = await run(alice, { path: root });
    assert.equal(notAdmin.status, 500);
    assert.match(notAdmin.text, /Only a superuser may read folders of the server/);
    assert.ok(!notAdmin.text.includes('alpha text'));
  });

  test('without WEFT_DIRECTORY_ROOTS nothing is readable, for anyone', async () => {
    const folders = createServerFolders({ database: server.database, userId: admin.user.id, roots: [] });
    await assert.rejects(folders.list(root, { recursive: false, depth: 0, loadHidden: false }), /an administrator allows them with WEFT_DIRECTORY_ROOTS/);
  });
});
