import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The folder holding Weft's package.json, from the compiled CLI (dist/src/cli) or the bundle (dist/bundle). */
function packageRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

export async function serveCommand(options: { workers?: string } = {}): Promise<void> {
  const { loadSettings } = await import('../services/settings.js');
  const settings = loadSettings();
  if (options.workers !== undefined) settings.workers = workerCount(options.workers);
  const cluster = (await import('node:cluster')).default;
  if (settings.workers > 1 && cluster.isPrimary) {
    if (!settings.redisUrl) throw new Error(WORKERS_NEED_REDIS(settings.workers));
    const { servePrimary } = await import('./serve-cluster.js');
    return servePrimary(settings);
  }
  const { startServer } = await import('../server.js');
  // The browser app `npm run build` leaves in dist/ui; without it the server still serves the API.
  // A cluster worker finds the database prepared by the primary (serve-cluster.ts).
  await startServer(settings, { uiDir: join(packageRoot(), 'dist', 'ui'), bootstrap: !cluster.isWorker });
}

/**
 * Build jobs, their events and their status live in the process that started them unless Redis shares them: the
 * browser app starts a build with one request and reads its events with another, which the cluster may hand to
 * another worker ("job not found" on every other Run). Refused rather than half working.
 */
const WORKERS_NEED_REDIS = (workers: number) =>
  `${workers} workers need LANGFLOW_REDIS_URL: without it each worker keeps its own build jobs and events, so a build started on one worker could not be followed on another. Set LANGFLOW_REDIS_URL (docs/jobs.md) or run one worker.`;

function workerCount(text: string): number {
  const count = Number(text);
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`--workers must be a whole number of at least 1, not "${text}"`);
  return count;
}
