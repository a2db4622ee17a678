#!/usr/bin/env node
// Entry point: builds once if the compiled output is missing, then hands over to the CLI, from the
// bundle (dist/bundle, a much faster cold start) when it is at least as new as the compiled sources.
import { existsSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'dist', 'src', 'cli', 'weft.js');
const bundle = join(root, 'dist', 'bundle', 'weft.mjs');
if (!existsSync(cli)) {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (!existsSync(cli)) process.exit(built.status ?? 1);
  // Without the bundle the CLI still works from the compiled modules, only slower to start.
  spawnSync(process.execPath, [join(root, 'scripts', 'bundle.mjs')], { stdio: 'inherit' });
}
const bundleIsCurrent = existsSync(bundle) && statSync(bundle).mtimeMs >= statSync(cli).mtimeMs;
if (bundleIsCurrent) {
  // The bundle runs the CLI with process.argv as soon as it is loaded.
  await import(pathToFileURL(bundle).href);
} else {
  const { main } = await import(pathToFileURL(cli).href);
  await main(process.argv);
}
