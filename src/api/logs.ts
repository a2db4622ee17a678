import { PassThrough } from 'node:stream';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { processLogBuffer, type LogBuffer } from '../services/logs/index.js';
import type { ApiContext } from './context.js';
import { badRequest, HttpError } from './errors.js';

const LogsQuery = Type.Object({
  lines_before: Type.Integer({ default: 0, description: 'The number of logs before the timestamp or the last log' }),
  lines_after: Type.Integer({ default: 0, description: 'The number of logs after the timestamp' }),
  timestamp: Type.Integer({ default: 0, description: 'The timestamp to start getting logs from' }),
});
type LogsQuery = Static<typeof LogsQuery>;

/** Langflow sends `keepalive` after this many idle seconds on `/logs-stream`. */
const KEEPALIVE_MS = 5000;

/**
 * `/logs` and `/logs-stream` (root, no `/api`): recent server log lines from the in-memory ring
 * buffer the Fastify logger feeds, as `{"<epoch ms>": "<line>"}`. As in Langflow: superusers only
 * (any credential other routes take: JWT, API key header or query; 403 for other users), then 501
 * "Log retrieval is disabled" unless LANGFLOW_ENABLE_LOG_RETRIEVAL is on and the logger feeds the buffer.
 * The lines themselves carry no credentials (redacted by the logger).
 */
export function logRoutesFor(buffer: LogBuffer) {
  return async function logRoutes(app: FastifyInstance, ctx: ApiContext): Promise<void> {
    const tags = ['Log'];
    const user = { preHandler: ctx.auth.superuserPreHandler };
    const requireEnabled = (buffer: LogBuffer): void => {
      if (!ctx.settings.enableLogRetrieval || !buffer.enabled()) throw new HttpError(501, 'Log retrieval is disabled');
    };

    app.get<{ Querystring: LogsQuery }>('/logs', { ...user, schema: { tags, querystring: LogsQuery } }, async (request) => {
      requireEnabled(buffer);
      const { lines_before: before, lines_after: after, timestamp } = request.query;
      if (after > 0 && before > 0) throw badRequest('Cannot request logs before and after the timestamp');
      if (timestamp <= 0) {
        if (after > 0) throw badRequest('Timestamp is required when requesting logs after the timestamp');
        return buffer.lastN(before <= 0 ? 10 : before);
      }
      if (before > 0) return buffer.before(timestamp, before);
      if (after > 0) return buffer.after(timestamp, after);
      return buffer.before(timestamp, 10);
    });

    app.get('/logs-stream', { ...user, schema: { tags } }, async (request, reply) => {
      requireEnabled(buffer);
      const stream = new PassThrough();
      let idle: NodeJS.Timeout | undefined;
      const armKeepalive = () => {
        clearTimeout(idle);
        idle = setTimeout(() => {
          stream.write('keepalive\n\n');
          armKeepalive();
        }, KEEPALIVE_MS);
      };
      // Only lines logged from now on, as Langflow's stream starts after the newest buffered line.
      const unsubscribe = buffer.subscribe((entry) => {
        stream.write(`${JSON.stringify({ [String(entry.timestamp)]: entry.message })}\n\n`);
        armKeepalive();
      });
      const stop = () => {
        unsubscribe();
        clearTimeout(idle);
        stream.end();
      };
      // The response closes when the client goes away (the request's own 'close' fires once its empty body is read).
      reply.raw.once('close', stop);
      // Send the headers now (as Starlette does), not with the first log line, so clients see the stream open.
      reply.raw.once('pipe', () => reply.raw.flushHeaders());
      armKeepalive();
      return reply
        .header('Content-Type', 'text/event-stream; charset=utf-8')
        .header('Cache-Control', 'no-cache')
        .header('X-Accel-Buffering', 'no')
        .send(stream);
    });
  };
}

/** The routes over the process's log buffer (the one `fastifyLoggerOptions` feeds). */
export const logRoutes = logRoutesFor(processLogBuffer);
