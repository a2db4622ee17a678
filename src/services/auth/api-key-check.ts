import { createHash, timingSafeEqual } from 'node:crypto';
import type { UserRecord } from '../database/index.js';
import { ownerOfApiKey } from './api-keys.js';
import type { AuthContext } from './context.js';
import { AUTH_TEXTS, AuthError } from './errors.js';

/** Langflow reads `x-api-key` from the query first, then the header. */
export function presentedApiKey(queryValue: string | null | undefined, headerValue: string | null | undefined): string | null {
  return queryValue || headerValue || null;
}

function activeOnly(user: UserRecord): UserRecord {
  if (!user.is_active) throw new AuthError('unauthenticated', AUTH_TEXTS.inactiveUser);
  return user;
}

/** Constant-time equality that leaks neither the content nor the length of the expected key. */
function sameKey(presented: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(presented), digest(expected));
}

/**
 * Langflow's `_check_key_from_env`: with API_KEY_SOURCE=env, the LANGFLOW_API_KEY value authenticates as the
 * configured superuser (if active); anything else falls through to the database keys.
 */
async function ownerOfEnvironmentKey(ctx: AuthContext, key: string): Promise<UserRecord | undefined> {
  const { apiKeySource, apiKeyFromEnv, superuser } = ctx.settings;
  if (apiKeySource !== 'env' || !apiKeyFromEnv || !sameKey(key, apiKeyFromEnv)) return undefined;
  const user = await ctx.repos.users.getByUsername(superuser);
  return user?.is_active ? user : undefined;
}

async function ownerOfKey(ctx: AuthContext, key: string): Promise<UserRecord> {
  const user = (await ownerOfEnvironmentKey(ctx, key)) ?? (await ownerOfApiKey(ctx.repos, key));
  if (!user) throw new AuthError('forbidden', AUTH_TEXTS.invalidApiKey);
  return activeOnly(user);
}

/**
 * Langflow's `api_key_security` (used by /run, /responses, v2 workflows). With AUTO_LOGIN and no key,
 * only SKIP_AUTH_AUTO_LOGIN lets the request through, as the superuser.
 */
export async function checkApiKey(ctx: AuthContext & { key: string | null | undefined }): Promise<UserRecord> {
  const { settings, key } = ctx;
  if (settings.autoLogin) {
    if (!settings.superuser) throw new AuthError('invalid_request', AUTH_TEXTS.missingSuperuser);
    if (!key) {
      if (!settings.skipAuthAutoLogin) throw new AuthError('forbidden', AUTH_TEXTS.autoLoginNeedsApiKey);
      const superuser = await ctx.repos.users.getByUsername(settings.superuser);
      if (!superuser) throw new AuthError('invalid_request', AUTH_TEXTS.missingSuperuser);
      return activeOnly(superuser);
    }
    return ownerOfKey(ctx, key);
  }
  if (!key) throw new AuthError('forbidden', AUTH_TEXTS.apiKeyRequired);
  return ownerOfKey(ctx, key);
}
