import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { encodeEvent } from '../engine/events.js';
import type { BusEvent } from '../services/events/types.js';
import { createJobServices, createRunExecutor, type JobServices } from '../services/jobs/index.js';
import type { ApiContext } from './context.js';

/**
 * The job queue and event bus of this API process, one per ApiContext: in-process without Redis,
 * BullMQ + Redis Streams with LANGFLOW_REDIS_URL (this process also runs jobs unless
 * LANGFLOW_WORKER_ENABLED=false). Created on first use; closed with the app (see build.ts).
 */
const services = new WeakMap<ApiContext, JobServices>();

export function jobsOf(ctx: ApiContext): JobServices {
  let jobs = services.get(ctx);
  if (!jobs) {
    const log = (line: string) => process.stderr.write(`weft jobs: ${line}\n`);
    const metrics = ctx.observability.metrics;
    const executor = metrics ? metrics.countJobs(createRunExecutor(ctx.host)) : createRunExecutor(ctx.host);
    jobs = createJobServices(executor, ctx.settings.jobs, log);
    metrics?.watchQueue(jobs.queue);
    services.set(ctx, jobs);
  }
  return jobs;
}

/** Closes this context's job services, if they were created. */
export async function closeJobs(ctx: ApiContext): Promise<void> {
  const jobs = services.get(ctx);
  services.delete(ctx);
  await jobs?.close();
}

/** The response headers Fastify hooks (CORS) set so far, for a hijacked streaming reply. */
export function hookHeaders(reply: FastifyReply): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(reply.getHeaders())) if (value !== undefined) headers[name] = String(value);
  return headers;
}

export interface StreamOptions {
  contentType: string;
  encode(event: BusEvent): string;
  /** Called when the client goes away before the terminal event. */
  onDisconnect?(): void;
}

/**
 * Streams `events` to the client as they come, flushing each one. Ends after the iterator ends;
 * a client disconnect stops the iteration (its AbortSignal) and calls `onDisconnect`.
 */
export async function streamEvents(
  request: FastifyRequest,
  reply: FastifyReply,
  events: (signal: AbortSignal) => AsyncIterable<BusEvent>,
  options: StreamOptions,
): Promise<void> {
  const controller = new AbortController();
  let finished = false;
  const res = reply.raw;
  const onClose = () => {
    if (!finished) {
      controller.abort();
      options.onDisconnect?.();
    }
  };
  res.on('close', onClose);
  reply.hijack();
  res.writeHead(200, { ...hookHeaders(reply), 'content-type': options.contentType, 'cache-control': 'no-cache', 'x-accel-buffering': 'no' });
  try {
    for await (const event of events(controller.signal)) {
      if (controller.signal.aborted) break;
      if (!res.write(options.encode(event))) await new Promise<void>((resolve) => {
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.on('drain', done);
        res.on('close', done);
      });
    }
    finished = true;
  } catch (error) {
    finished = true;
    request.log.error({ err: error }, 'event stream failed');
  } finally {
    res.off('close', onClose);
    res.end();
  }
}

/** Langflow's framing: `{"event": ..., "data": ...}` + blank line. */
export function ndjson(event: BusEvent): string {
  return encodeEvent({ event: event.event, data: event.data });
}

/** Server-sent events with the stream id, so `Last-Event-ID` resumes. */
export function sse(event: BusEvent): string {
  return `id: ${event.id}\ndata: ${JSON.stringify({ event: event.event, data: event.data })}\n\n`;
}

/** RFC 4122 name-based UUID (version 5, SHA-1). */
export function uuid5(name: string, namespace: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name, 'utf8')
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export const NAMESPACE_DNS = '6ba7b810-9dad-11d1-80b4-00c04fd430c8';

/** Percent-decoded when it decodes (Starlette does not decode at all); a malformed value is kept as sent. */
function decodedCookieValue(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** A cookie's value from the Cookie header. */
export function cookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return decodedCookieValue(part.slice(index + 1).trim());
  }
  return undefined;
}
