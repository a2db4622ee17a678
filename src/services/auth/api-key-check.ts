import type { UserRecord } from '../database/index.js';
import { ownerOfApiKey } from './api-keys.js';
import type { AuthContext } from './context.js';
import { AUTH_TEXTS, AuthError } from './errors.js';

/** Langflow reads `x-api-key` from the query first, then the header. */
export function presentedApiKey(queryValue: string | null | undefined, headerValue: string | null | undefined): string | null {
  return queryValue || headerValue || null;
}

function activeOnly(user: UserRecord): UserRecord {
  if (!user.is_active) throw new AuthError(401, AUTH_TEXTS.inactiveUser);
  return user;
}

async function ownerOfKey(ctx: AuthContext, key: string): Promise<UserRecord> {
  const user = await ownerOfApiKey(ctx.repos, key);
  if (!user) throw new AuthError(403, AUTH_TEXTS.invalidApiKey);
  return activeOnly(user);
}

/**
 * Langflow's `api_key_security` (used by /run, /responses, v2 workflows). With AUTO_LOGIN and no key,
 * only SKIP_AUTH_AUTO_LOGIN lets the request through, as the superuser.
 */
export async function checkApiKey(ctx: AuthContext & { key: string | null | undefined }): Promise<UserRecord> {
  const { settings, key } = ctx;
  if (settings.autoLogin) {
    if (!settings.superuser) throw new AuthError(400, AUTH_TEXTS.missingSuperuser);
    if (!key) {
      if (!settings.skipAuthAutoLogin) throw new AuthError(403, AUTH_TEXTS.autoLoginNeedsApiKey);
      const superuser = await ctx.repos.users.getByUsername(settings.superuser);
      if (!superuser) throw new AuthError(400, AUTH_TEXTS.missingSuperuser);
      return activeOnly(superuser);
    }
    return ownerOfKey(ctx, key);
  }
  if (!key) throw new AuthError(403, AUTH_TEXTS.apiKeyRequired);
  return ownerOfKey(ctx, key);
}
