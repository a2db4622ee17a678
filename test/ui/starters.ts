// Langflow's starter projects, read for the browser tests (never copied into the repository).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { starterProjectsDir, startersSkip } from '../../test-utils/paths.js';

export function starterFiles(): string[] {
  if (startersSkip.skip) return [];
  return readdirSync(starterProjectsDir).filter((f) => f.endsWith('.json')).sort();
}

export function starterJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(starterProjectsDir, file), 'utf8')) as Record<string, unknown>;
}
