import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * Paths that belong to the server, never to the app: an unknown address under them is the API's JSON
 * 404, even for a browser asking for HTML.
 */
const SERVER_PATHS = ['/api', '/docs', '/health', '/health_check', '/openapi.json', '/logs', '/logs-stream', '/assets'];

/** Hashed file names (Vite's `assets/name-HASH.js`): they never change, so browsers may keep them for a year. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** index.html names the current hashed assets: always revalidated, so a new build is picked up at once. */
const REVALIDATE = 'no-cache';
/**
 * The app loads only its own scripts; React Flow and CodeMirror set inline styles, hence
 * `'unsafe-inline'` for styles only. Data/blob images for exported pictures and icons.
 */
const APP_CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'self'; form-action 'self'";

function pathOf(url: string): string {
  const end = url.search(/[?#]/);
  return end === -1 ? url : url.slice(0, end);
}

function isServerPath(path: string): boolean {
  return SERVER_PATHS.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));
}

/**
 * A browser navigating to one of the app's own addresses (`/flow/…`, `/settings/…`): a GET or HEAD that
 * accepts HTML, outside the server's paths, whose last segment is not a file name.
 */
export function isAppNavigation(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = pathOf(request.url);
  if (isServerPath(path)) return false;
  const last = path.slice(path.lastIndexOf('/') + 1);
  if (last.includes('.')) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Weft</title></head>
<body style="font-family: system-ui, sans-serif; max-width: 40rem; margin: 3rem auto; line-height: 1.5">
<h1>Weft is running, but its web app is not built</h1>
<p>Build it with <code>npm run build</code> (or start the server with <code>npm start</code>, which builds what changed), then reload this page.</p>
<p>The Langflow API is served as usual: <a href="/docs">/docs</a>, <a href="/openapi.json">/openapi.json</a>, <a href="/health">/health</a>.</p>
</body></html>
`;

function sendIndex(reply: FastifyReply): FastifyReply {
  return reply
    .header('cache-control', REVALIDATE)
    .header('content-security-policy', APP_CSP)
    .header('x-content-type-options', 'nosniff')
    .sendFile('index.html');
}

/**
 * Serves the browser app built into `uiDir` (`dist/ui`) at `/`: its files through @fastify/static
 * (ETags, ranges, long-lived caching for hashed assets), and index.html for the app's own addresses.
 * Sets the 404 handler: the app's addresses get index.html (or, when the app is not built, a page
 * saying how to build it), everything else the API's JSON 404. `uiDir` null: the API alone.
 */
export async function registerUi(app: FastifyInstance, uiDir: string | null): Promise<void> {
  const built = uiDir !== null && existsSync(join(uiDir, 'index.html'));
  app.setNotFoundHandler((request, reply) => {
    const wantsApp = isAppNavigation(request);
    if (wantsApp && built) return sendIndex(reply.code(200));
    if (wantsApp && uiDir !== null && pathOf(request.url) === '/') return reply.code(404).type('text/html; charset=utf-8').header('cache-control', REVALIDATE).send(NOT_BUILT);
    return reply.code(404).send({ detail: 'Not Found' });
  });
  if (built) {
    await app.register(fastifyStatic, {
      root: uiDir,
      prefix: '/',
      // index.html goes through sendIndex (its headers); `/` is a route of its own below.
      index: false,
      cacheControl: false,
      // The whole folder is looked up per request, so a rebuild is served without a restart.
      wildcard: true,
      setHeaders(reply, path) {
        const isAsset = path.includes(`${sep}assets${sep}`);
        reply.header('cache-control', isAsset ? IMMUTABLE : REVALIDATE);
        reply.header('x-content-type-options', 'nosniff');
        if (path.endsWith(`${sep}index.html`)) reply.header('content-security-policy', APP_CSP);
      },
      schemaHide: true,
    });
    app.get('/', { schema: { hide: true } }, async (_request, reply) => sendIndex(reply));
  }
}
