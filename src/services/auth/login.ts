import type { UserRecord } from '../database/index.js';
import type { Settings } from '../settings.js';
import { importEnvironmentVariables } from '../variables/env-import.js';
import { VariableService } from '../variables/service.js';
import type { AuthContext } from './context.js';
import { AUTH_TEXTS, AuthError } from './errors.js';
import { verifyPassword } from './passwords.js';
import { AUTO_LOGIN_TOKEN_SECONDS, createTokenPair, signToken, type TokenPair } from './tokens.js';
import { ensureDefaultProject } from './users.js';
import { randomUUID } from 'node:crypto';

export interface LoginContext extends AuthContext {
  settings: AuthContext['settings'] & Pick<Settings, 'storeEnvironmentVariables' | 'variablesToGetFromEnvironment'>;
  env?: Record<string, string | undefined>;
}

/** Langflow's `authenticate_user`, with its distinction between never-approved and deactivated users. */
export async function authenticate(ctx: AuthContext, username: string, password: string): Promise<UserRecord> {
  const user = await ctx.repos.users.getByUsername(username);
  if (!user || !(await verifyPassword(password, user.password_hash))) throw new AuthError(401, AUTH_TEXTS.incorrectCredentials);
  if (!user.is_active) {
    if (!user.last_login_at) throw new AuthError(400, AUTH_TEXTS.waitingForApproval);
    throw new AuthError(401, AUTH_TEXTS.inactiveUser);
  }
  return user;
}

/** What a successful login sets up for the user: last login time, default project, env-provided variables. */
async function afterLogin(ctx: LoginContext, user: UserRecord): Promise<void> {
  await ctx.repos.users.recordLogin(user.id);
  await ensureDefaultProject(ctx, user.id);
  const service = new VariableService(ctx.repos, ctx.settings.secretKey);
  await importEnvironmentVariables({ service, userId: user.id, settings: ctx.settings, env: ctx.env });
}

/** POST /login. */
export async function login(ctx: LoginContext, username: string, password: string): Promise<{ user: UserRecord; tokens: TokenPair }> {
  const user = await authenticate(ctx, username, password);
  await afterLogin(ctx, user);
  return { user, tokens: await createTokenPair(ctx, user.id) };
}

export interface AutoLoginResult {
  user: UserRecord;
  access_token: string;
  refresh_token: null;
  token_type: 'bearer';
  session_id: string;
}

/** GET /auto_login: a year-long access token for the superuser, only with AUTO_LOGIN. */
export async function autoLogin(ctx: LoginContext): Promise<AutoLoginResult> {
  if (!ctx.settings.autoLogin) {
    throw new AuthError(400, { message: 'Auto login is disabled. Please enable it in the settings', auto_login: false });
  }
  const user = await ctx.repos.users.getByUsername(ctx.settings.superuser);
  if (!user || !user.is_active) throw new AuthError(400, AUTH_TEXTS.missingSuperuser);
  await afterLogin(ctx, user);
  const sessionId = randomUUID();
  const accessToken = await signToken(ctx, { userId: user.id, type: 'access', sessionId }, AUTO_LOGIN_TOKEN_SECONDS);
  return { user, access_token: accessToken, refresh_token: null, token_type: 'bearer', session_id: sessionId };
}
