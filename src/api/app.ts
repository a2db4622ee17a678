import cookie from '@fastify/cookie';
import cors from '@fastify/cors';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { Ajv, type Options as AjvOptions, type ValidateFunction } from 'ajv';
import ajvFormats from 'ajv-formats';
import Fastify, { type FastifyInstance, type FastifySchema } from 'fastify';
import type { ComponentRegistry } from '../engine/index.js';
import type { Database } from '../services/database/index.js';
import type { Settings } from '../services/settings.js';
import type { ApiAuth, ApiContext, RoutePlugin } from './context.js';
import { handleError } from './errors.js';
import { checkMultipartUpload } from './multipart-check.js';
import { InProcessBackgroundRunner, type BackgroundRunner } from './runs/background.js';
import { DeferredRegistry } from './deferred-registry.js';
import { healthRoutes } from './health.js';
import { apiKeyRoutes } from './v1/api-key.js';
import { endpointRoutes } from './v1/endpoints.js';
import { flowRoutes } from './v1/flows.js';
import { loginRoutes } from './v1/login.js';
import { projectRoutes } from './v1/projects.js';
import { starterProjectRoutes } from './v1/starter-projects.js';
import { userRoutes } from './v1/users.js';
import { validateRoutes } from './v1/validate.js';
import { variableRoutes } from './v1/variables.js';
import { mcpRoutes } from './v1/mcp.js';
import { mcpProjectRoutes } from './v1/mcp-projects.js';
import { responsesRoutes } from './v1/responses.js';
import { fastifyLoggerOptions, pinoLevel } from '../services/logs/index.js';
import { logRoutes } from './logs.js';
import { filesV1Routes } from './v1/files.js';
import { monitorRoutes } from './v1/monitor.js';
import { filesV2Routes } from './v2/files.js';
import { buildRoutes } from './v1/build.js';
import { workflowRoutes } from './v2/workflows.js';
import { modelRoutes } from './v1/models.js';
import { mcpServerRoutes } from './v2/mcp-servers.js';

/**
 * Every router, one plugin per file. Add new routers here (and nowhere else); each gets the
 * shared ApiContext (settings, repositories, component registry, auth helpers).
 */
export const ROUTE_PLUGINS: readonly RoutePlugin[] = [
  healthRoutes,
  endpointRoutes,
  loginRoutes,
  userRoutes,
  apiKeyRoutes,
  flowRoutes,
  projectRoutes,
  variableRoutes,
  validateRoutes,
  starterProjectRoutes,
  mcpRoutes,
  mcpProjectRoutes,
  responsesRoutes,
  logRoutes,
  filesV1Routes,
  filesV2Routes,
  monitorRoutes,
  buildRoutes,
  workflowRoutes,
  modelRoutes,
  mcpServerRoutes,
];

export interface CreateAppOptions {
  settings: Settings;
  database: Database;
  auth: ApiAuth;
  registry?: ComponentRegistry;
  background?: BackgroundRunner;
  /** Start-up work requests must wait for (e.g. the superuser bootstrap); `/health` does not. */
  ready?: Promise<unknown>;
  /** Close the database when the app closes (the server owns it; tests may share one). */
  closeDatabase?: boolean;
  /** Pino logging (off by default: tests and benchmarks). */
  logger?: boolean;
  /** Feed the `/logs` ring buffer with the log records (default: whenever `logger` is on). */
  captureLogs?: boolean;
}

export async function createApp(options: CreateAppOptions): Promise<FastifyInstance> {
  const { settings } = options;
  const app = Fastify({
    logger: fastifyLoggerOptions({ stdout: options.logger ?? false, capture: options.captureLogs ?? options.logger ?? false, level: pinoLevel(settings.logLevel) }),
    bodyLimit: settings.maxFileSizeUpload * 1024 * 1024,
    // Langflow accepts `/api/v1/flows` and `/api/v1/flows/` alike.
    routerOptions: { ignoreTrailingSlash: true },
  });
  app.setValidatorCompiler(requestValidatorCompiler());

  const background = options.background ?? new InProcessBackgroundRunner((message, error) => app.log.error({ err: error }, message));
  const registry = options.registry ?? new DeferredRegistry(async () => (await import('../components/registry.js')).createRegistry());
  const ctx: ApiContext = {
    settings,
    database: options.database,
    registry,
    auth: options.auth,
    background,
  };
  app.decorate('weft', ctx);
  app.addHook('onClose', async () => {
    await background.close();
    if (options.closeDatabase) await options.database.close();
  });

  // Start-up work that may finish after `listen` (component registry, superuser bootstrap): every
  // request but the liveness probe waits for it, so `/health` answers as soon as the port is open.
  const gates = [registry instanceof DeferredRegistry ? registry.ready : null, options.ready ?? null].filter((g) => g !== null);
  if (gates.length > 0) {
    const ready = Promise.all(gates);
    ready.catch(() => {});
    app.addHook('onRequest', async (request) => {
      if (request.url !== '/health') await ready;
    });
  }

  app.setErrorHandler(handleError);
  app.setNotFoundHandler((_request, reply) => reply.code(404).send({ detail: 'Not Found' }));

  // Credentials only ever go to configured origins; without any, any origin may call but without cookies.
  await app.register(cookie);
  await app.register(cors, settings.corsOrigins.length > 0
    ? { origin: settings.corsOrigins, credentials: true }
    : { origin: '*', credentials: false });
  await app.register(multipart, { limits: { fileSize: settings.maxFileSizeUpload * 1024 * 1024 } });
  app.addHook('onRequest', checkMultipartUpload);
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: 'Langflow', version: '1.8.0', description: 'Weft: a Langflow-compatible API' },
      components: {
        securitySchemes: {
          'API key header': { type: 'apiKey', in: 'header', name: 'x-api-key' },
          'API key query': { type: 'apiKey', in: 'query', name: 'x-api-key' },
          OAuth2PasswordBearer: { type: 'oauth2', flows: { password: { tokenUrl: 'api/v1/login', scopes: {} } } },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  for (const plugin of ROUTE_PLUGINS) await app.register(async (scope) => plugin(scope, ctx));
  await app.ready();
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    weft: ApiContext;
  }
}

/**
 * Query, path and header values are strings, so they are coerced ("2" → 2) as pydantic does; JSON
 * bodies are not (pydantic rejects 5 for a string field), so a wrongly typed body is a 422.
 */
function requestValidatorCompiler() {
  const options: AjvOptions = { removeAdditional: false, useDefaults: true, allErrors: true, strict: false };
  const addFormats = ajvFormats as unknown as (ajv: Ajv) => Ajv;
  const coercing = addFormats(new Ajv({ ...options, coerceTypes: 'array' }));
  const exact = addFormats(new Ajv({ ...options, coerceTypes: false }));
  // Compiled on a route's first request, not at start-up: compiling every route's schema up front
  // costs a third of a second, and most routes of a given server are never called.
  return ({ schema, httpPart }: { schema: FastifySchema; httpPart?: string }) => {
    let compiled: ValidateFunction | null = null;
    const validate = (data: unknown) => {
      compiled ??= (httpPart === 'body' ? exact : coercing).compile(schema as object);
      const valid = compiled(data);
      validate.errors = compiled.errors;
      return valid;
    };
    validate.errors = null as ValidateFunction['errors'];
    return validate;
  };
}
