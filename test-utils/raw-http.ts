import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';

/** A response read whole: status, headers, text and the text parsed as JSON when it is JSON. */
export interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  body: unknown;
  /** Milliseconds from sending the request to the end of the response. */
  elapsedMs: number;
}

export interface RawRequestOptions {
  method?: string;
  headers?: Record<string, string | number>;
  /** Sent as is; an async iterable is streamed chunk by chunk (chunked unless content-length is set). */
  body?: string | Buffer | AsyncIterable<Buffer | string>;
  /** Give up (reject, and close the connection) when the whole answer has not arrived by then. */
  timeoutMs?: number;
  /** Resolve at the headers of a `text/event-stream` answer (such streams never end), with an empty text. */
  stopAtEventStream?: boolean;
}

/**
 * One HTTP/1.1 request with full control of the headers, `Host` included (fetch forbids or rewrites
 * `Host`, `Origin` and `Sec-Fetch-*`, which is what the attacks of a browser or a rebinding DNS send),
 * and of the path: it goes out byte for byte (fetch and `URL` resolve dot segments, turn `\` into `/`
 * and re-encode), so `path` must start with `/`.
 */
export function rawRequest(baseUrl: string, path: string, options: RawRequestOptions = {}): Promise<RawResponse> {
  const url = new URL(baseUrl);
  const started = performance.now();
  const { body } = options;
  const headers = { ...options.headers };
  // Node frames a DELETE or GET body only when told its length.
  const hasLength = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
  if (!hasLength && (typeof body === 'string' || Buffer.isBuffer(body))) headers['content-length'] = Buffer.byteLength(body);
  return new Promise((resolve, reject) => {
    let answered = false;
    const timer = options.timeoutMs === undefined ? null : setTimeout(() => {
      reject(new Error(`no complete answer within ${options.timeoutMs} ms`));
      req.destroy();
    }, options.timeoutMs);
    const req = httpRequest(
      { hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port, path, method: options.method ?? 'GET', headers, agent: false },
      (res) => {
        answered = true;
        if (options.stopAtEventStream && String(res.headers['content-type']).startsWith('text/event-stream')) {
          if (timer) clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: '', body: '', elapsedMs: performance.now() - started });
          req.destroy();
          return;
        }
        const chunks: Buffer[] = [];
        const finish = (): void => {
          if (timer) clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // Not JSON: keep the text.
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body, elapsedMs: performance.now() - started });
        };
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', finish);
        // A server that refuses a body answers and closes while the body is still being sent: the
        // answer is what counts, even if the socket then fails (EPIPE/ECONNRESET on our writes).
        res.on('error', finish);
        res.on('close', finish);
      },
    );
    req.on('error', (error) => {
      // The answer may already be in (and its end still to be read): the response's own events settle it.
      // Otherwise give the parser a moment for an answer that arrived with the reset, then fail.
      if (!answered) setTimeout(() => answered || reject(error), 200);
    });
    if (body === undefined || typeof body === 'string' || Buffer.isBuffer(body)) {
      req.end(body);
      return;
    }
    void (async () => {
      try {
        for await (const chunk of body) {
          if (req.destroyed) return;
          if (!req.write(chunk)) await new Promise((drained) => { req.once('drain', drained); req.once('close', drained); });
        }
        req.end();
      } catch (error) {
        req.destroy(error as Error);
      }
    })();
  });
}
