import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createRedisClient } from '../jobs/redis-connection.js';
import { LoginLimiter, TooManyLoginFailuresError } from './login-limiter.js';

test('with its Redis unreachable, the login limiter counts in memory: logins neither fail nor go uncounted', async () => {
  // Port 1 refuses connections: every Redis command fails at once.
  const redis = createRedisClient('redis://127.0.0.1:1');
  try {
    const limiter = new LoginLimiter({ loginMaxFailures: 2, loginFailureWindowSeconds: 60 }, { redis, prefix: 'weft-unreachable' });
    const started = performance.now();
    await limiter.check('10.0.0.1', 'admin');
    await limiter.recordFailure('10.0.0.1', 'admin');
    await limiter.recordFailure('10.0.0.1', 'admin');
    await assert.rejects(limiter.check('10.0.0.1', 'admin'), TooManyLoginFailuresError);
    await limiter.check('10.0.0.2', 'someone-else');
    assert.ok(performance.now() - started < 5000, 'no waiting on the unreachable Redis');
  } finally {
    redis.disconnect();
  }
});
