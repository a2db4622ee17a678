import cookie from '@fastify/cookie';
import multipart from '@fastify/multipart';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import type { ComponentRegistry } from '../engine/index.js';
import type { Database } from '../services/database/index.js';
import { RunHost } from '../services/runs/host.js';
import type { Settings } from '../services/settings.js';
import type { ApiAuth, ApiContext, RoutePlugin } from './context.js';
import { edgeServerOptions, registerEdge } from './edge.js';
import { handleError } from './errors.js';
import { checkMultipartUpload } from './multipart-check.js';
import { requestValidatorCompiler } from './request-validation.js';
import { InProcessBackgroundRunner, type BackgroundRunner } from './runs/background.js';
import { DeferredRegistry } from './deferred-registry.js';
import { healthRoutes } from './health.js';
import { apiKeyRoutes } from './v1/api-key.js';
import { endpointRoutes } from './v1/endpoints.js';
import { flowRoutes } from './v1/flows.js';
import { flowUpsertRoutes } from './v1/flow-upsert.js';
import { loginRoutes } from './v1/login.js';
import { projectRoutes } from './v1/projects.js';
import { starterProjectRoutes } from './v1/starter-projects.js';
import { userRoutes } from './v1/users.js';
import { validateRoutes } from './v1/validate.js';
import { customComponentRoutes } from './v1/custom-components.js';
import { variableRoutes } from './v1/variables.js';
import { mcpRoutes } from './v1/mcp.js';
import { mcpProjectRoutes } from './v1/mcp-projects.js';
import { responsesRoutes } from './v1/responses.js';
import { fastifyLoggerOptions, pinoLevel } from '../services/logs/index.js';
import { logRoutes } from './logs.js';
import { filesV1Routes } from './v1/files.js';
import { monitorRoutes } from './v1/monitor.js';
import { startObservability } from '../services/observability.js';
import { traceRoutes } from './v1/traces.js';
import { filesV2Routes } from './v2/files.js';
import { buildRoutes } from './v1/build.js';
import { workflowRoutes } from './v2/workflows.js';
import { modelRoutes } from './v1/models.js';
import { mcpServerRoutes } from './v2/mcp-servers.js';
import { storeRoutes } from './v1/store.js';
import { knowledgeBaseRoutes } from './v1/knowledge-bases.js';
import { registerUi } from './ui-static.js';

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
  flowUpsertRoutes,
  projectRoutes,
  variableRoutes,
  validateRoutes,
  customComponentRoutes,
  starterProjectRoutes,
  mcpRoutes,
  mcpProjectRoutes,
  responsesRoutes,
  logRoutes,
  filesV1Routes,
  filesV2Routes,
  monitorRoutes,
  traceRoutes,
  buildRoutes,
  workflowRoutes,
  modelRoutes,
  mcpServerRoutes,
  storeRoutes,
  knowledgeBaseRoutes,
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
  /** Feed the `/logs` ring buffer with the log records (default: when `logger` is on and LANGFLOW_ENABLE_LOG_RETRIEVAL allows reading them). */
  captureLogs?: boolean;
  /** The built browser app (`dist/ui`) to serve at `/`; `weft serve` passes it. Missing files: `/` says how to build. */
  uiDir?: string | null;
}

export async function createApp(options: CreateAppOptions): Promise<FastifyInstance> {
  const { settings } = options;
  const app = Fastify({
    logger: fastifyLoggerOptions({ stdout: options.logger ?? false, capture: options.captureLogs ?? (options.logger === true && settings.enableLogRetrieval), level: pinoLevel(settings.logLevel), bufferSize: settings.logRetrieverBufferSize }),
    ...edgeServerOptions(settings),
    // Langflow accepts `/api/v1/flows` and `/api/v1/flows/` alike.
    routerOptions: { ignoreTrailingSlash: true },
    // JSON bodies with `__proto__` (or `constructor.prototype`) keys are refused (422), never parsed into objects.
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
  });
  app.setValidatorCompiler(requestValidatorCompiler());
  // First of all hooks: the Host check, CORS, body parsing and their limits.
  registerEdge(app, settings);

  const shutdown = new AbortController();
  const background = options.background ?? new InProcessBackgroundRunner((message, error) => app.log.error({ err: error }, message));
  const registry = options.registry ?? new DeferredRegistry(async () => (await import('../components/registry.js')).createRegistry());
  const observability = await startObservability(settings, (message) => process.stderr.write(`weft: ${message}\n`));
  const ctx: ApiContext = {
    settings,
    database: options.database,
    registry,
    auth: options.auth,
    host: new RunHost({ database: options.database, settings, registry, log: (message, error) => app.log.error({ err: error }, message), traceSinks: observability.sinks }),
    background,
    shutdown: shutdown.signal,
    observability,
  };
  app.decorate('weft', ctx);
  // Before the server waits for in-flight requests to finish: cancel their runs, or a runaway flow keeps it open.
  app.addHook('preClose', async () => shutdown.abort(new Error('The server is shutting down')));
  const metrics = observability.metrics;
  if (metrics) app.addHook('onResponse', async (request, reply) => metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000));
  app.addHook('onClose', async () => {
    await background.close();
    await ctx.host.closeVectorStores();
    await observability.close();
    await ctx.host.sandbox.close();
    await ctx.host.codeChecker.close();
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
  // Before the routers, so their scopes inherit it: the app's addresses fall back to its index.html, the rest is the JSON 404.
  await registerUi(app, options.uiDir ?? null);

  await app.register(cookie);
  await app.register(multipart, { limits: { fileSize: settings.maxFileSizeUpload * 1024 * 1024 } });
  app.addHook('onRequest', checkMultipartUpload);

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
