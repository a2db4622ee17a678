import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { UserRecord } from '../database/index.js';
import type { AuthContext } from './context.js';
import { AUTH_TEXTS, AuthError } from './errors.js';

export type TokenType = 'access' | 'refresh';

export interface TokenClaims {
  sub: string;
  type: TokenType;
  /** The login session; logout and refresh-token reuse revoke it. */
  sid: string;
  /** The token's own id; a refresh token is usable only while it is its session's current one. */
  jti: string;
  /** The user's token version when issued; a password change raises it. Tokens from before versions count as 0. */
  ver: number;
  exp: number;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  session_id: string;
}

/** Who a token is for: the user's id and current token version. */
export type TokenSubject = Pick<UserRecord, 'id' | 'token_version'>;

const ALGORITHM = 'HS256';

function signingKey(secretKey: string): Uint8Array {
  return new TextEncoder().encode(secretKey);
}

export async function signToken(
  ctx: Pick<AuthContext, 'settings'>,
  claims: { user: TokenSubject; type: TokenType; sessionId: string; tokenId?: string },
  lifetimeSeconds: number,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ type: claims.type, sid: claims.sessionId, ver: claims.user.token_version })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.user.id)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .setJti(claims.tokenId ?? randomUUID())
    .sign(signingKey(ctx.settings.secretKey));
}

function refreshExpiry(ctx: Pick<AuthContext, 'settings'>): string {
  return new Date(Date.now() + ctx.settings.refreshTokenExpireSeconds * 1000).toISOString();
}

async function signPair(ctx: Pick<AuthContext, 'settings'>, user: TokenSubject, sessionId: string, refreshId: string): Promise<TokenPair> {
  const { accessTokenExpireSeconds, refreshTokenExpireSeconds } = ctx.settings;
  return {
    access_token: await signToken(ctx, { user, type: 'access', sessionId }, accessTokenExpireSeconds),
    refresh_token: await signToken(ctx, { user, type: 'refresh', sessionId, tokenId: refreshId }, refreshTokenExpireSeconds),
    token_type: 'bearer',
    session_id: sessionId,
  };
}

/** A new login session: an access and a refresh token sharing one session id; the session is recorded. */
export async function createTokenPair(ctx: AuthContext, user: TokenSubject): Promise<TokenPair> {
  const sessionId = randomUUID();
  const refreshId = randomUUID();
  await ctx.repos.authSessions.start({ sessionId, userId: user.id, refreshJti: refreshId, expiresAt: refreshExpiry(ctx) });
  await pruneExpiredSessions(ctx);
  return signPair(ctx, user, sessionId, refreshId);
}

/**
 * Session rows outlive their use: a session nobody logs out of keeps its `auth_session` row, a logout keeps a
 * `revoked_session` row until the session's tokens would have expired. Once expired, neither decides anything
 * (an expired token is refused on its own), so they are deleted whenever sessions are written (login, logout):
 * the tables hold live sessions only, in every instance of a deployment, without a timer.
 */
async function pruneExpiredSessions(ctx: AuthContext): Promise<void> {
  await Promise.all([ctx.repos.authSessions.pruneExpired(), ctx.repos.revokedSessions.pruneExpired()]);
}

/** Signature and expiry only; 401 with Langflow's texts otherwise. */
export async function decodeToken(ctx: Pick<AuthContext, 'settings'>, token: string): Promise<TokenClaims> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, signingKey(ctx.settings.secretKey), { algorithms: [ALGORITHM] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new AuthError('unauthenticated', AUTH_TEXTS.tokenExpired);
    throw new AuthError('unauthenticated', AUTH_TEXTS.couldNotValidate);
  }
  const { sub, type, sid, exp, jti, ver = 0 } = payload;
  if (typeof sub !== 'string' || (type !== 'access' && type !== 'refresh') || typeof sid !== 'string' || typeof exp !== 'number') {
    throw new AuthError('unauthenticated', AUTH_TEXTS.tokenInvalid);
  }
  if (typeof jti !== 'string' || typeof ver !== 'number') throw new AuthError('unauthenticated', AUTH_TEXTS.tokenInvalid);
  return { sub, type, sid, exp, jti, ver };
}

/** The active user an access token belongs to: its session not ended, issued since the user's last password change. */
export async function userFromAccessToken(ctx: AuthContext, token: string): Promise<UserRecord> {
  const claims = await decodeToken(ctx, token);
  if (claims.type !== 'access') throw new AuthError('unauthenticated', AUTH_TEXTS.tokenInvalid);
  if (await ctx.repos.revokedSessions.isRevoked(claims.sid)) throw new AuthError('unauthenticated', AUTH_TEXTS.tokenInvalid);
  const user = await ctx.repos.users.getById(claims.sub);
  if (!user || !user.is_active) throw new AuthError('unauthenticated', AUTH_TEXTS.userNotFoundOrInactive);
  if (claims.ver !== user.token_version) throw new AuthError('unauthenticated', AUTH_TEXTS.tokenInvalid);
  return user;
}

/**
 * POST /refresh: the session's current refresh token buys a new pair in the same session, and is spent. Presenting a
 * spent one means two parties hold the session's tokens (one stole them): the whole session is ended.
 */
export async function refreshTokens(ctx: AuthContext, refreshToken: string): Promise<TokenPair> {
  const invalid = new AuthError('unauthenticated', AUTH_TEXTS.invalidRefreshToken);
  let claims: TokenClaims;
  try {
    claims = await decodeToken(ctx, refreshToken);
  } catch {
    throw invalid;
  }
  if (claims.type !== 'refresh' || (await ctx.repos.revokedSessions.isRevoked(claims.sid))) throw invalid;
  const user = await ctx.repos.users.getById(claims.sub);
  if (!user || !user.is_active || claims.ver !== user.token_version) throw invalid;
  const nextId = randomUUID();
  if (!(await ctx.repos.authSessions.rotate(claims.sid, claims.jti, nextId, refreshExpiry(ctx)))) {
    if (await ctx.repos.authSessions.exists(claims.sid)) await logout(ctx, claims.sid);
    throw invalid;
  }
  return signPair(ctx, user, claims.sid, nextId);
}

/**
 * Ends a session: every token carrying `sessionId`, access and refresh alike, stops working.
 * (Langflow's logout only clears cookies, leaving the tokens valid.) The record is kept as long as
 * any token of the session could still be unexpired.
 */
export async function logout(ctx: AuthContext, sessionId: string): Promise<void> {
  const { accessTokenExpireSeconds, refreshTokenExpireSeconds } = ctx.settings;
  const longest = Math.max(accessTokenExpireSeconds, refreshTokenExpireSeconds);
  await ctx.repos.revokedSessions.revoke(sessionId, new Date(Date.now() + longest * 1000).toISOString());
  await ctx.repos.authSessions.end(sessionId);
  await pruneExpiredSessions(ctx);
}

/** Logs out the session of a presented token (either type); an unreadable token changes nothing. */
export async function logoutToken(ctx: AuthContext, token: string): Promise<boolean> {
  try {
    const claims = await decodeToken(ctx, token);
    await logout(ctx, claims.sid);
    return true;
  } catch (error) {
    if (error instanceof AuthError) return false;
    throw error;
  }
}
