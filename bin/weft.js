#!/usr/bin/env node
// Entry point: builds once if the compiled output is missing, then hands over to the CLI.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'src', 'cli', 'weft.js');
if (!existsSync(cli)) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (!existsSync(cli)) process.exit(built.status ?? 1);
}
const { main } = await import(pathToFileURL(cli).href);
await main(process.argv);
