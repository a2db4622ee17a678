import { customBench } from './custom.js';
import { engineBench } from './engine.js';
import { jobsBench } from './jobs.js';
import { memoryBench } from './memory.js';
import { modelsBench } from './models.js';
import { playgroundBench } from './playground.js';
import { protocolsBench } from './protocols.js';
import { serverBench } from './server.js';
import { tracesBench } from './traces.js';
import { printTable, type BenchRow } from './table.js';
import { uiBench } from './ui.js';
import { workersBench } from './workers.js';
import { vectorsBench } from './vectors.js';

/** `npm run bench`: every benchmark, one table. Pass names to run a subset (e.g. `engine`). */
const suites: Record<string, () => Promise<BenchRow[]>> = {
  engine: engineBench,
  jobs: jobsBench,
  server: serverBench,
  protocols: protocolsBench,
  models: modelsBench,
  ui: uiBench,
  workers: workersBench,
  memory: memoryBench,
  vectors: vectorsBench,
  traces: tracesBench,
  custom: customBench,
  playground: playgroundBench,
};

const wanted = process.argv.slice(2);
const rows: BenchRow[] = [];
for (const [name, suite] of Object.entries(suites)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  rows.push(...(await suite()));
}
printTable(rows);
process.exit(0);
