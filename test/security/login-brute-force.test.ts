import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ADMIN, loginAs, multiUserServer } from './auth-session.js';

/** Attack: guessing a password by posting /api/v1/login as fast as the server answers (issue 10). */
test('login brute force: failures beyond the allowance get 429 with a FastAPI-shaped detail, even for the right password', async () => {
  const server = await multiUserServer({ LANGFLOW_LOGIN_MAX_FAILURES: '3', LANGFLOW_LOGIN_FAILURE_WINDOW_SECONDS: '600' });
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      const guess = await loginAs(server, ADMIN.username, `guess-${attempt}`);
      assert.equal(guess.status, 401);
      assert.deepEqual(guess.body, { detail: 'Incorrect username or password' });
    }
    const response = await server.call('/api/v1/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: ADMIN.username, password: 'guess-4' }).toString(),
    });
    assert.equal(response.status, 429);
    assert.match((response.body as { detail: string }).detail, /^Too many failed login attempts\. Try again in \d+ seconds\.$/);
    assert.ok(Number(response.headers.get('retry-after')) > 0);
    assert.equal((await loginAs(server, ADMIN.username, ADMIN.password)).status, 429, 'the address is blocked, not the guess');
    assert.equal((await loginAs(server, 'someone-else', 'x')).status, 429);
  } finally {
    await server.stop();
  }
});
