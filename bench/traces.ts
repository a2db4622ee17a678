import { spawn, type ChildProcess } from 'node:child_process';
import { load, type LoadResult } from './load.js';
import { freePort, waitFor200 } from './processes.js';
import { startWeft, type WeftUnderTest } from './server.js';
import type { BenchRow } from './table.js';

/** An OTLP/HTTP collector stand-in in its own process: reads every export and answers 200. */
const SINK = `
const http = require('node:http');
let spans = 0;
http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    if (req.method === 'GET') { res.writeHead(200).end(String(spans)); return; }
    try { for (const rs of JSON.parse(Buffer.concat(chunks)).resourceSpans) for (const ss of rs.scopeSpans) spans += ss.spans.length; } catch {}
    res.writeHead(200, { 'content-type': 'application/json' }); res.end('{}');
  });
}).listen(Number(process.env.PORT), '127.0.0.1');
`;

const ROUNDS = 3;
const WARM_UP = 4000;
const MEASURED = 6000;
const CONCURRENCY = 32;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/**
 * What tracing costs `/run` (issue 15's goal: at most 5 %): the echo flow at concurrency 32 on three
 * servers started side by side — traces off (LANGFLOW_NATIVE_TRACING=false), on (the default: stored with
 * the run records), and on with OTLP export to a collector stand-in — measured in alternating rounds so
 * the machine's drift hits all three alike; the median round of each.
 */
export async function tracesBench(): Promise<BenchRow[]> {
  const sinkPort = await freePort();
  const sink: ChildProcess = spawn(process.execPath, ['-e', SINK], { env: { ...process.env, PORT: String(sinkPort) }, stdio: 'ignore' });
  const servers: { name: string; weft?: WeftUnderTest; env: Record<string, string>; rates: number[]; last?: LoadResult }[] = [
    { name: 'traces off', env: { LANGFLOW_NATIVE_TRACING: 'false' }, rates: [] },
    { name: 'traces on (stored)', env: {}, rates: [] },
    { name: 'traces on + OTLP export', env: { OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${sinkPort}` }, rates: [] },
  ];
  const body = JSON.stringify({ input_value: 'hello', output_type: 'chat', input_type: 'chat' });
  try {
    await waitFor200(`http://127.0.0.1:${sinkPort}/`, 5000);
    // All started before any is loaded: a start on a busy machine is slow, and each is bounded.
    for (const server of servers) server.weft = await startWeft(server.env);
    for (const server of servers) await load(server.weft!.runUrl, body, { 'x-api-key': server.weft!.key }, CONCURRENCY, WARM_UP);
    for (let round = 0; round < ROUNDS; round++) {
      for (const server of servers) {
        server.last = await load(server.weft!.runUrl, body, { 'x-api-key': server.weft!.key }, CONCURRENCY, MEASURED);
        server.rates.push(server.last.perSecond);
      }
    }
    // The exporter batches every second: give it one to deliver what the last round produced.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const exported = Number(await (await fetch(`http://127.0.0.1:${sinkPort}/`)).text());
    const baseline = median(servers[0].rates);
    return servers.map((server, index) => {
      const rate = median(server.rates);
      const cost = index === 0 ? '' : `; cost ${(((baseline - rate) / baseline) * 100).toFixed(1)} % against traces off (goal ≤ 5 %)`;
      const spans = index === 2 ? `; ${exported} spans received by the collector` : '';
      return {
        bench: 'traces',
        case: `/run ChatInput→Prompt→ChatOutput, concurrency ${CONCURRENCY}, ${server.name}`,
        value: rate,
        unit: 'req/s',
        note: `median of ${ROUNDS} alternating rounds (${server.rates.map((r) => Math.round(r)).join(', ')}); p50 ${server.last!.p50Ms.toFixed(2)} ms, errors ${server.last!.errors}${cost}${spans}`,
      };
    });
  } finally {
    for (const server of servers) server.weft?.stop();
    sink.kill('SIGTERM');
  }
}
