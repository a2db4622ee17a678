import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingHttpHeaders, type RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { BlockList, isIP, type LookupFunction } from 'node:net';
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, type ZlibOptions } from 'node:zlib';
import type { EngineServices } from '../../engine/component.js';

/**
 * Outbound HTTP for components that fetch user-given URLs (URL, API Request). Refuses private,
 * loopback, link-local, CGNAT, multicast, reserved and unspecified targets (IPv4 and IPv6, with
 * IPv4-mapped and NAT64 forms), checked on the address actually connected to (so DNS rebinding
 * cannot slip through) and on every redirect hop, unless the host or address is allowed by
 * LANGFLOW_ALLOWED_HOSTS (hostnames, IPs or CIDRs, comma separated), which the run's host passes as
 * `ctx.services.allowedHosts` from its settings.
 */

const BLOCKED = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) BLOCKED.addSubnet(net, prefix, 'ipv4');
for (const [net, prefix] of [
  ['::', 128], ['::1', 128], ['fc00::', 7], ['fe80::', 10], ['fec0::', 10], ['ff00::', 8], ['2001:db8::', 32], ['100::', 64], ['2001::', 32],
] as const) BLOCKED.addSubnet(net, prefix, 'ipv6');

export class BlockedAddressError extends Error {
  constructor(host: string, address: string) {
    super(`Refusing to fetch ${host}: ${address} is a private or reserved address (allow it with LANGFLOW_ALLOWED_HOSTS)`);
    this.name = 'BlockedAddressError';
  }
}

/** The IPv4 address embedded in an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::/96) IPv6 address. */
function embeddedIPv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|::ffff:0:|64:ff9b::|::)(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
  if (dotted) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex) {
    const hi = parseInt(hex[1], 16);
    const lo = parseInt(hex[2], 16);
    return `${hi >> 8}.${hi & 255}.${lo >> 8}.${lo & 255}`;
  }
  return null;
}

export function isBlockedAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 4) return BLOCKED.check(address, 'ipv4');
  if (family === 6) {
    const v4 = embeddedIPv4(address);
    if (v4) return BLOCKED.check(v4, 'ipv4');
    return BLOCKED.check(address, 'ipv6');
  }
  return true;
}

export class AllowList {
  private readonly names = new Set<string>();
  private readonly blocks = new BlockList();
  private hasBlocks = false;

  constructor(spec: string | string[] | undefined | null) {
    const entries = Array.isArray(spec) ? spec : (spec ?? '').split(',');
    for (const raw of entries) {
      const entry = raw.trim().toLowerCase().replace(/^\[|\]$/g, '');
      if (!entry) continue;
      const [net, prefix] = entry.split('/');
      const family = isIP(net);
      if (family) {
        const bits = prefix === undefined ? (family === 4 ? 32 : 128) : Number(prefix);
        this.blocks.addSubnet(net, bits, family === 4 ? 'ipv4' : 'ipv6');
        this.hasBlocks = true;
      } else {
        this.names.add(entry);
      }
    }
  }

  allowsHost(host: string): boolean {
    return this.names.has(host.toLowerCase().replace(/^\[|\]$/g, ''));
  }

  allowsAddress(address: string): boolean {
    if (!this.hasBlocks) return false;
    const family = isIP(address);
    if (family === 0) return false;
    const v4 = family === 6 ? embeddedIPv4(address) : null;
    if (v4) return this.blocks.check(v4, 'ipv4');
    return this.blocks.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }
}

declare module '../../engine/component.js' {
  interface EngineServices {
    /** Private addresses components may fetch (`LANGFLOW_ALLOWED_HOSTS`): a list, or a comma list. */
    allowedHosts?: string | string[];
    /** Largest outbound body, after decompression (`WEFT_MAX_RESPONSE_BYTES`). */
    maxResponseBytes?: number;
  }
}

/** Default for the largest body read, compressed or not (the host passes WEFT_MAX_RESPONSE_BYTES). */
export const DEFAULT_MAX_RESPONSE_BYTES = 10 * 1024 * 1024;

/** The body limit a component should use: the host's (`ctx.services.maxResponseBytes`), else the default. */
export function maxResponseBytesFrom(services: EngineServices): number {
  const fromHost = services.maxResponseBytes;
  return typeof fromHost === 'number' && fromHost > 0 ? fromHost : DEFAULT_MAX_RESPONSE_BYTES;
}

/** The allow list a component should use: the host's (`ctx.services.allowedHosts`); without one, no private address. */
export function allowListFrom(services: EngineServices): AllowList {
  return new AllowList(services.allowedHosts);
}

