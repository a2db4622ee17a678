import type { FastifyRequest } from 'fastify';
import { forbidden } from './errors.js';

/** `http://Host:80` → `host`; null when the value is not a URL origin (`null`, garbage). */
function originHost(origin: string): string | null {
  try {
    const url = new URL(origin);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.host : null;
  } catch {
    return null;
  }
}

/** The `host[:port]` values this request was addressed to: `Host`, and `X-Forwarded-Host` behind a proxy. */
function ownHosts(request: FastifyRequest): string[] {
  const values = [request.headers.host, request.headers['x-forwarded-host']]
    .flatMap((value) => (Array.isArray(value) ? value : value === undefined ? [] : value.split(',')))
    .map((value) => value.trim())
    .filter(Boolean);
  return values.map((value) => originHost(`http://${value}`)).filter((host): host is string => host !== null);
}

/** An `Origin` header that is neither this server's own (`Host` / `X-Forwarded-Host`) nor undefined. */
function foreignOrigin(request: FastifyRequest, origin: string | undefined): boolean {
  if (origin === undefined) return false;
  const host = originHost(origin);
  return host === null || !ownHosts(request).some((own) => own.toLowerCase() === host.toLowerCase());
}

/**
 * Whether the browser says this request comes from this server's own pages: an `Origin` that is the
 * server's or listed by name in `LANGFLOW_CORS_ORIGINS`, or, without `Origin`, `Sec-Fetch-Site` absent,
 * `same-origin` or `none` (typed or bookmarked). Stricter than `refuseCrossSite`: `same-site` (another
 * port of localhost, a sibling subdomain) is not the server's own page either. For ambient credentials
 * (the access-token cookie) that a browser attaches whoever asks it to.
 */
export function isOwnPageRequest(request: FastifyRequest, listedOrigins: readonly string[]): boolean {
  const origin = request.headers.origin;
  if (origin !== undefined) return listedOrigins.includes(origin) || !foreignOrigin(request, origin);
  const site = request.headers['sec-fetch-site'];
  return site === undefined || site === 'same-origin' || site === 'none';
}

/**
 * Refuses (403) a request another website made the browser send: an `Origin` that is neither this
 * server's own nor listed in `LANGFLOW_CORS_ORIGINS`, or `Sec-Fetch-Site: cross-site` (navigations,
 * images and forms, which carry no Origin) from anywhere not listed. Requests from scripts and CLI
 * tools carry neither header and pass. For routes that hand out credentials (auto-login).
 */
export function refuseCrossSite(request: FastifyRequest, listedOrigins: readonly string[], what: string): void {
  const origin = request.headers.origin;
  // Only origins listed by name count as the operator's own front ends, never through `*`.
  if (origin !== undefined && listedOrigins.includes(origin)) return;
  const site = request.headers['sec-fetch-site'];
  if (site === 'cross-site' || foreignOrigin(request, origin)) {
    throw forbidden(
      `${what} refuses cross-site requests: ${origin === undefined ? 'this request came from another site' : `origin ${JSON.stringify(origin)} is not this server`}. ` +
        'Open Weft on its own address, or list the origin of your front end in LANGFLOW_CORS_ORIGINS.',
    );
  }
}
