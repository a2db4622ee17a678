import { availableParallelism } from 'node:os';
import { load } from './load.js';
import { startWeft, WARM_UP_REQUESTS } from './server.js';
import type { BenchRow } from './table.js';

/**
 * `LANGFLOW_WORKERS`: `/run` of the echo flow at concurrency 32 with 1 and then 2 server processes on
 * one port, measured one after the other in this run. The load generator is this process; on a machine
 * with two cores it takes most of one, so a second worker can only win what the first left idle.
 */
export async function workersBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const body = JSON.stringify({ input_value: 'hello', output_type: 'chat', input_type: 'chat' });
  let single = 0;
  for (const workers of [1, 2]) {
    // Several workers need Redis for build jobs and events (serve-command.ts); both runs use it, so only the count differs.
    const weft = await startWeft({ LANGFLOW_WORKERS: String(workers), LANGFLOW_REDIS_URL: process.env.WEFT_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379', LANGFLOW_REDIS_PREFIX: `weft-bench-workers-${process.pid}-${workers}` });
    try {
      await load(weft.runUrl, body, { 'x-api-key': weft.key }, 32, WARM_UP_REQUESTS);
      const result = await load(weft.runUrl, body, { 'x-api-key': weft.key }, 32, 10000);
      if (workers === 1) single = result.perSecond;
      rows.push({
        bench: 'workers',
        case: `/run, concurrency 32, LANGFLOW_WORKERS=${workers}`,
        value: result.perSecond,
        unit: 'req/s',
        note: `p50 ${result.p50Ms.toFixed(2)} ms, p99 ${result.p99Ms.toFixed(2)} ms, errors ${result.errors}; ${(result.perSecond / single).toFixed(2)}× one worker; ${availableParallelism()} cores, load generator in the bench process`,
      });
    } finally {
      weft.stop();
    }
  }
  return rows;
}
