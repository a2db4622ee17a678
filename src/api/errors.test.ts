import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ESLint } from 'eslint';
import Fastify from 'fastify';
import { ERROR_CODES, WeftError } from '../engine/errors.js';
import { FlowError } from '../engine/flow-json.js';
import { UnsafeKeyError } from '../engine/safe-json.js';
import { AuthError, TooManyLoginFailuresError } from '../services/auth/index.js';
import { UniqueViolationError } from '../services/database/errors.js';
import { InvalidEndpointNameError } from '../services/database/repos/flows.js';
import { FileTooLargeError, InvalidFileNameError, InvalidFlowPathError, StoredFileNotFoundError, ZipRefusedError } from '../services/files/index.js';
import { QueueBusyError, QueueUnavailableError } from '../services/jobs/errors.js';
import { McpInstallError } from '../services/mcp/install.js';
import { McpServerExistsError } from '../services/mcp/user-servers.js';
import { VariableError } from '../services/variables/index.js';
import { repoRoot } from '../../test-utils/paths.js';
import { handleError, problemOf, STATUS_OF_CODE, statusOf } from './errors.js';

describe('STATUS_OF_CODE', () => {
  test('maps every error code to one HTTP error status, and holds nothing else', () => {
    assert.deepEqual(Object.keys(STATUS_OF_CODE).sort(), [...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      const status = STATUS_OF_CODE[code];
      assert.ok(Number.isInteger(status) && status >= 400 && status <= 599, `${code} → ${status}`);
    }
  });

  test("each service error answers with Langflow's status and detail", () => {
    const cases: [WeftError, number, unknown][] = [
      [new AuthError('unauthenticated', 'Token has expired.'), 401, 'Token has expired.'],
      [new AuthError('forbidden', 'Invalid or missing API key'), 403, 'Invalid or missing API key'],
      [new AuthError('invalid_request', { message: 'Auto login is disabled', auto_login: false }), 400, { message: 'Auto login is disabled', auto_login: false }],
      [new TooManyLoginFailuresError(30), 429, 'Too many failed login attempts. Try again in 30 seconds.'],
      [new VariableError('invalid_request', 'Variable name already exists'), 400, 'Variable name already exists'],
      [new VariableError('not_found', 'Variable not found'), 404, 'Variable not found'],
      [new InvalidFileNameError('../x', 'has a parent segment'), 400, 'Invalid file name'],
      [new InvalidFlowPathError('fs_path cannot be empty'), 400, 'fs_path cannot be empty'],
      [new FileTooLargeError(1024 * 1024), 413, 'File size is larger than the maximum file size 1MB.'],
      [new StoredFileNotFoundError('flow', 'a.txt'), 404, 'File not found: a.txt'],
      [new ZipRefusedError('too_large', 'Zip file has more than the maximum of 2 entries (WEFT_MAX_ZIP_ENTRIES)'), 413, 'Zip file has more than the maximum of 2 entries (WEFT_MAX_ZIP_ENTRIES)'],
      [new QueueBusyError(3), 503, { error: 'Service busy', code: 'SERVICE_BUSY', message: 'The server is busy: 3 jobs are already waiting' }],
      [new UniqueViolationError('name', null), 409, 'Name must be unique'],
      [new InvalidEndpointNameError('a b'), 422, 'Invalid endpoint name "a b": use letters, digits, "_" and "-" only'],
      [new McpServerExistsError(), 409, 'Server already exists.'],
      [new McpInstallError('Unsupported client'), 400, 'Unsupported client'],
      [new FlowError('Node x: bad edge'), 500, 'Node x: bad edge'],
      [new UnsafeKeyError(['__proto__']), 422, 'The key "__proto__" is not allowed'],
    ];
    for (const [error, status, detail] of cases) {
      assert.equal(statusOf(error), status, error.name);
      assert.deepEqual(problemOf(error).body, { detail }, error.name);
    }
    const unavailable = problemOf(new QueueUnavailableError('Redis is down'));
    assert.equal(unavailable.status, 503);
    assert.deepEqual(unavailable.body.detail, { error: 'Queue service unavailable', code: 'QUEUE_SERVICE_UNAVAILABLE', message: 'The job queue service is unavailable: Redis is down' });
  });

  test('the refused name stays in the message for the logs, never in the detail', () => {
    const error = new InvalidFileNameError('../../etc/passwd', 'has a parent segment');
    assert.match(error.message, /etc\/passwd/);
    assert.equal(problemOf(error).body.detail, 'Invalid file name');
  });

  test('headers: a Bearer challenge on the auth service 401s only, Retry-After on rate limits', () => {
    assert.deepEqual(problemOf(new AuthError('unauthenticated', 'x')).headers, { 'WWW-Authenticate': 'Bearer' });
    assert.deepEqual(problemOf(new AuthError('forbidden', 'x')).headers, {});
    assert.deepEqual(problemOf(new WeftError('unauthenticated', 'Invalid API key')).headers, {});
    assert.deepEqual(problemOf(new TooManyLoginFailuresError(12)).headers, { 'Retry-After': '12' });
  });

  test('anything that is not a WeftError is a 500', () => {
    assert.equal(statusOf(new Error('boom')), 500);
    assert.equal(statusOf('boom'), 500);
  });
});

describe('the error handler', () => {
  test('answers a thrown WeftError with its status, headers and detail over HTTP', async () => {
    const app = Fastify();
    app.setErrorHandler(handleError);
    app.get('/limited', async () => {
      throw new TooManyLoginFailuresError(7);
    });
    app.get('/expired', async () => {
      throw new AuthError('unauthenticated', 'Token has expired.');
    });
    app.get('/busy', async () => {
      throw new QueueBusyError(1);
    });
    const base = await app.listen({ host: '127.0.0.1', port: 0 });
    try {
      const limited = await fetch(`${base}/limited`);
      assert.deepEqual([limited.status, limited.headers.get('retry-after'), await limited.json()], [429, '7', { detail: 'Too many failed login attempts. Try again in 7 seconds.' }]);
      const expired = await fetch(`${base}/expired`);
      assert.deepEqual([expired.status, expired.headers.get('www-authenticate'), await expired.json()], [401, 'Bearer', { detail: 'Token has expired.' }]);
      const busy = await fetch(`${base}/busy`);
      assert.equal(busy.status, 503);
      assert.deepEqual(await busy.json(), { detail: { error: 'Service busy', code: 'SERVICE_BUSY', message: 'The server is busy: 1 jobs are already waiting' } });
    } finally {
      await app.close();
    }
  });
});

/**
 * Error classes below the API that are not WeftErrors (besides WeftError itself): faults of the server itself (a 500 whatever the
 * request) or outcomes of a run that never become an HTTP status of their own.
 */
const INTERNAL_ERRORS = new Set(['WeftError', 'DecryptionError', 'ComponentError', 'RunCancelledError']);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sources(path);
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : [];
  });
}

