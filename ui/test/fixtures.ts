// Shared inputs of the UI unit tests: Langflow's starter projects and Weft's own component catalog.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { starterProjectsDir, startersSkip } from '../../test-utils/paths';
import type { SavedFlowData, SavedNode } from '../src/editor/flow-types';

export { startersSkip };

export interface Starter {
  file: string;
  data: SavedFlowData;
}

/** Every starter project (name and its `data`), or none when they are not there. */
export function starters(): Starter[] {
  if (startersSkip.skip) return [];
  return readdirSync(starterProjectsDir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((file) => ({ file, data: (JSON.parse(readFileSync(join(starterProjectsDir, file), 'utf8')) as { data: SavedFlowData }).data }));
}

export function starter(name: string): SavedFlowData {
  return (JSON.parse(readFileSync(join(starterProjectsDir, `${name}.json`), 'utf8')) as { data: SavedFlowData }).data;
}

export function nodeOfType(data: SavedFlowData, type: string): SavedNode {
  const node = data.nodes.find((n) => n.data.type === type);
  if (!node) throw new Error(`no ${type} node`);
  return node;
}
