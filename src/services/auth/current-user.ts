import type { UserRecord } from '../database/index.js';
import { checkApiKey } from './api-key-check.js';
import type { AuthContext } from './context.js';
import { AUTH_TEXTS, AuthError } from './errors.js';
import { userFromAccessToken } from './tokens.js';

export interface PresentedCredentials {
  /** The raw `Authorization` header. */
  authorization?: string | null;
  /** From `presentedApiKey(query, header)`. */
  apiKey?: string | null;
  /**
   * An access token presented another way (the `access_token_lf` cookie), used when there is no Bearer
   * header, as Langflow's `OAuth2PasswordBearerCookie`. The caller decides whether it may be used.
   */
  accessToken?: string | null;
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), else null. */
export function bearerToken(authorization: string | null | undefined): string | null {
  const match = /^\s*bearer\s+(\S+)\s*$/i.exec(authorization ?? '');
  return match ? match[1] : null;
}

/**
 * Langflow's `get_current_active_user`: a Bearer JWT access token if one is sent (an API key sent as
 * Bearer is therefore a 401), else the cookie's token, otherwise the API-key rules.
 */
export async function currentActiveUser(ctx: AuthContext, credentials: PresentedCredentials): Promise<UserRecord> {
  const token = bearerToken(credentials.authorization) ?? (credentials.accessToken || null);
  const user = token !== null ? await userFromAccessToken(ctx, token) : await checkApiKey({ ...ctx, key: credentials.apiKey });
  if (!user.is_active) throw new AuthError('unauthenticated', AUTH_TEXTS.inactiveUser);
  return user;
}

/** As `currentActiveUser`, plus the superuser check (403). */
export async function currentSuperuser(ctx: AuthContext, credentials: PresentedCredentials): Promise<UserRecord> {
  const user = await currentActiveUser(ctx, credentials);
  if (!user.is_superuser) throw new AuthError('forbidden', AUTH_TEXTS.notEnoughPrivileges);
  return user;
}

/**
 * Langflow's `get_current_active_user_mcp`: a Bearer JWT if one is sent, otherwise the API-key rules
 * of `api_key_security` as if SKIP_AUTH_AUTO_LOGIN were on, so with AUTO_LOGIN and no key the MCP
 * client acts as the superuser (a key, when sent, must still be valid).
 */
export async function currentMcpUser(ctx: AuthContext, credentials: PresentedCredentials): Promise<UserRecord> {
  if (bearerToken(credentials.authorization) !== null) return currentActiveUser(ctx, credentials);
  const settings = ctx.settings.autoLogin ? { ...ctx.settings, skipAuthAutoLogin: true } : ctx.settings;
  return currentActiveUser({ ...ctx, settings }, credentials);
}
