import { isIP } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** 127.0.0.0/8, written as a dotted quad. */
const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** The host name of a `Host` header value (`[::1]:7860` → `::1`, `LocalHost:80` → `localhost`); null when malformed. */
export function hostName(header: string): string | null {
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0 || !/^(:\d*)?$/.test(value.slice(end + 1))) return null;
    return value.slice(1, end);
  }
  const name = value.replace(/:\d*$/, '').replace(/\.$/, '');
  return name === '' || name.includes(':') ? null : name;
}

export function isLoopbackName(name: string): boolean {
  if (name === 'localhost') return true;
  if (isIP(name) === 4) return LOOPBACK_V4.test(name);
  if (isIP(name) === 6) return name === '::1' || /^::ffff:127\./.test(name) || name === '0:0:0:0:0:0:0:1';
  return false;
}

/** `weft.internal` matches itself; `*.corp.example` (or `.corp.example`) matches names under it. */
function matchesEntry(name: string, entry: string): boolean {
  const pattern = entry.trim().toLowerCase();
  if (pattern.startsWith('*.') || pattern.startsWith('.')) return name.endsWith(pattern.slice(pattern.indexOf('.')));
  return name === pattern;
}

/**
 * The DNS-rebinding guard. A page whose DNS name is re-pointed at 127.0.0.1 reaches a loopback
 * server as its own origin, so only the `Host` header shows the request was not meant for it. On
 * a loopback-bound server (or whenever `WEFT_ALLOWED_HOSTS` is set) only loopback names and the
 * listed names are served; anything else is a 400, before any route or CORS handling.
 */
export function hostCheck(boundHost: string, allowedHostHeaders: readonly string[]) {
  const bound = hostName(boundHost.includes(':') && !boundHost.startsWith('[') ? `[${boundHost}]` : boundHost);
  const active = !allowedHostHeaders.includes('*') && ((bound !== null && isLoopbackName(bound)) || allowedHostHeaders.length > 0);
  const allowed = (header: string | undefined): boolean => {
    const name = header === undefined ? null : hostName(header);
    return name !== null && (isLoopbackName(name) || allowedHostHeaders.some((entry) => matchesEntry(name, entry)));
  };
  return {
    active,
    hook: async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
      if (!active || allowed(request.headers.host)) return;
      const shown = JSON.stringify(request.headers.host ?? '');
      await reply.code(400).send({
        detail: `Invalid host header: ${shown} is not an allowed host for a server bound to ${boundHost}. Add its name to WEFT_ALLOWED_HOSTS to serve it.`,
      });
    },
  };
}
