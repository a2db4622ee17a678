import { Agent, request } from 'undici';

export interface LoadResult {
  requests: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

/** Sends `total` POSTs with `concurrency` in flight over keep-alive connections; bounded in count. */
export async function load(url: string, body: string, headers: Record<string, string>, concurrency: number, total: number): Promise<LoadResult> {
  const dispatcher = new Agent({ connections: concurrency, pipelining: 1 });
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const start = performance.now();
  async function worker(): Promise<void> {
    while (sent < total) {
      sent++;
      const t0 = performance.now();
      try {
        const response = await request(url, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers }, dispatcher });
        await response.body.text();
        if (response.statusCode !== 200) errors++;
      } catch {
        errors++;
      }
      latencies.push(performance.now() - t0);
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - start) / 1000;
  await dispatcher.close();
  latencies.sort((a, b) => a - b);
  return {
    requests: total,
    seconds,
    perSecond: total / seconds,
    p50Ms: latencies[Math.floor(latencies.length * 0.5)],
    p99Ms: latencies[Math.floor(latencies.length * 0.99)],
    errors,
  };
}
