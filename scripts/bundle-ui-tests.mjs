#!/usr/bin/env node
// Bundles the UI's unit tests (ui/test/**/*.test.ts) into dist/ui-test/ for Node's test runner.
// The UI is compiled by Vite with bundler-style imports (no `.js` suffixes) that Node cannot load and
// the root tsc (NodeNext) does not compile, so esbuild turns each test and the UI modules it imports
// into one ES module; packages stay external and load from node_modules. Types are checked by
// `tsc -p ui/test` (npm run typecheck).
import { build } from 'esbuild';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const testsDir = join(root, 'ui', 'test');
const outdir = join(root, 'dist', 'ui-test');

function find(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return find(path);
    return /\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

const entryPoints = find(testsDir);
rmSync(outdir, { recursive: true, force: true });
if (entryPoints.length > 0) {
  await build({
    entryPoints,
    outdir,
    outbase: testsDir,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    jsx: 'automatic',
    logLevel: 'warning',
    outExtension: { '.js': '.js' },
  });
  console.log(`UI unit tests bundled: ${entryPoints.map((p) => relative(root, p)).join(', ')}`);
}
