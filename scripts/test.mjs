#!/usr/bin/env node
// Builds the project, then runs every compiled *.test.js with Node's test runner.
// Usage: node scripts/test.mjs [path-substring ...]   (filters test files)
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sourceFingerprint, writeStamp } from './build-if-stale.mjs';
import { buildUi } from './build-ui.mjs';

const fingerprint = sourceFingerprint('.');
// tsc emits even when it reports type errors, so tests still run; the exit code reports both.
const build = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { stdio: 'inherit' });
if (build.status !== 0) console.error('Type errors above: the run will fail after the tests.');
// The CLI tests start `bin/weft.js`, which runs the bundle: build it from what tsc just emitted.
const bundled = spawnSync(process.execPath, ['scripts/bundle.mjs'], { stdio: 'inherit' });
// The UI's unit tests (ui/test) are bundled by esbuild: the UI's bundler-style imports are not tsc's.
const uiTests = spawnSync(process.execPath, ['scripts/bundle-ui-tests.mjs'], { stdio: 'inherit' });
// A clean build counts for `npm start` too (scripts/build-if-stale.mjs).
if (build.status === 0 && bundled.status === 0 && uiTests.status === 0) writeStamp('.', fingerprint);
// The browser tests (test/ui) serve dist/ui: built here only when ui/ changed since its last build.
const ui = await buildUi('.');

function find(dir) {
  let found = [];
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found = found.concat(find(path));
    else if (entry.endsWith('.test.js')) found.push(path);
  }
  return found;
}

const filters = process.argv.slice(2);
const files = find('dist')
  .filter((f) => !f.startsWith(join('dist', 'node_modules')))
  .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
  .sort();
if (files.length === 0) {
  console.error('No test files matched.');
  process.exit(1);
}
const result = spawnSync(
  process.execPath,
  ['--test', '--test-reporter=spec', `--test-timeout=${process.env.TEST_TIMEOUT_MS ?? 300000}`, `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`, ...files],
  { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test' } },
);
process.exit(build.status !== 0 || bundled.status !== 0 || uiTests.status !== 0 || ui !== 0 ? 1 : result.status ?? 1);
