import type { Observability } from '../services/observability.js';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ComponentRegistry } from '../engine/index.js';
import type { Database, UserRecord } from '../services/database/index.js';
import type { RunHost } from '../services/runs/host.js';
import type { Settings } from '../services/settings.js';
import type { BackgroundRunner } from './runs/background.js';

/**
 * What every route plugin gets. Plugins stay thin: validate with TypeBox, call these, shape the reply.
 *
 * Auth helpers throw `HttpError`s (src/api/errors.ts) with Langflow's exact status codes and texts, so a
 * handler just writes `const user = await ctx.auth.requireUser(request)`. Each also exists as a Fastify
 * preHandler (`ctx.auth.userPreHandler` etc.) that stores the caller in `request.weftUser`.
 */
export interface ApiContext {
  settings: Settings;
  database: Database;
  registry: ComponentRegistry;
  auth: ApiAuth;
  /** Runs flows for every entry point: the user's services (models, MCP servers, variables...) and run records. */
  host: RunHost;
  /** Starts a flow run that outlives the request (webhooks). Swappable for a job queue. */
  background: BackgroundRunner;
  /** Aborted when the server starts closing (SIGTERM, `app.close()`): runs started by requests stop with it. */
  shutdown: AbortSignal;
  /** Prometheus metrics and OTLP trace export, when the settings turn them on. */
  observability: Observability;
}

export interface ApiAuth {
  /** Langflow's `get_current_active_user`: Bearer JWT first, else API key (header or query). */
  requireUser(request: FastifyRequest): Promise<UserRecord>;
  /** Langflow's `api_key_security` (used by /run): API key only; AUTO_LOGIN rules of §B. */
  requireApiKeyUser(request: FastifyRequest): Promise<UserRecord>;
  /** A user who is a superuser, else 403 "The user doesn't have enough privileges". */
  requireSuperuser(request: FastifyRequest): Promise<UserRecord>;
  /** The active owner of an API key; 403 "Invalid or missing API key" otherwise (webhook auth). */
  userFromApiKey(key: string): Promise<UserRecord>;
  userPreHandler(request: FastifyRequest): Promise<void>;
  apiKeyUserPreHandler(request: FastifyRequest): Promise<void>;
  superuserPreHandler(request: FastifyRequest): Promise<void>;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the auth preHandlers. */
    weftUser?: UserRecord;
  }
}

/** The caller a preHandler stored; throws if the route forgot to declare one. */
export function currentUser(request: FastifyRequest): UserRecord {
  if (!request.weftUser) throw new Error(`Route ${request.routeOptions.url ?? request.url} has no auth preHandler`);
  return request.weftUser;
}

/** A route plugin: one per router file, registered from `ROUTE_PLUGINS` in app.ts. */
export type RoutePlugin = (app: FastifyInstance, ctx: ApiContext) => Promise<void>;
