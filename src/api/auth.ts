import type { FastifyRequest } from 'fastify';
import {
  checkApiKey,
  currentActiveUser,
  currentSuperuser,
  presentedApiKey as pickApiKey,
  type AuthContext,
  type LoginContext,
} from '../services/auth/index.js';
import type { Database } from '../services/database/index.js';
import type { Settings } from '../services/settings.js';
import type { ApiAuth } from './context.js';

/** `x-api-key` from the query or the header (the query wins, as in Langflow). */
export function presentedApiKey(request: FastifyRequest): string | null {
  const query = (request.query ?? {}) as Record<string, unknown>;
  const fromQuery = typeof query['x-api-key'] === 'string' ? query['x-api-key'] : null;
  const fromHeader = typeof request.headers['x-api-key'] === 'string' ? request.headers['x-api-key'] : null;
  return pickApiKey(fromQuery, fromHeader);
}

export function authContextOf(settings: Settings, database: Database): LoginContext {
  return { repos: database, settings };
}

/** The request-level auth of §B, as Fastify helpers over the auth service. */
export function createApiAuth(settings: Settings, database: Database): ApiAuth {
  const ctx: AuthContext = authContextOf(settings, database);
  const credentials = (request: FastifyRequest) => ({ authorization: request.headers.authorization ?? null, apiKey: presentedApiKey(request) });
  const requireUser = (request: FastifyRequest) => currentActiveUser(ctx, credentials(request));
  const requireApiKeyUser = (request: FastifyRequest) => checkApiKey({ ...ctx, key: presentedApiKey(request) });
  const requireSuperuser = (request: FastifyRequest) => currentSuperuser(ctx, credentials(request));
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
