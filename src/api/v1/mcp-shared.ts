import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { McpScope, RequestHeaders } from '../../services/mcp/server.js';
import type { ApiContext } from '../context.js';
import { flowsAsTools, type FlowsAsTools } from '../flows-as-tools-backend.js';

/**
 * The app's flows-as-tools backend and MCP transports (one of each, shared by every MCP and
 * `/responses` route); open MCP sessions are closed before the app closes.
 */
export function flowsAsToolsFor(app: FastifyInstance, ctx: ApiContext): FlowsAsTools {
  const tools = flowsAsTools(ctx);
  app.addHook('preClose', async () => tools.transports.closeAll());
  return tools;
}

/** `url` and `url/`, unless the router already treats them alike (one registration is then enough). */
export function withAndWithoutSlash(app: FastifyInstance, url: string): string[] {
  const config = app.initialConfig as { ignoreTrailingSlash?: boolean; routerOptions?: { ignoreTrailingSlash?: boolean } };
  return config.ignoreTrailingSlash || config.routerOptions?.ignoreTrailingSlash ? [url] : [url, `${url}/`];
}

export function headersOf(request: FastifyRequest): RequestHeaders {
  return request.headers as RequestHeaders;
}

export function queryOf(request: FastifyRequest): Record<string, unknown> {
  return (request.query ?? {}) as Record<string, unknown>;
}

/** `http://host:port` as the client reached us, for resource and install URLs. */
export function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.headers.host ?? `${request.hostname}`}`;
}

/** An MCP server over `scope`; the SDK behind it loads with the first MCP session, not at start-up. */
export function lazyMcpServer(scope: McpScope) {
  return async () => (await import('../../services/mcp/server.js')).createMcpServer(scope);
}

/**
 * Hands the raw response to an MCP transport. Headers hooks already set on the reply (CORS above all)
 * would be lost with it, so they are copied onto the raw response first: browser MCP clients need them.
 */
export function hijackKeepingHeaders(reply: FastifyReply): void {
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) reply.raw.setHeader(name, value as string | number | readonly string[]);
  }
  reply.hijack();
}

/**
 * Registers routes that read their body as text (SSE message POSTs): the transport checks the session
 * before it parses the message, so a body that is not JSON, or has no JSON content type, is the
 * transport's 400 and not the framework's 422/415.
 */
export function withRawBodies(app: FastifyInstance, routes: (scope: FastifyInstance) => void): void {
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
    routes(scope);
  });
}

/** The text body of a `withRawBodies` route (undefined when there was none). */
export function rawBodyOf(request: FastifyRequest): string | undefined {
  return typeof request.body === 'string' ? request.body : undefined;
}
