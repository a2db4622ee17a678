import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { autoLogin, createLoginLimiter, login, logoutToken, refreshTokens, AUTH_TEXTS, AuthError, type TokenPair } from '../../services/auth/index.js';
import { bearerToken } from '../../services/auth/index.js';
import { ACCESS_COOKIE, authContextOf } from '../auth.js';
import { refuseCrossSite } from '../cross-site.js';
import type { ApiContext } from '../context.js';

const LoginForm = Type.Object(
  {
    username: Type.String(),
    password: Type.String(),
    grant_type: Type.Optional(Type.String()),
    scope: Type.Optional(Type.String()),
    client_id: Type.Optional(Type.String()),
    client_secret: Type.Optional(Type.String()),
  },
  { additionalProperties: true },
);
const TokenResponse = Type.Object({ access_token: Type.String(), refresh_token: Type.Union([Type.String(), Type.Null()]), token_type: Type.String() });

const REFRESH_COOKIE = 'refresh_token_lf';
const STORE_KEY_COOKIE = 'apikey_tkn_lflw';

/** `/api/v1/login`, `/auto_login`, `/refresh`, `/logout` (§B). */
export async function loginRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Login'];
  const auth = authContextOf(ctx.settings, ctx.database);
  // Shared through Redis when the deployment has it, so every replica enforces one limit.
  const { limiter, close: closeLimiter } = await createLoginLimiter(ctx.settings);
  app.addHook('onClose', closeLimiter);

  function setTokenCookies(reply: FastifyReply, tokens: Pick<TokenPair, 'access_token'> & { refresh_token: string | null }): void {
    const { accessTokenExpireSeconds, refreshTokenExpireSeconds } = ctx.settings;
    if (tokens.refresh_token) {
      reply.setCookie(REFRESH_COOKIE, tokens.refresh_token, { httpOnly: true, secure: true, sameSite: 'none', maxAge: refreshTokenExpireSeconds, path: '/' });
    }
    reply.setCookie(ACCESS_COOKIE, tokens.access_token, { httpOnly: false, secure: false, sameSite: 'lax', maxAge: accessTokenExpireSeconds, path: '/' });
  }

  app.post<{ Body: Static<typeof LoginForm> }>(
    '/api/v1/login',
    { schema: { tags, body: LoginForm, consumes: ['application/x-www-form-urlencoded'], response: { 200: TokenResponse } } },
    async (request, reply) => {
      const { username, password } = request.body;
      let signedIn: Awaited<ReturnType<typeof login>>;
      try {
        await limiter.check(request.ip, username);
        signedIn = await login(auth, username, password);
      } catch (error) {
        // Only a refused password (or inactive account) counts as a failure; a refused attempt does not.
        if (error instanceof AuthError && error.code === 'unauthenticated') await limiter.recordFailure(request.ip, username);
        throw error;
      }
      const { user, tokens } = signedIn;
      setTokenCookies(reply, tokens);
      reply.setCookie(STORE_KEY_COOKIE, user.store_api_key ?? '', { httpOnly: true, secure: true, sameSite: 'none', path: '/' });
      return { access_token: tokens.access_token, refresh_token: tokens.refresh_token, token_type: 'bearer' };
    },
  );

  app.get('/api/v1/auto_login', { schema: { tags, response: { 200: TokenResponse } } }, async (request, reply) => {
    // Unlike Langflow: another website must not be able to fetch (or navigate to) a superuser token.
    refuseCrossSite(request, ctx.settings.cors.origins, 'Auto-login');
    const { tokens } = await autoLogin(auth);
    // Langflow's body shape (no refresh token in it); the refresh cookie keeps the short-lived session going.
    setTokenCookies(reply, tokens);
    return { access_token: tokens.access_token, refresh_token: null, token_type: 'bearer' };
  });

  app.post('/api/v1/refresh', { schema: { tags, response: { 200: TokenResponse } } }, async (request, reply) => {
    const token = request.cookies[REFRESH_COOKIE];
    if (!token) throw new AuthError('unauthenticated', AUTH_TEXTS.invalidRefreshToken);
    const tokens = await refreshTokens(auth, token);
    setTokenCookies(reply, tokens);
    return { access_token: tokens.access_token, refresh_token: tokens.refresh_token, token_type: 'bearer' };
  });

  // Unlike Langflow, logout also revokes the session, so copied tokens stop working.
  app.post('/api/v1/logout', { schema: { tags } }, async (request, reply) => {
    const presented = [bearerToken(request.headers.authorization), request.cookies[REFRESH_COOKIE], request.cookies[ACCESS_COOKIE]];
    for (const token of presented) if (token) await logoutToken(auth, token);
    for (const name of [REFRESH_COOKIE, ACCESS_COOKIE, STORE_KEY_COOKIE]) reply.clearCookie(name, { path: '/' });
    return { message: 'Logout successful' };
  });
}

