#!/usr/bin/env node
// Builds (tsc, then the esbuild bundle) only when the sources changed since the last build, so a second
// `npm start` serves in about a second instead of rebuilding for a minute. "Changed" means any file of
// the build's inputs was added, removed, resized or touched: their list, sizes and mtimes are hashed
// and compared with the fingerprint the last successful build left in dist/.source-stamp.
// Usage: node scripts/build-if-stale.mjs [--force]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprintOf } from './fingerprint.mjs';

export { fingerprintOf };

/** Folders whose every file feeds tsc (tsconfig's include, plus JSON the sources import). */
const SOURCE_DIRS = ['src', 'bench', 'test-utils', 'test'];
/** Single files that change what the build produces. */
const SOURCE_FILES = ['tsconfig.json', 'package.json', 'package-lock.json', 'scripts/bundle.mjs'];
/** What a build must have produced for the stamp to count. */
const OUTPUTS = ['dist/src/cli/weft.js', 'dist/bundle/weft.mjs'];
export const STAMP = join('dist', '.source-stamp');

/** The fingerprint of the server build's inputs (the UI has its own: scripts/build-ui.mjs). */
export function sourceFingerprint(root) {
  return fingerprintOf(root, { dirs: SOURCE_DIRS, files: SOURCE_FILES });
}

/** True when the last build's stamp matches the sources and its outputs are all there. */
export function isBuildCurrent(root, fingerprint = sourceFingerprint(root)) {
  const stamp = join(root, STAMP);
  if (!existsSync(stamp) || !OUTPUTS.every((output) => existsSync(join(root, output)))) return false;
  return readFileSync(stamp, 'utf8').trim() === fingerprint;
}

/** Records that the sources with this fingerprint (taken before the build started) are built. */
export function writeStamp(root, fingerprint) {
  writeFileSync(join(root, STAMP), `${fingerprint}\n`);
}

function build(root) {
  const tsc = spawnSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });
  if (tsc.status !== 0) return tsc.status ?? 1;
  return spawnSync(process.execPath, [join(root, 'scripts', 'bundle.mjs')], { stdio: 'inherit' }).status ?? 1;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  const force = process.argv.includes('--force');
  const fingerprint = sourceFingerprint(root);
  if (force || !isBuildCurrent(root, fingerprint)) {
    const status = build(root);
    if (status !== 0) process.exit(status);
    writeStamp(root, fingerprint);
  }
  // The browser app (dist/ui) keeps its own stamp: rebuilt only when ui/ changed.
  const { buildUi } = await import('./build-ui.mjs');
  process.exit(await buildUi(root, { force }));
}
