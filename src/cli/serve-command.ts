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

export async function serveCommand(): Promise<void> {
  const { startServer } = await import('../server.js');
  const { loadSettings } = await import('../services/settings.js');
  // The browser app `npm run build` leaves in dist/ui; without it the server still serves the API.
  await startServer(loadSettings(), { uiDir: join(packageRoot(), 'dist', 'ui') });
}