test('services and the engine throw WeftErrors: no other error class of theirs reaches the API', () => {
  const plain: string[] = [];
  for (const file of [...sources(join(repoRoot, 'src', 'services')), ...sources(join(repoRoot, 'src', 'engine'))]) {
    for (const match of readFileSync(file, 'utf8').matchAll(/class (\w+) extends Error\b/g)) {
      if (!INTERNAL_ERRORS.has(match[1])) plain.push(`${match[1]} (${file})`);
    }
  }
  assert.deepEqual(plain, []);
});

test('eslint refuses telling errors apart by their message text anywhere in src/', async () => {
  const eslint = new ESLint({ cwd: repoRoot });
  const refusals = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(repoRoot, filePath) });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-syntax' && /by message text/.test(m.message)).length;
  };
  const matchings = [
    "export function f(error: Error) {\n  if (error.message.includes('not found')) return 404;\n  return 500;\n}\n",
    "export function f(error: Error) {\n  return error.message.startsWith('Flow') ? 404 : 500;\n}\n",
    'export function f(error: Error) {\n  return /not found/i.test(error.message) ? 404 : 500;\n}\n',
    'export function f(error: Error) {\n  return error.message.match(/exists/) ? 409 : 500;\n}\n',
  ];
  for (const path of ['src/api/v1/flows.ts', 'src/services/variables/service.ts', 'src/services/settings.ts', 'src/engine/run.ts']) {
    for (const code of matchings) assert.equal(await refusals(code, path), 1, `${path}: ${code}`);
  }
  assert.equal(await refusals("export const f = (error: Error) => error instanceof TypeError || error.name === 'AbortError';\n", 'src/api/v1/flows.ts'), 0);
});
