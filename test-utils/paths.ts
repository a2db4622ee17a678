import { dirname, join, resolve } from 'node:path';
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
/**
 * Langflow's starter projects: `LANGFLOW_STARTERS_DIR` (relative to the repository root) when set, else
 * `../shared/langflow-starter-projects` beside the repository. Only tests read this variable, so it lives
 * here rather than in the server's settings.
 */
export const starterProjectsDir = resolve(repoRoot, process.env.LANGFLOW_STARTERS_DIR || join('..', 'shared', 'langflow-starter-projects'));

/**
 * The `skip` option for the tests that need the starter projects: false when they are there, else the one
 * line the test runner prints for the skipped suite (CI always has them).
 */
export const startersSkip: { skip: string | false } = {
  skip: existsSync(starterProjectsDir)
    ? false
    : `Langflow's starter projects are not at ${starterProjectsDir}: set LANGFLOW_STARTERS_DIR to the folder of Langflow's starter project JSON files to run these tests`,
};
