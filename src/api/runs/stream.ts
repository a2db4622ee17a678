import type { FastifyReply, FastifyRequest } from 'fastify';
import { encodeEvent, type EngineEvent } from '../../engine/index.js';

/** Aborts when the client goes away before the response is complete, or when the server starts closing. */
export function disconnectSignal(request: FastifyRequest, reply: FastifyReply): AbortSignal {
  const abort = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) abort.abort(new Error('Client disconnected'));
  });
  request.raw.on('aborted', () => abort.abort(new Error('Client disconnected')));
  return AbortSignal.any([abort.signal, request.server.weft.shutdown]);
}

/**
 * Writes events as Langflow's `/run?stream=true` does: `text/event-stream`, each event framed by
 * `encodeEvent` (Python json.dumps + blank line), only the names in `allowed`.
 */
export async function streamEvents(reply: FastifyReply, events: AsyncIterable<EngineEvent>, allowed: ReadonlySet<string>, signal: AbortSignal): Promise<void> {
  reply.hijack();
  const headers = { ...reply.getHeaders(), 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive' };
  reply.raw.writeHead(200, headers as Record<string, string>);
  try {
    for await (const event of events) {
      if (signal.aborted) break;
      if (!allowed.has(event.event)) continue;
      if (!reply.raw.write(encodeEvent(event))) await new Promise<void>((resolve) => reply.raw.once('drain', resolve));
    }
  } finally {
    reply.raw.end();
  }
}
