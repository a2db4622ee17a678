import { createServer } from 'node:net';

/** A TCP port free on loopback right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers 200; resolves with the milliseconds that took. Bounded by `deadlineMs`. */
export async function waitFor200(url: string, deadlineMs: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < deadlineMs) {
    try {
      if ((await fetch(url)).status === 200) return performance.now() - start;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`${url} did not answer 200 within ${deadlineMs} ms`);
}
