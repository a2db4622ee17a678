import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, loginAs, multiUserServer } from './auth-session.js';

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timedLogin(server: Parameters<typeof loginAs>[0], username: string): Promise<number> {
  const started = performance.now();
  const { status } = await loginAs(server, username, 'not-the-password');
  assert.equal(status, 401);
  return performance.now() - started;
}

/** Attack: telling which account names exist from how long a failed login takes (issue 10). */
test('login user enumeration by timing: an unknown name takes as long as a wrong password', async () => {
  const server = await multiUserServer({ LANGFLOW_LOGIN_MAX_FAILURES: '0' });
  try {
    await timedLogin(server, 'warm-up');
    const known: number[] = [];
    const unknown: number[] = [];
    for (let i = 0; i < 5; i++) {
      known.push(await timedLogin(server, ADMIN.username));
      unknown.push(await timedLogin(server, `no-such-user-${i}`));
    }
    const ratio = median(unknown) / median(known);
    assert.ok(ratio > 0.5 && ratio < 2, `unknown ${median(unknown).toFixed(0)} ms vs wrong password ${median(known).toFixed(0)} ms`);
  } finally {
    await server.stop();
  }
});
