import { load } from './load.js';
import { rssMb, startWeft, WARM_UP_REQUESTS } from './server.js';
import type { BenchRow } from './table.js';

/** Issue 16's memory goals: no growth with run count, and a large body costs a few times its size. */
const GROWTH_GOAL = 1.5;
const BODY_MB = 5;
const BODY_GOAL_TIMES = 4;

/**
 * Memory of one `weft serve` over a long run of the exported-shape echo flow (records on): RSS after 10,000 and after
 * 100,000 runs at concurrency 32, then what three `/run` requests with a 5 MB `input_value` add.
 */
export async function memoryBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const weft = await startWeft();
  try {
    const body = JSON.stringify({ input_value: 'hello', output_type: 'chat', input_type: 'chat' });
    const headers = { 'x-api-key': weft.key };
    await load(weft.runUrl, body, headers, 32, WARM_UP_REQUESTS);
    await load(weft.runUrl, body, headers, 32, 10_000 - WARM_UP_REQUESTS);
    const after10k = rssMb(weft.child);
    for (let done = 10_000; done < 100_000; done += 10_000) await load(weft.runUrl, body, headers, 32, 10_000);
    const after100k = rssMb(weft.child);
    const growth = after100k / after10k;
    rows.push({ bench: 'memory', case: 'RSS after 10,000 runs', value: after10k, unit: 'MB' });
    rows.push({ bench: 'memory', case: 'RSS after 100,000 runs', value: after100k, unit: 'MB', note: `${growth.toFixed(2)}× the 10,000-run figure; goal ≤ ${GROWTH_GOAL}×: ${growth <= GROWTH_GOAL ? 'met' : 'not met'}` });

    const big = JSON.stringify({ input_value: 'x'.repeat(BODY_MB * 1024 * 1024), output_type: 'chat', input_type: 'chat' });
    const before = rssMb(weft.child);
    let peak = before;
    for (let i = 0; i < 3; i++) {
      const response = await fetch(weft.runUrl, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: big });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`5 MB /run answered ${response.status}`);
      peak = Math.max(peak, rssMb(weft.child));
    }
    const added = peak - before;
    rows.push({
      bench: 'memory',
      case: `RSS added by three /run requests with a ${BODY_MB} MB input_value`,
      value: added,
      unit: 'MB',
      note: `${(added / BODY_MB).toFixed(1)}× the body; goal ≤ ${BODY_GOAL_TIMES}×: ${added <= BODY_GOAL_TIMES * BODY_MB ? 'met' : 'not met'} (RSS sampled after each response)`,
    });
  } finally {
    weft.stop();
  }
  return rows;
}
