import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, type RateLimiterAbstract, type RateLimiterRes } from 'rate-limiter-flexible';
import { WeftError } from '../../engine/errors.js';
import type { Settings } from '../settings.js';

/** Too many failed logins: the caller should wait `retryAfterSeconds`. */
export class TooManyLoginFailuresError extends WeftError {
  declare readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super('rate_limited', `Too many failed login attempts. Try again in ${retryAfterSeconds} seconds.`, { retryAfterSeconds });
  }
}

/** One account may be guessed at from many addresses: it gets this many times an address's allowance. */
const ACCOUNT_ALLOWANCE_FACTOR = 10;

type LimiterSettings = Pick<Settings, 'loginMaxFailures' | 'loginFailureWindowSeconds'>;

/** Where failures are counted: this process, or Redis (every instance of the deployment shares the counts). */
export interface LoginFailureStore {
  redis: Redis;
  /** `LANGFLOW_REDIS_PREFIX`: keys are `<prefix>:login-address:<ip>` and `<prefix>:login-account:<name>`. */
  prefix: string;
}

/**
 * Counts failed logins per client address and per account name within a window. While either is spent,
 * logins are refused before any password is checked: brute force gets at most `loginMaxFailures` guesses
 * per address per window, and a refused attempt costs the server nothing. With a Redis store the counts
 * are shared by every instance behind the load balancer (spreading guesses over replicas gains nothing);
 * while Redis is unreachable each instance counts in memory instead of failing logins or letting them through
 * uncounted.
 */
export class LoginLimiter {
  private readonly byAddress: RateLimiterAbstract | null;
  private readonly byAccount: RateLimiterAbstract | null;

  constructor(settings: LimiterSettings, store: LoginFailureStore | null = null) {
    const { loginMaxFailures: points, loginFailureWindowSeconds: duration } = settings;
    const limiter = (name: string, allowance: number): RateLimiterAbstract => {
      const inMemory = new RateLimiterMemory({ keyPrefix: name, points: allowance, duration });
      if (!store) return inMemory;
      return new RateLimiterRedis({
        storeClient: store.redis,
        keyPrefix: `${store.prefix}:${name}`,
        points: allowance,
        duration,
        rejectIfRedisNotReady: true,
        insuranceLimiter: inMemory,
      });
    };
    this.byAddress = points > 0 ? limiter('login-address', points) : null;
    this.byAccount = points > 0 ? limiter('login-account', points * ACCOUNT_ALLOWANCE_FACTOR) : null;
  }

  /** Throws TooManyLoginFailuresError while the address or the account has no failures left. */
  async check(address: string, username: string): Promise<void> {
    const waits = await Promise.all([spentFor(this.byAddress, address), spentFor(this.byAccount, accountKey(username))]);
    const wait = Math.max(...waits);
    if (wait > 0) throw new TooManyLoginFailuresError(wait);
  }

  async recordFailure(address: string, username: string): Promise<void> {
    await Promise.all([this.byAddress?.penalty(address, 1), this.byAccount?.penalty(accountKey(username), 1)]);
  }
}

/**
 * The limiter of a server: shared through Redis when `LANGFLOW_REDIS_URL` is set (the distributed
 * deployment, as jobs and events), else in this process. ioredis loads only in the first case.
 */
export async function createLoginLimiter(settings: LimiterSettings & Pick<Settings, 'redisUrl' | 'redisPrefix'>): Promise<{ limiter: LoginLimiter; close(): Promise<void> }> {
  if (!settings.redisUrl || settings.loginMaxFailures <= 0) return { limiter: new LoginLimiter(settings), close: async () => {} };
  const { createRedisClient } = await import('../jobs/redis-connection.js');
  const redis = createRedisClient(settings.redisUrl);
  return {
    limiter: new LoginLimiter(settings, { redis, prefix: settings.redisPrefix }),
    close: async () => {
      redis.disconnect();
    },
  };
}

function accountKey(username: string): string {
  return username.trim().toLowerCase();
}

/** Seconds until the key has failures left again; 0 if it has some now. */
async function spentFor(limiter: RateLimiterAbstract | null, key: string): Promise<number> {
  if (!limiter) return 0;
  const state: RateLimiterRes | null = await limiter.get(key);
  if (!state || state.consumedPoints < limiter.points) return 0;
  return Math.max(1, Math.ceil(state.msBeforeNext / 1000));
}
