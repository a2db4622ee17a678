import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LangflowClient } from '@datastax/langflow-client';
import { LangflowError } from '@datastax/langflow-client/errors';
import { FLOW_FILES_DIR } from '../services/files/index.js';
import { addFlow, addUser, startTestServer, type TestServer, type TestUser } from '../../test-utils/api-server.js';

/** The published JS client against a real server on a free port: v1 and v2 uploads, file listing and logs. */
let h: TestServer;
let alice: TestUser;
let client: LangflowClient;

before(async () => {
  h = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'false' });
  alice = await addUser(h.database, 'alice');
  client = new LangflowClient({ baseUrl: h.url, apiKey: alice.apiKey });
});
after(async () => h.stop());

test('flow.uploadFile (v1) stores the file in the flow folder and returns its path', async () => {
  const flowId = await addFlow(h.database, alice);
  const file = new File(['a picture, honestly'], 'cat.png', { type: 'image/png' });
  const uploaded = await client.flow(flowId).uploadFile(file);
  assert.equal(uploaded.flowId, flowId);
  assert.match(uploaded.filePath, new RegExp(`^${flowId}/\\d{4}-\\d{2}-\\d{2}_\\d{2}-\\d{2}-\\d{2}_cat\\.png$`));
  assert.equal(readFileSync(join(h.configDir, FLOW_FILES_DIR, uploaded.filePath), 'utf8'), 'a picture, honestly');
});

test('files.upload and files.list (v2)', async () => {
  const first = await client.files.upload(new File(['one'], 'notes.txt', { type: 'text/plain' }));
  assert.equal(first.name, 'notes');
  assert.equal(first.path, `${alice.user.id}/notes.txt`);
  assert.equal(first.size, 3);
  const second = await client.files.upload(new File(['two!'], 'notes.txt', { type: 'text/plain' }));
  assert.equal(second.name, 'notes (1)');
  const files = await client.files.list();
  assert.deepEqual(files.map((f) => f.name).sort(), ['notes', 'notes (1)']);
  const listed = files.find((f) => f.id === second.id);
  assert.ok(listed);
  assert.equal(listed.size, 4);
  assert.equal(listed.user_id, alice.user.id);
  assert.ok(listed.created_at instanceof Date && !Number.isNaN(listed.created_at.getTime()));
});

/*
 * The client's `logs` calls build their headers with the global `Headers` class while the client checks
 * for undici's, so the API key it was given never reaches `/logs` (a bug in @datastax/langflow-client
 * 0.4.x). They work against a server that lets anonymous callers in as the superuser: AUTO_LOGIN with
 * SKIP_AUTH_AUTO_LOGIN, which is what this second server runs.
 */
let open: TestServer;
let anonymousClient: LangflowClient;

before(async () => {
  open = await startTestServer('sqlite', { LANGFLOW_AUTO_LOGIN: 'true', LANGFLOW_SKIP_AUTH_AUTO_LOGIN: 'true', LANGFLOW_LOG_LEVEL: 'info', LANGFLOW_ENABLE_LOG_RETRIEVAL: 'true' });
  anonymousClient = new LangflowClient({ baseUrl: open.url });
});
after(async () => open.stop());

test('the client sends no API key to /logs, so a server that needs one answers 403', async () => {
  await assert.rejects(client.logs.fetch(), (error: unknown) => error instanceof LangflowError && error.message.startsWith('403'));
});

test('logs.fetch returns Log objects with dates and messages', async () => {
  open.app.log.info('client-visible line');
  const logs = await anonymousClient.logs.fetch({ lines_before: 100 });
  const line = logs.find((log) => log.message.includes('client-visible line'));
  assert.ok(line, 'the logged line is fetched');
  assert.ok(Math.abs(line.timestamp.getTime() - Date.now()) < 60_000);
  // Sorted by time, as the client promises.
  for (let i = 1; i < logs.length; i += 1) assert.ok(logs[i - 1].timestamp.getTime() <= logs[i].timestamp.getTime());
});

test('logs.stream yields new log lines', async () => {
  const controller = new AbortController();
  const stream = await anonymousClient.logs.stream({ signal: controller.signal });
  const timer = setInterval(() => open.app.log.warn('streamed to the client'), 20);
  let found = false;
  try {
    for await (const log of stream) {
      if (log.message.includes('streamed to the client')) {
        assert.ok(log.timestamp instanceof Date && !Number.isNaN(log.timestamp.getTime()));
        found = true;
        break;
      }
    }
  } finally {
    clearInterval(timer);
    controller.abort();
  }
  assert.ok(found, 'a streamed line arrived');
});
