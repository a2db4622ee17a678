import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort, waitFor200 } from '../../bench/processes.js';
import { FlowBuilder } from '../../test-utils/flow-builder.js';
import { repoRoot } from '../../test-utils/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'weft-cluster-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function childPids(parent: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(parent)], { encoding: 'utf8' }).split('\n').map(Number).filter((pid) => pid > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(100);
  }
}

const REDIS_URL = process.env.WEFT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Starts a build of `flowId` and reads its events, each request on its own connection (so either worker may answer). */
async function buildOverTwoConnections(base: string, headers: Record<string, string>, flowId: string, input: string): Promise<string> {
  const started = await fetch(`${base}/api/v1/build/${flowId}/flow`, { method: 'POST', headers, body: JSON.stringify({ inputs: { input_value: input } }) });
  assert.equal(started.status, 200, await started.clone().text());
  const { job_id: jobId } = (await started.json()) as { job_id: string };
  const events = await fetch(`${base}/api/v1/build/${jobId}/events?event_delivery=streaming`, { headers });
  assert.equal(events.status, 200, `events of job ${jobId}: ${await events.clone().text()}`);
  return events.text();
}

test('`weft serve --workers 2`: two processes on one port share the database and build events, a dead worker is replaced, SIGTERM stops all', async () => {
  const port = await freePort();
  const env = {
    ...process.env,
    LANGFLOW_CONFIG_DIR: join(dir, 'config'),
    LANGFLOW_PORT: String(port),
    LANGFLOW_HOST: '127.0.0.1',
    WEFT_SHUTDOWN_GRACE_SECONDS: '3',
    LANGFLOW_REDIS_URL: REDIS_URL,
    LANGFLOW_REDIS_PREFIX: `weft-cluster-test-${process.pid}-${Date.now()}`,
  };
  const primary = spawn(process.execPath, [join(repoRoot, 'bin', 'weft.js'), 'serve', '--workers', '2'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  primary.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => primary.on('exit', resolve));
  try {
    const base = `http://127.0.0.1:${port}`;
    await waitFor200(`${base}/health`, 30_000);
    await until(() => childPids(primary.pid!).length === 2, 10_000);
    await until(() => stderr.includes('2 workers serving'), 10_000);

    // One account and its flow, whichever worker answers: new connections are spread round-robin.
    const token = ((await (await fetch(`${base}/api/v1/auto_login`)).json()) as { access_token: string }).access_token;
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json', connection: 'close' };
    const created = await fetch(`${base}/api/v1/flows/`, { method: 'POST', headers, body: JSON.stringify({ name: 'Shared', data: { nodes: [], edges: [] } }) });
    assert.equal(created.status, 201);
    const { id } = (await created.json()) as { id: string };
    const reads = await Promise.all(Array.from({ length: 20 }, () => fetch(`${base}/api/v1/flows/${id}`, { headers }).then((r) => r.status)));
    assert.deepEqual(new Set(reads), new Set([200]));

    // The browser app's Run: start a build, then follow its events on another connection. Through Redis, whichever
    // worker answers the second request streams the job the first one started.
    const flow = new FlowBuilder('Echo');
    const input = flow.node('ChatInput', {});
    const output = flow.node('ChatOutput', {});
    flow.connect(input, 'message', output, 'input_value');
    const echo = await fetch(`${base}/api/v1/flows/`, { method: 'POST', headers, body: JSON.stringify({ name: 'Echo', data: flow.build().data }) });
    const echoId = ((await echo.json()) as { id: string }).id;
    for (let i = 0; i < 6; i++) {
      const stream = await buildOverTwoConnections(base, headers, echoId, `hello ${i}`);
      assert.match(stream, /"event": ?"end"/, stream.slice(0, 300));
      assert.ok(stream.includes(`hello ${i}`), 'the build ran with its own input');
    }

    const [victim] = childPids(primary.pid!);
    process.kill(victim!, 'SIGKILL');
    await until(() => childPids(primary.pid!).length === 2 && !childPids(primary.pid!).includes(victim!), 15_000);
    await waitFor200(`${base}/health`, 10_000);
    assert.match(stderr, /worker \d+ exited \(SIGKILL\); starting another/);

    const workers = childPids(primary.pid!);
    primary.kill('SIGTERM');
    assert.equal(await exited, 0);
    for (const pid of workers) assert.throws(() => process.kill(pid, 0), 'every worker has exited');
  } finally {
    if (primary.exitCode === null) primary.kill('SIGKILL');
  }
});

test('`weft serve --workers 2` without LANGFLOW_REDIS_URL is refused with one clear line', () => {
  const env: NodeJS.ProcessEnv = { ...process.env, LANGFLOW_CONFIG_DIR: join(dir, 'no-redis') };
  delete env.LANGFLOW_REDIS_URL;
  try {
    execFileSync(process.execPath, [join(repoRoot, 'bin', 'weft.js'), 'serve', '--workers', '2'], { env, stdio: 'pipe', timeout: 20_000 });
    assert.fail('should exit non-zero');
  } catch (error) {
    assert.match(String((error as { stderr: Buffer }).stderr), /^weft: 2 workers need LANGFLOW_REDIS_URL: .* Set LANGFLOW_REDIS_URL \(docs\/jobs.md\) or run one worker\.\n$/);
  }
});

test('`weft serve --workers 0` is refused with one clear line', () => {
  try {
    execFileSync(process.execPath, [join(repoRoot, 'bin', 'weft.js'), 'serve', '--workers', '0'], { env: { ...process.env, LANGFLOW_CONFIG_DIR: join(dir, 'bad') }, stdio: 'pipe' });
    assert.fail('should exit non-zero');
  } catch (error) {
    assert.match(String((error as { stderr: Buffer }).stderr), /--workers must be a whole number of at least 1, not "0"/);
  }
});
