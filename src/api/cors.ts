import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CorsSettings } from '../services/settings.js';

/** Starlette's `ALL_METHODS`, what `allow_methods=["*"]` stands for, in its order. */
const ALL_METHODS = ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'];
/** Headers Starlette always allows in a preflight. */
const SAFELISTED_HEADERS = ['Accept', 'Accept-Language', 'Content-Language', 'Content-Type'];
/** Starlette's default `max_age`. */
const PREFLIGHT_MAX_AGE_SECONDS = 600;

/** Adds `Origin` to the response's `Vary` header, keeping what is there. */
function varyOnOrigin(reply: FastifyReply): void {
  const current = reply.getHeader('vary');
  const values = current === undefined ? [] : String(current).split(',').map((v) => v.trim()).filter(Boolean);
  if (!values.some((v) => v.toLowerCase() === 'origin')) values.push('Origin');
  reply.header('vary', values.join(', '));
}

/**
 * Cross-origin access as Langflow grants it, through Starlette's `CORSMiddleware` and Langflow's
 * `LANGFLOW_CORS_*` settings: preflights answer 200 "OK" or 400 "Disallowed CORS origin, method,
 * headers" (what failed), allowed methods and headers are listed or the requested headers echoed,
 * an allowed origin is echoed with `Vary: Origin`. Weft's defaults differ (see docs/security.md): no
 * origin is allowed unless configured, and `*` origins never get credentials (settings enforce it).
 */
export class CorsPolicy {
  private readonly allowAllOrigins: boolean;
  private readonly allowAllHeaders: boolean;
  private readonly explicitPreflightOrigin: boolean;
  private readonly methods: string[];
  private readonly headers: string[];
  private readonly simpleHeaders: Record<string, string> = {};
  private readonly preflightHeaders: Record<string, string> = {};

  constructor(private readonly settings: CorsSettings) {
    this.allowAllOrigins = settings.origins.includes('*');
    this.allowAllHeaders = settings.allowHeaders.includes('*');
    this.explicitPreflightOrigin = !this.allowAllOrigins || settings.allowCredentials;
    this.methods = settings.allowMethods.includes('*') ? ALL_METHODS : settings.allowMethods;
    const allowedHeaders = [...new Set([...SAFELISTED_HEADERS, ...settings.allowHeaders])].sort();
    this.headers = allowedHeaders.map((h) => h.toLowerCase());

    if (this.allowAllOrigins) this.simpleHeaders['access-control-allow-origin'] = '*';
    if (settings.allowCredentials) this.simpleHeaders['access-control-allow-credentials'] = 'true';
    if (this.explicitPreflightOrigin) this.preflightHeaders.vary = 'Origin';
    else this.preflightHeaders['access-control-allow-origin'] = '*';
    this.preflightHeaders['access-control-allow-methods'] = this.methods.join(', ');
    this.preflightHeaders['access-control-max-age'] = String(PREFLIGHT_MAX_AGE_SECONDS);
    if (!this.allowAllHeaders) this.preflightHeaders['access-control-allow-headers'] = allowedHeaders.join(', ');
    if (settings.allowCredentials) this.preflightHeaders['access-control-allow-credentials'] = 'true';
  }

  isAllowedOrigin(origin: string): boolean {
    return this.allowAllOrigins || this.settings.origins.includes(origin);
  }

  /** The `onRequest` hook: answers preflights itself, adds CORS headers to everything else. */
  readonly hook = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const origin = request.headers.origin;
    if (origin === undefined) return;
    const requestedMethod = request.headers['access-control-request-method'];
    if (request.method === 'OPTIONS' && requestedMethod !== undefined) {
      await this.preflight(origin, String(requestedMethod), request.headers['access-control-request-headers'], reply);
      return;
    }
    reply.headers(this.simpleHeaders);
    // A request with cookies needs its origin echoed, not `*` (Starlette does so; without
    // `allow-credentials` the browser still withholds the response from a credentialed caller).
    const hasCookie = request.headers.cookie !== undefined;
    if ((this.allowAllOrigins && hasCookie) || (!this.allowAllOrigins && this.isAllowedOrigin(origin))) {
      reply.header('access-control-allow-origin', origin);
      varyOnOrigin(reply);
    }
  };

  private async preflight(origin: string, method: string, requestedHeaders: string | undefined, reply: FastifyReply): Promise<void> {
    const headers = { ...this.preflightHeaders };
    const failures: string[] = [];
    if (this.isAllowedOrigin(origin)) {
      if (this.explicitPreflightOrigin) headers['access-control-allow-origin'] = origin;
    } else {
      failures.push('origin');
    }
    if (!this.methods.includes(method)) failures.push('method');
    if (this.allowAllHeaders && requestedHeaders !== undefined) {
      headers['access-control-allow-headers'] = requestedHeaders;
    } else if (requestedHeaders !== undefined) {
      const refused = requestedHeaders.split(',').some((h) => !this.headers.includes(h.trim().toLowerCase()));
      if (refused) failures.push('headers');
    }
    const [status, text] = failures.length > 0 ? [400, `Disallowed CORS ${failures.join(', ')}`] : [200, 'OK'];
    await reply.code(status).headers(headers).type('text/plain; charset=utf-8').send(text);
  }
}
