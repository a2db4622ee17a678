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
    const { servePrimary } = await import('./serve-cluster.js');
    return servePrimary(settings);
  }
  const { startServer } = await import('../server.js');
  // The browser app `npm run build` leaves in dist/ui; without it the server still serves the API.
  // A cluster worker finds the database prepared by the primary (serve-cluster.ts).
  await startServer(settings, { uiDir: join(packageRoot(), 'dist', 'ui'), bootstrap: !cluster.isWorker });
}

function workerCount(text: string): number {
  const count = Number(text);
  if (!Number.isSafeInteger(count) || count < 1) throw new Error(`--workers must be a whole number of at least 1, not "${text}"`);
  return count;
}
