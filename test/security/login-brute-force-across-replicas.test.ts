import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import type { TestServer } from '../../test-utils/api-server.js';
import { ADMIN, loginAs, multiUserServer } from './auth-session.js';

const REDIS_URL = process.env.WEFT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * Attack (issue 10): the login limit was counted in each process, so behind a load balancer an attacker
 * got `LANGFLOW_LOGIN_MAX_FAILURES` guesses per replica per window. With Redis configured (the
 * distributed deployment) the counts live in Redis and every replica enforces the one limit.
 */
describe('attack: spreading password guesses over replicas', () => {
  const prefix = `weft-login-test-${randomUUID()}`;
  const env = { LANGFLOW_LOGIN_MAX_FAILURES: '4', LANGFLOW_LOGIN_FAILURE_WINDOW_SECONDS: '600', LANGFLOW_REDIS_URL: REDIS_URL, LANGFLOW_REDIS_PREFIX: prefix };
  let replicaA: TestServer;
  let replicaB: TestServer;
  let redis: Redis;

  before(async () => {
    redis = new Redis(REDIS_URL);
    [replicaA, replicaB] = await Promise.all([multiUserServer(env), multiUserServer(env)]);
  });
  after(async () => {
    await Promise.all([replicaA?.stop(), replicaB?.stop()]);
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  test('failures on one replica count on the other: the fifth guess is refused everywhere', async () => {
    for (const replica of [replicaA, replicaB, replicaA, replicaB]) {
      assert.equal((await loginAs(replica, ADMIN.username, `guess-${randomUUID()}`)).status, 401);
    }
    for (const replica of [replicaA, replicaB]) {
      const refused = await loginAs(replica, ADMIN.username, ADMIN.password);
      assert.equal(refused.status, 429, JSON.stringify(refused.body));
      assert.match((refused.body as { detail: string }).detail, /^Too many failed login attempts\. Try again in \d+ seconds\.$/);
    }
    // The counts are Redis keys of this deployment's prefix, with the window as their lifetime.
    const key = `${prefix}:login-address:127.0.0.1`;
    assert.equal(await redis.get(key), '4');
    const ttl = await redis.ttl(key);
    assert.ok(ttl > 500 && ttl <= 600, `ttl ${ttl}`);
    assert.equal(await redis.get(`${prefix}:login-account:${ADMIN.username}`), '4');
  });
});
