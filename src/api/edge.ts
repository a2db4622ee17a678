import { STATUS_CODES, type ServerOptions } from 'node:http';
import type { Socket } from 'node:net';
import type { FastifyInstance, FastifyServerOptions } from 'fastify';
import type { Settings } from '../services/settings.js';
import { registerBodyParsers } from './body-parsing.js';
import { CorsPolicy } from './cors.js';
import { hostCheck } from './host-check.js';

const MB = 1024 * 1024;

/** A raw HTTP error written straight to a socket Node gave up on, in FastAPI's `{"detail"}` shape. */
function writeRawError(socket: Socket, status: number, detail: string): void {
  // As Node does: never corrupt a response that has already started.
  const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  if (socket.writable && !inFlight?.headersSent) {
    const body = JSON.stringify({ detail });
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
}

/**
 * The server options of the HTTP edge: bodies parsed in memory are capped by `WEFT_MAX_BODY_SIZE_MB`
 * (uploads stream under `LANGFLOW_MAX_FILE_SIZE_UPLOAD` instead), and a request must arrive whole
 * within `WEFT_REQUEST_TIMEOUT_SECONDS`. Node stops that clock once the request is received, so
 * long responses (streams, slow runs) are not cut.
 */
export function edgeServerOptions(settings: Settings): Pick<FastifyServerOptions, 'bodyLimit' | 'requestTimeout' | 'clientErrorHandler'> & { http: ServerOptions | null } {
  const requestTimeout = settings.requestTimeoutSeconds * 1000;
  return {
    bodyLimit: settings.maxBodySizeMb * MB,
    requestTimeout,
    http: requestTimeout > 0
      ? {
          headersTimeout: Math.min(60_000, requestTimeout),
          // Node looks for expired requests every 30 s by default: a short timeout needs a closer look.
          connectionsCheckingInterval: Math.min(30_000, Math.max(250, requestTimeout / 4)),
        }
      : null,
    clientErrorHandler(error: Error & { code?: string }, socket: Socket) {
      if (error.code === 'ECONNRESET' || socket.destroyed) return;
      if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
        writeRawError(socket, 408, `Request timeout: the request was not received within ${settings.requestTimeoutSeconds} s (WEFT_REQUEST_TIMEOUT_SECONDS)`);
      } else if (error.code === 'HPE_HEADER_OVERFLOW') {
        writeRawError(socket, 431, 'Request header fields too large');
      } else {
        writeRawError(socket, 400, 'Bad Request');
      }
      socket.destroy(error);
    },
  };
}

/**
 * The hooks and parsers every request meets first, in order: the DNS-rebinding guard (foreign
 * `Host` → 400), CORS (preflights answered here), then body parsing.
 */
export function registerEdge(app: FastifyInstance, settings: Settings): void {
  const hosts = hostCheck(settings.host, settings.allowedHostHeaders);
  if (hosts.active) app.addHook('onRequest', hosts.hook);
  app.addHook('onRequest', new CorsPolicy(settings.cors).hook);
  registerBodyParsers(app);
}
