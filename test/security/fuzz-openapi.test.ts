import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { rawRequest } from '../../test-utils/raw-http.js';
import { operationsOf, type Operation } from './api-surface.js';
import { authHeaders, canarySnapshot, idsFor, login, startFuzzTarget, type FuzzTarget, type FuzzUser } from './fuzz-target.js';
import { fuzzRequests, seededRandom, type FuzzRequest } from './fuzz-variants.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The longest any one answer may take. */
const LIMIT_MS = 10_000;
/** Requests of one batch in flight at once. */
const IN_FLIGHT = 4;
/** Change it to explore other variants; a failure report names the variant, and the same seed repeats it. */
const SEED = 0x5eed_0010;

function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/**
 * The standing fuzz run: every operation of the server's own `/openapi.json`, as a superuser and as an
 * ordinary user (side by side, sharing the variants out), gets malformed requests built from its
 * schemas (`fuzz-variants.ts`): wrong types in
 * each body field (two levels deep) and query parameter, missing required fields, 1 MB strings and
 * keys, 10,000-level nesting, `__proto__`/`constructor`/`prototype` keys, bytes that are not UTF-8,
 * wrong content types (text/plain, multipart without boundary, forms to JSON routes, empty JSON), and
 * bad path ids (unknown, non-UUID, 10 KB, percent-encoded junk, raw bytes, dot segments). No answer may
 * be a 5xx or take over 10 s, the server must answer `/health` after every operation, and each user's
 * canary flow, project, variable and API key must be unchanged at the end. All failures are collected
 * and reported together.
 */
describe('fuzz: every operation of /openapi.json with malformed requests', () => {
  let target: FuzzTarget;
  const previousHome = process.env.HOME;
  // MCP "install" writes client configs under HOME: keep them in a directory of our own.
  const home = mkdtempSync(join(tmpdir(), 'weft-fuzz-home-'));

  before(async () => {
    process.env.HOME = home;
    target = await startFuzzTarget();
  });
  after(async () => {
    await target?.server.stop();
    process.env.HOME = previousHome;
    rmSync(home, { recursive: true, force: true });
  });

  async function send(request: FuzzRequest, user: FuzzUser): Promise<{ status: number; failure: string | null }> {
    try {
      const response = await rawRequest(target.server.url, request.path, {
        method: request.method,
        headers: { ...authHeaders(user), ...request.headers },
        body: request.body,
        timeoutMs: LIMIT_MS,
        stopAtEventStream: true,
      });
      if (response.status >= 500) return { status: response.status, failure: `${response.status} ${response.text.slice(0, 200)}` };
      if (response.elapsedMs > LIMIT_MS) return { status: response.status, failure: `took ${Math.round(response.elapsedMs)} ms` };
      return { status: response.status, failure: null };
    } catch (error) {
      return { status: 0, failure: `no answer: ${(error as Error).message}` };
    }
  }

  async function alive(): Promise<boolean> {
    const health = await rawRequest(target.server.url, '/health', { timeoutMs: 5_000 }).catch(() => null);
    return health?.status === 200;
  }

  test('no 5xx, no stall, the server stays up and every canary object is unchanged', async (t) => {
    const started = performance.now();
    const { server, users } = target;
    const operations: Operation[] = operationsOf((await server.call('/openapi.json')).body as Json);
    assert.ok(operations.length >= 120, `the document lists the whole API (${operations.length} operations)`);
    const before = await Promise.all(users.map((user) => canarySnapshot(server, user)));

    const failures: string[] = [];
    const reachedHandler = new Set<string>();
    const timings: [number, string][] = [];
    let sent = 0;
    let relogins = 0;
    let down = false;

    /**
     * One user's run, operation by operation, each followed by the health check. The well-formed baselines
     * go out as every user; the malformed variants (most never get past parsing and validation, which come
     * before authentication) alternate between the users, so each is sent once.
     */
    async function fuzzAs(user: FuzzUser, index: number, order: Operation[]): Promise<void> {
      const ids = idsFor(target, user);
      for (const op of order) {
        if (down) return;
        const opStarted = performance.now();
        const requests = fuzzRequests(op, ids, seededRandom(SEED ^ hash(`${op.method} ${op.path}`)));
        const mine = requests.filter((r, i) => r.everyUser || i % users.length === index);
        // A few in flight: bcrypt-bound batches (login, sign-up, password changes) use the other core.
        let next = 0;
        const worker = async () => {
          while (next < mine.length) {
            const request = mine[next++];
            const { status, failure } = await send(request, user);
            if (failure) failures.push(`${user.label} ${request.method} ${request.operation} [${request.variant}]: ${failure}`);
            if (status >= 200 && status < 300) reachedHandler.add(`${op.method} ${op.path}`);
          }
        };
        await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
        sent += mine.length;
        timings.push([performance.now() - opStarted, `${user.label} ${op.method} ${op.path}`]);
        // Between batches: still alive, and still signed in (the batch may have been /logout or /refresh).
        if (!(await alive())) {
          failures.push(`the server stopped answering /health after ${user.label} ${op.method} ${op.path}`);
          down = true;
          return;
        }
        if ((await server.call('/api/v1/users/whoami', { headers: { authorization: `Bearer ${user.token}` } })).status !== 200) {
          user.token = await login(server, user.username, user.password);
          relogins += 1;
        }
      }
    }
    // The two users run side by side, the second through the operations backwards, so one user's
    // bcrypt-bound batches (login, sign-up) overlap the other's quick ones.
    await Promise.all(users.map((user, index) => fuzzAs(user, index, index % 2 === 0 ? operations : [...operations].reverse())));

    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const slowest = timings.sort((a, b) => b[0] - a[0]).slice(0, 5).map(([ms, what]) => `${what} ${(ms / 1000).toFixed(1)} s`);
    t.diagnostic(`slowest operations: ${slowest.join('; ')}`);
    t.diagnostic(`${sent} requests over ${operations.length} operations × ${users.length} users in ${seconds} s; ${reachedHandler.size} operations answered 2xx at least once; ${relogins} re-logins`);
    if (failures.length > 0) assert.fail(`${failures.length} of ${sent} requests failed:\n${failures.sort().join('\n')}`);
    assert.ok(await alive(), 'the server answers /health at the end');
    // The fuzz reached handlers, not just validation: most operations did real work at least once.
    assert.ok(reachedHandler.size >= operations.length / 2, `only ${reachedHandler.size} operations ever answered 2xx`);
    const afterwards = await Promise.all(users.map((user) => canarySnapshot(server, user)));
    assert.deepEqual(afterwards, before, 'the canary flow, project, variable and API key are unchanged');
  });
});
