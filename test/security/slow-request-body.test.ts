import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { startTestServer, type TestServer } from '../../test-utils/api-server.js';

type Json = Record<string, unknown>;

/** Writes `head`, then nothing; resolves with what the server sent and when it closed the connection. */
function stallAfter(url: string, head: string, giveUpMs: number): Promise<{ text: string; closedAfterMs: number | null }> {
  const { hostname, port } = new URL(url);
  const started = performance.now();
  return new Promise((resolve) => {
    let text = '';
    const socket = connect(Number(port), hostname, () => socket.write(head));
    const giveUp = setTimeout(() => {
      socket.destroy();
      resolve({ text, closedAfterMs: null });
    }, giveUpMs);
    socket.on('data', (chunk) => (text += chunk.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(giveUp);
      resolve({ text, closedAfterMs: performance.now() - started });
    });
  });
}

/**
 * The attack: a client sends headers and a trickle of body (or none), holding a connection and its
 * buffers for ever. `WEFT_REQUEST_TIMEOUT_SECONDS` bounds the time to receive a whole request;
 * responses (streams, long runs) are not bounded by it.
 */
describe('attack: slow request bodies are never timed out', () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer('sqlite', { WEFT_REQUEST_TIMEOUT_SECONDS: '1', LANGFLOW_ENABLE_LOG_RETRIEVAL: 'true' });
  });
  after(async () => server?.stop());

  test('a request whose body stops arriving gets 408 and its connection closed', async () => {
    const { host } = new URL(server.url);
    const head = `POST /api/v1/login HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nusername=adm`;
    const result = await stallAfter(server.url, head, 10_000);
    assert.ok(result.closedAfterMs !== null, 'the server never closed the stalled connection');
    assert.ok(result.closedAfterMs < 5000, `closed after ${result.closedAfterMs} ms`);
    assert.match(result.text, /^HTTP\/1\.1 408 /);
    assert.match(result.text, /"detail":"Request timeout: the request was not received within 1 s \(WEFT_REQUEST_TIMEOUT_SECONDS\)"/);
  });

  test('a response that lasts longer than the request timeout is not cut', async () => {
    const token = ((await server.call('/api/v1/auto_login')).body as Json).access_token as string;
    const controller = new AbortController();
    const response = await fetch(`${server.url}/logs-stream`, { headers: { authorization: `Bearer ${token}` }, signal: controller.signal });
    assert.equal(response.status, 200);
    const reader = response.body!.getReader();
    const ended = reader.closed.then(() => 'ended', () => 'ended');
    const outcome = await Promise.race([ended, new Promise((resolve) => setTimeout(() => resolve('still open'), 3000))]);
    controller.abort();
    assert.equal(outcome, 'still open');
  });
});
