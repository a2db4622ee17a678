import { randomUUID } from 'node:crypto';
import { errors as joseErrors, jwtVerify, SignJWT } from 'jose';
import type { UserRecord } from '../database/index.js';
import type { AuthContext } from './context.js';
import { AUTH_TEXTS, AuthError } from './errors.js';

export type TokenType = 'access' | 'refresh';

export interface TokenClaims {
  sub: string;
  type: TokenType;
  sid: string;
  exp: number;
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  token_type: 'bearer';
  session_id: string;
}

/** Langflow's auto-login token lives a year. */
export const AUTO_LOGIN_TOKEN_SECONDS = 365 * 24 * 3600;

const ALGORITHM = 'HS256';

function signingKey(secretKey: string): Uint8Array {
  return new TextEncoder().encode(secretKey);
}

export async function signToken(
  ctx: Pick<AuthContext, 'settings'>,
  claims: { userId: string; type: TokenType; sessionId: string },
  lifetimeSeconds: number,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ type: claims.type, sid: claims.sessionId })
    .setProtectedHeader({ alg: ALGORITHM, typ: 'JWT' })
    .setSubject(claims.userId)
    .setIssuedAt(now)
    .setExpirationTime(now + lifetimeSeconds)
    .setJti(randomUUID())
    .sign(signingKey(ctx.settings.secretKey));
}

/** A new login session: an access and a refresh token sharing one session id. */
export async function createTokenPair(ctx: Pick<AuthContext, 'settings'>, userId: string, sessionId: string = randomUUID()): Promise<TokenPair> {
  const { accessTokenExpireSeconds, refreshTokenExpireSeconds } = ctx.settings;
  return {
    access_token: await signToken(ctx, { userId, type: 'access', sessionId }, accessTokenExpireSeconds),
    refresh_token: await signToken(ctx, { userId, type: 'refresh', sessionId }, refreshTokenExpireSeconds),
    token_type: 'bearer',
    session_id: sessionId,
  };
}

/** Signature and expiry only; 401 with Langflow's texts otherwise. */
export async function decodeToken(ctx: Pick<AuthContext, 'settings'>, token: string): Promise<TokenClaims> {
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, signingKey(ctx.settings.secretKey), { algorithms: [ALGORITHM] }));
  } catch (error) {
    if (error instanceof joseErrors.JWTExpired) throw new AuthError(401, AUTH_TEXTS.tokenExpired);
    throw new AuthError(401, AUTH_TEXTS.couldNotValidate);
  }
  const { sub, type, sid, exp } = payload;
  if (typeof sub !== 'string' || (type !== 'access' && type !== 'refresh') || typeof sid !== 'string' || typeof exp !== 'number') {
    throw new AuthError(401, AUTH_TEXTS.tokenInvalid);
  }
  return { sub, type, sid, exp };
}

/** The active user an access token belongs to. */
export async function userFromAccessToken(ctx: AuthContext, token: string): Promise<UserRecord> {
  const claims = await decodeToken(ctx, token);
  if (claims.type !== 'access') throw new AuthError(401, AUTH_TEXTS.tokenInvalid);
  if (await ctx.repos.revokedSessions.isRevoked(claims.sid)) throw new AuthError(401, AUTH_TEXTS.tokenInvalid);
  const user = await ctx.repos.users.getById(claims.sub);
  if (!user || !user.is_active) throw new AuthError(401, AUTH_TEXTS.userNotFoundOrInactive);
  return user;
}

/** POST /refresh: a valid refresh token of a live session buys a new pair in the same session. */
export async function refreshTokens(ctx: AuthContext, refreshToken: string): Promise<TokenPair> {
  let claims: TokenClaims;
  try {
    claims = await decodeToken(ctx, refreshToken);
  } catch {
    throw new AuthError(401, AUTH_TEXTS.invalidRefreshToken);
  }
  const invalid = new AuthError(401, AUTH_TEXTS.invalidRefreshToken);
  if (claims.type !== 'refresh' || (await ctx.repos.revokedSessions.isRevoked(claims.sid))) throw invalid;
  const user = await ctx.repos.users.getById(claims.sub);
  if (!user || !user.is_active) throw invalid;
  return createTokenPair(ctx, user.id, claims.sid);
}

/**
 * Ends a session: every token carrying `sessionId`, access and refresh alike, stops working.
 * (Langflow's logout only clears cookies, leaving the tokens valid.) The record is kept as long as
 * any token of the session could still be unexpired.
 */
export async function logout(ctx: AuthContext, sessionId: string): Promise<void> {
  const { accessTokenExpireSeconds, refreshTokenExpireSeconds } = ctx.settings;
  const longest = Math.max(accessTokenExpireSeconds, refreshTokenExpireSeconds, AUTO_LOGIN_TOKEN_SECONDS);
  await ctx.repos.revokedSessions.revoke(sessionId, new Date(Date.now() + longest * 1000).toISOString());
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
