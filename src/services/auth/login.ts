import type { UserRecord } from '../database/index.js';
import type { Settings } from '../settings.js';
import { importEnvironmentVariables } from '../variables/env-import.js';
import { VariableService } from '../variables/service.js';
import type { AuthContext } from './context.js';
import { AUTH_TEXTS, AuthError } from './errors.js';
import { verifyAgainstDummy, verifyPassword } from './passwords.js';
import { createTokenPair, type TokenPair } from './tokens.js';
import { ensureDefaultProject } from './users.js';

export interface LoginContext extends AuthContext {
  settings: AuthContext['settings'] & Pick<Settings, 'storeEnvironmentVariables' | 'variablesToGetFromEnvironment' | 'environmentVariables'>;
}

/** Langflow's `authenticate_user`, with its distinction between never-approved and deactivated users. */
export async function authenticate(ctx: AuthContext, username: string, password: string): Promise<UserRecord> {
  const user = await ctx.repos.users.getByUsername(username);
  if (!user) {
    await verifyAgainstDummy(password);
    throw new AuthError('unauthenticated', AUTH_TEXTS.incorrectCredentials);
  }
  if (!(await verifyPassword(password, user.password_hash))) throw new AuthError('unauthenticated', AUTH_TEXTS.incorrectCredentials);
  if (!user.is_active) {
    if (!user.last_login_at) throw new AuthError('invalid_request', AUTH_TEXTS.waitingForApproval);
    throw new AuthError('unauthenticated', AUTH_TEXTS.inactiveUser);
  }
  return user;
}

/** What a successful login sets up for the user: last login time, default project, env-provided variables. */
async function afterLogin(ctx: LoginContext, user: UserRecord): Promise<void> {
  await ctx.repos.users.recordLogin(user.id);
  await ensureDefaultProject(ctx, user.id);
  const service = new VariableService(ctx.repos, ctx.settings.secretKey);
  await importEnvironmentVariables({ service, userId: user.id, settings: ctx.settings });
}

/** POST /login. */
export async function login(ctx: LoginContext, username: string, password: string): Promise<{ user: UserRecord; tokens: TokenPair }> {
  const user = await authenticate(ctx, username, password);
  await afterLogin(ctx, user);
  return { user, tokens: await createTokenPair(ctx, user) };
}

/**
 * GET /auto_login: a session for the superuser, only with AUTO_LOGIN. Langflow hands out a year-long access token;
 * here it lives ACCESS_TOKEN_EXPIRE_SECONDS like any other, and the session's refresh token (a cookie) keeps it going.
 */
export async function autoLogin(ctx: LoginContext): Promise<{ user: UserRecord; tokens: TokenPair }> {
  if (!ctx.settings.autoLogin) {
    throw new AuthError('invalid_request', { message: 'Auto login is disabled. Please enable it in the settings', auto_login: false });
  }
  const user = await ctx.repos.users.getByUsername(ctx.settings.superuser);
  if (!user || !user.is_active) throw new AuthError('invalid_request', AUTH_TEXTS.missingSuperuser);
  await afterLogin(ctx, user);
  return { user, tokens: await createTokenPair(ctx, user) };
}
