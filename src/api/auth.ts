import type { FastifyRequest } from 'fastify';
import {
  checkApiKey,
  currentActiveUser,
  currentSuperuser,
  presentedApiKey as pickApiKey,
  bearerToken,
  type PresentedCredentials,
  type AuthContext,
  type LoginContext,
} from '../services/auth/index.js';
import type { Database } from '../services/database/index.js';
import type { Settings } from '../services/settings.js';
import type { ApiAuth } from './context.js';
import { isOwnPageRequest } from './cross-site.js';
import { forbidden } from './errors.js';

/** `x-api-key` from the query or the header (the query wins, as in Langflow). */
export function presentedApiKey(request: FastifyRequest): string | null {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const fromQuery = typeof query['x-api-key'] === 'string' ? query['x-api-key'] : null;
  const fromHeader = typeof request.headers['x-api-key'] === 'string' ? request.headers['x-api-key'] : null;
  return pickApiKey(fromQuery, fromHeader);
}

/** The cookie `/login`, `/auto_login` and `/refresh` set (SameSite=Lax), which Langflow's browser UI relies on. */
export const ACCESS_COOKIE = 'access_token_lf';

export const CROSS_SITE_COOKIE =
  'The access_token_lf cookie is only accepted on requests from this server\'s own pages (or an origin listed in LANGFLOW_CORS_ORIGINS); ' +
  'send an Authorization: Bearer header or an x-api-key instead.';

/**
 * What a request presents, as Langflow's `get_current_user` reads it: a Bearer header, else the
 * `access_token_lf` cookie, else an API key (query or header). The cookie is an ambient credential (a
 * browser attaches it to requests any page makes), so it only counts on requests the browser marks as
 * coming from the server's own pages (`isOwnPageRequest`); a cross-site request with nothing else is 403.
 */
export function presentedCredentials(request: FastifyRequest, listedOrigins: readonly string[]): PresentedCredentials {
  const authorization = request.headers.authorization ?? null;
  const apiKey = presentedApiKey(request);
  const cookie = request.cookies?.[ACCESS_COOKIE];
  if (bearerToken(authorization) !== null || !cookie) return { authorization, apiKey };
  if (isOwnPageRequest(request, listedOrigins)) return { authorization, apiKey, accessToken: cookie };
  if (apiKey === null) throw forbidden(CROSS_SITE_COOKIE);
  return { authorization, apiKey };
}

/** Whether the request carries any credential a user route would read. */
export function hasPresentedCredentials(request: FastifyRequest): boolean {
  return Boolean(request.headers.authorization) || presentedApiKey(request) !== null || Boolean(request.cookies?.[ACCESS_COOKIE]);
}

export function authContextOf(settings: Settings, database: Database): LoginContext {
  return { repos: database, settings };
}

/** The request-level auth of §B, as Fastify helpers over the auth service. */
export function createApiAuth(settings: Settings, database: Database): ApiAuth {
  const ctx: AuthContext = authContextOf(settings, database);
  const credentials = (request: FastifyRequest) => presentedCredentials(request, settings.cors.origins);
  const requireUser = async (request: FastifyRequest) => currentActiveUser(ctx, credentials(request));
  const requireApiKeyUser = (request: FastifyRequest) => checkApiKey({ ...ctx, key: presentedApiKey(request) });
  const requireSuperuser = async (request: FastifyRequest) => currentSuperuser(ctx, credentials(request));
  return {
    requireUser,
    requireApiKeyUser,
    requireSuperuser,
    // An explicit key: the AUTO_LOGIN "no key" branch never applies.
    userFromApiKey: (key: string) => checkApiKey({ ...ctx, key }),
    async userPreHandler(request) {
      request.weftUser = await requireUser(request);
    },
    async apiKeyUserPreHandler(request) {
      request.weftUser = await requireApiKeyUser(request);
    },
    async superuserPreHandler(request) {
      request.weftUser = await requireSuperuser(request);
    },
  };
}
