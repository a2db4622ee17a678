import { dirname, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(resolve(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`No package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

/** The repository root (works from the sources and from the compiled `dist/` copy). */
export const repoRoot = findRoot(dirname(fileURLToPath(import.meta.url)));
/** Langflow's starter projects, in `shared/` beside the repository. */
export const starterProjectsDir = resolve(repoRoot, '..', 'shared', 'langflow-starter-projects');
