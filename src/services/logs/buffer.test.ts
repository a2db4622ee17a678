import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LogBuffer } from './buffer.js';
import { fastifyLoggerOptions, formatPinoLine, logBufferDestination } from './pino.js';

test('the ring buffer keeps the newest lines, with strictly increasing timestamps', () => {
  const buffer = new LogBuffer(3);
  buffer.append('a', 1000);
  buffer.append('b', 1000);
  buffer.append('c', 999);
  buffer.append('d', 2000);
  assert.equal(buffer.size, 3);
  assert.deepEqual(buffer.lastN(10), { 1001: 'b', 1002: 'c', 2000: 'd' });
  assert.deepEqual(buffer.lastN(1), { 2000: 'd' });
  assert.deepEqual(buffer.lastN(0), {});
});

test('before and after a timestamp, as Langflow slices its log buffer', () => {
  const buffer = new LogBuffer(100);
  for (let i = 1; i <= 10; i += 1) buffer.append(`line ${i}`, i * 100);
  assert.deepEqual(buffer.before(500, 2), { 300: 'line 3', 400: 'line 4' });
  assert.deepEqual(buffer.before(50, 2), {});
  // Nothing at or after the timestamp: the last lines.
  assert.deepEqual(buffer.before(5000, 2), { 900: 'line 9', 1000: 'line 10' });
  assert.deepEqual(buffer.after(500, 2), { 500: 'line 5', 600: 'line 6' });
  assert.deepEqual(buffer.after(950, 5), { 1000: 'line 10' });
});

test('subscribers see new lines until they unsubscribe', () => {
  const buffer = new LogBuffer(10);
  const seen: string[] = [];
  const stop = buffer.subscribe((entry) => seen.push(entry.message));
  buffer.append('one');
  stop();
  buffer.append('two');
  assert.deepEqual(seen, ['one']);
});

test('pino lines are formatted with time, level, message and extra fields, and captured', () => {
  const line = JSON.stringify({ level: 30, time: Date.UTC(2026, 0, 16, 10), pid: 1, hostname: 'h', reqId: 'req-1', msg: 'request completed' });
  assert.deepEqual(formatPinoLine(line), { timestamp: Date.UTC(2026, 0, 16, 10), message: '2026-01-16T10:00:00.000Z INFO request completed {"reqId":"req-1"}' });
  const buffer = new LogBuffer(10);
  assert.equal(buffer.enabled(), false);
  const forwarded: string[] = [];
  const destination = logBufferDestination(buffer, { write: (chunk) => forwarded.push(chunk) });
  assert.equal(buffer.enabled(), true);
  destination.write(`${line}\n`);
  assert.deepEqual(Object.values(buffer.lastN(5)), ['2026-01-16T10:00:00.000Z INFO request completed {"reqId":"req-1"}']);
  assert.deepEqual(forwarded, [`${line}\n`]);
});

test('pino records are formatted when read, with the text and timestamp eager formatting gave', () => {
  const buffer = new LogBuffer(10);
  const destination = logBufferDestination(buffer);
  const seen: string[] = [];
  const records = [
    { level: 30, time: Date.UTC(2026, 0, 16, 10), pid: 1, hostname: 'h', reqId: 'req-1', req: { method: 'POST', url: '/api/v1/run/x' }, msg: 'incoming request' },
    { level: 50, time: Date.UTC(2026, 0, 16, 10), pid: 1, hostname: 'h', msg: 'no extras' },
  ];
  destination.write(`${JSON.stringify(records[0])}\n`);
  const stop = buffer.subscribe((entry) => seen.push(`${entry.timestamp} ${entry.message}`));
  destination.write(`${JSON.stringify(records[1])}\n`);
  destination.write('not json\n');
  stop();
  const expected = records.map((record) => formatPinoLine(JSON.stringify(record))!.message);
  const lines = buffer.lastN(10);
  assert.deepEqual(Object.keys(lines).slice(0, 2), [String(records[0].time), String(records[0].time + 1)]);
  assert.deepEqual(Object.values(lines), [...expected, 'not json']);
  assert.equal(expected[0], '2026-01-16T10:00:00.000Z INFO incoming request {"reqId":"req-1","req":{"method":"POST","url":"/api/v1/run/x"}}');
  assert.deepEqual(seen.slice(0, 1), [`${records[0].time + 1} ${expected[1]}`]);
  assert.equal(seen.length, 2);
});

test('credentials are redacted from every line, buffered or forwarded', () => {
  const buffer = new LogBuffer(10);
  const forwarded: string[] = [];
  const destination = logBufferDestination(buffer, { write: (chunk) => forwarded.push(chunk) });
  const key = 'sk-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789abcdefg';
  const record = {
    level: 30,
    time: Date.UTC(2026, 0, 16, 10),
    req: { url: `/api/v1/run/x?stream=true&x-api-key=${key}`, headers: { authorization: 'Bearer eyJ.a.b' } },
    body: 'username=ada&password=hunter2',
    json: '{"password": "pw1", "api_key": "k1"}',
    db: 'postgresql://weft:dbpass@db:5432/weft',
    msg: `failed with key ${key}`,
  };
  destination.write(`${JSON.stringify(record)}\n`);
  const [line] = Object.values(buffer.lastN(1));
  for (const text of [line, forwarded[0]]) {
    for (const secret of [key, 'eyJ.a.b', 'hunter2', 'pw1', 'k1', 'dbpass']) assert.ok(!text.includes(secret), `${secret} in ${text}`);
    assert.match(text, /stream=true&x-api-key=\[REDACTED\]/);
    assert.match(text, /postgresql:\/\/weft:\[REDACTED\]@db:5432/);
  }
});

test("the app sizes the buffer it captures into from the settings (LANGFLOW_LOG_RETRIEVER_BUFFER_SIZE)", () => {
  const buffer = new LogBuffer(10);
  for (let i = 1; i <= 5; i += 1) buffer.append(`line ${i}`, i);
  fastifyLoggerOptions({ stdout: false, capture: true, buffer, bufferSize: 2 });
  assert.equal(buffer.capacity, 2);
  assert.deepEqual(buffer.lastN(10), { 4: 'line 4', 5: 'line 5' }, 'the newest lines are kept');
  fastifyLoggerOptions({ stdout: false, capture: true, buffer, bufferSize: 0 });
  assert.equal(buffer.enabled(), false, '0 keeps none: retrieval off');
  assert.throws(() => buffer.resize(-1), RangeError);
});