export function guardedLookup(host: string, allow: AllowList): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) return callback(error, '', 0);
      const list = addresses as LookupAddress[];
      for (const { address } of list) {
        if (isBlockedAddress(address) && !allow.allowsAddress(address) && !allow.allowsHost(host)) {
          return callback(new BlockedAddressError(host, address), '', 0);
        }
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, list);
      callback(null, list[0].address, list[0].family);
    });
  };
}

export interface SafeFetchOptions {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer | null;
  /** Milliseconds for the whole exchange, redirects included. */
  timeoutMs?: number;
  followRedirects?: boolean;
  maxRedirects?: number;
  signal?: AbortSignal;
  /** Private addresses allowed (default: none). */
  allow?: AllowList;
  /** Largest body read, in bytes, both as received and after decompression (default 10 MiB). */
  maxBytes?: number;
}

export interface SafeResponse {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  /** The URL of the final hop. */
  url: string;
  redirects: string[];
  body: Buffer;
  text(): string;
}

function checkLiteral(url: URL, allow: AllowList): void {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`Unsupported URL scheme ${url.protocol} in ${url.href}`);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) && isBlockedAddress(host) && !allow.allowsAddress(host) && !allow.allowsHost(host)) {
    throw new BlockedAddressError(url.hostname, host);
  }
}

function once(url: URL, options: SafeFetchOptions, allow: AllowList, signal: AbortSignal): Promise<Omit<SafeResponse, 'redirects' | 'text'>> {
  checkLiteral(url, allow);
  const requestOptions: RequestOptions = {
    method: options.method ?? 'GET',
    headers: options.headers,
    lookup: guardedLookup(url.hostname, allow),
    signal,
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const limit = options.maxBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  return new Promise((resolve, reject) => {
    const req = send(url, requestOptions, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > limit) {
          req.destroy(new Error(`Response from ${url.href} is larger than ${limit} bytes`));
          return;
        }
        chunks.push(chunk);
      });
      res.on('error', reject);
      res.on('end', () => {
        decode(Buffer.concat(chunks), res.headers['content-encoding'], limit, url).then(
          (body) => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers: res.headers, url: url.href, body }),
          reject,
        );
      });
    });
    req.on('error', reject);
    if (options.body !== undefined && options.body !== null) req.write(options.body);
    req.end();
  });
}

const DECODERS: Record<string, (body: Buffer, options: ZlibOptions) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

/**
 * The decoded body, off the event loop's thread, stopped at `limit` decoded bytes: a few kilobytes of
 * gzip can inflate to gigabytes (a decompression bomb).
 */
async function decode(body: Buffer, encoding: string | undefined, limit: number, url: URL): Promise<Buffer> {
  const decoder = encoding ? DECODERS[encoding.trim().toLowerCase()] : undefined;
  if (!decoder || body.length === 0) return body;
  try {
    return await decoder(body, { maxOutputLength: limit });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new Error(`Response from ${url.href} is larger than ${limit} bytes once decompressed`);
    }
    throw error;
  }
}

export async function safeFetch(input: string, options: SafeFetchOptions = {}): Promise<SafeResponse> {
  const allow = options.allow ?? new AllowList([]);
  const signals = [options.signal, options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined].filter((s): s is AbortSignal => !!s);
  const signal = signals.length > 0 ? AbortSignal.any(signals) : new AbortController().signal;
  const maxRedirects = options.maxRedirects ?? 10;
  const redirects: string[] = [];
  let url = new URL(input);
  let method = options.method ?? 'GET';
  let body = options.body;
  for (;;) {
    let response;
    try {
      response = await once(url, { ...options, method, body }, allow, signal);
    } catch (error) {
      if (signal.aborted && !options.signal?.aborted) throw new Error(`Request to ${url.href} timed out after ${options.timeoutMs} ms`);
      throw error;
    }
    const location = response.headers.location;
    if (options.followRedirects !== false && response.status >= 300 && response.status < 400 && location) {
      if (redirects.length >= maxRedirects) throw new Error(`Too many redirects from ${input}`);
      redirects.push(url.href);
      const previous = url;
      url = new URL(location, url);
      if (url.origin !== previous.origin && options.headers) {
        // Credentials are for the origin they were given to.
        options = { ...options, headers: Object.fromEntries(Object.entries(options.headers).filter(([k]) => !['authorization', 'cookie', 'proxy-authorization'].includes(k.toLowerCase()))) };
      }
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
        method = 'GET';
        body = null;
      }
      continue;
    }
    const final = { ...response, redirects };
    return { ...final, text: () => final.body.toString('utf8') };
  }
}
