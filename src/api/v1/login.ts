import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { autoLogin, login, logoutToken, refreshTokens, AUTH_TEXTS, AuthError, type TokenPair } from '../../services/auth/index.js';
import { bearerToken } from '../../services/auth/index.js';
import { authContextOf } from '../auth.js';
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

const ACCESS_COOKIE = 'access_token_lf';
const REFRESH_COOKIE = 'refresh_token_lf';
const STORE_KEY_COOKIE = 'apikey_tkn_lflw';

/** `/api/v1/login`, `/auto_login`, `/refresh`, `/logout` (§B). */
export async function loginRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const tags = ['Login'];
  const auth = authContextOf(ctx.settings, ctx.database);

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
      const { user, tokens } = await login(auth, request.body.username, request.body.password);
      setTokenCookies(reply, tokens);
      reply.setCookie(STORE_KEY_COOKIE, user.store_api_key ?? '', { httpOnly: true, secure: true, sameSite: 'none', path: '/' });
      return { access_token: tokens.access_token, refresh_token: tokens.refresh_token, token_type: 'bearer' };
    },
  );

  app.get('/api/v1/auto_login', { schema: { tags, response: { 200: TokenResponse } } }, async (_request, reply) => {
    const result = await autoLogin(auth);
    setTokenCookies(reply, { access_token: result.access_token, refresh_token: null });
    return { access_token: result.access_token, refresh_token: null, token_type: 'bearer' };
  });

  app.post('/api/v1/refresh', { schema: { tags, response: { 200: TokenResponse } } }, async (request, reply) => {
    const token = request.cookies[REFRESH_COOKIE];
    if (!token) throw new AuthError(401, AUTH_TEXTS.invalidRefreshToken);
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

