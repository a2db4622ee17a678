import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { addUser, startTestServer, type TestServer, type TestUser } from '../../test-utils/api-server.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let server: TestServer;
let alice: TestUser;
let bob: TestUser;

before(async () => {
  server = await startTestServer('sqlite');
  alice = await addUser(server.database, 'alice');
  bob = await addUser(server.database, 'bob');
});
after(async () => {
  await server?.stop();
});

async function saveVia(user: TestUser, text: string, fields: Record<string, unknown>): Promise<{ status: number; body: Json; text: string }> {
  const flow = new FlowBuilder('save file');
  const input = flow.node('TextInput', { input_value: text });
  const save = flow.node('SaveToFile', fields);
  flow.connect(input, 'text', save, 'input');
  const created = await server.call('/api/v1/flows/', { method: 'POST', headers: user.headers, json: { name: `save ${Math.random()}`, data: flow.build().data } });
  assert.equal(created.status, 201, created.text);
  const ran = await server.call(`/api/v1/run/${(created.body as Json).id}`, { method: 'POST', headers: user.headers, json: { input_value: '', output_type: 'debug' } });
  return { status: ran.status, body: ran.body as Json, text: ran.text };
}

async function content(user: TestUser, name: string): Promise<string> {
  const files = (await server.call('/api/v2/files', { headers: user.headers })).body as Json[];
  const file = files.find((f) => f.name === name);
  assert.ok(file, `${name} is among the user's files: ${JSON.stringify(files.map((f) => f.name))}`);
  const download = await fetch(`${server.url}/api/v2/files/${file.id}`, { headers: user.headers });
  return download.text();
}

test('Write File saves a Message into the user\'s own files (txt, json), appends, and never writes outside them', async () => {
  const txt = await saveVia(alice, 'first line', { file_name: 'notes', local_format: 'txt' });
  assert.equal(txt.status, 200, txt.text);
  assert.match(txt.text, /Message saved successfully as 'notes\.txt' at [0-9a-f-]+\/notes\.txt/);
  assert.equal(await content(alice, 'notes'), 'first line');
  await saveVia(alice, 'second line', { file_name: 'notes', local_format: 'txt', append_mode: true });
  assert.equal(await content(alice, 'notes'), 'first line\nsecond line');

  await saveVia(alice, 'one', { file_name: 'log', local_format: 'json' });
  const appended = await saveVia(alice, 'two', { file_name: 'log', local_format: 'json', append_mode: true });
  assert.match(appended.text, /appended to 'log\.json'/);
  assert.deepEqual(JSON.parse(await content(alice, 'log')), [{ message: 'one' }, { message: 'two' }]);

  const escaped = await saveVia(alice, 'not in /etc', { file_name: '../../../etc/passwd', local_format: 'txt' });
  assert.equal(escaped.status, 200, escaped.text);
  assert.equal(await content(alice, 'passwd'), 'not in /etc');
  assert.deepEqual((await server.call('/api/v2/files', { headers: bob.headers })).body, [], "Bob's files are untouched");

  const refused = await saveVia(alice, 'x', { file_name: 'x', local_format: 'csv' });
  assert.equal(refused.status, 500);
  assert.match(refused.text, /Invalid file format 'csv' for Message/);
  const s3 = await saveVia(alice, 'x', { file_name: 'x', storage_location: [{ name: 'AWS' }] });
  assert.match(s3.text, /Saving to AWS is not available in Weft/);
});
