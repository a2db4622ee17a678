#!/usr/bin/env node
// Builds the browser app (ui/, Vite) into dist/ui when its sources changed since the last UI build:
// the UI has its own fingerprint (dist/.ui-stamp), so server-only changes never pay for a Vite build.
// Usage: node scripts/build-ui.mjs [--force]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fingerprintOf } from './fingerprint.mjs';

/** What the UI build reads: its folder and the dependency versions. */
export const UI_INPUTS = { dirs: ['ui'], files: ['package-lock.json'] };
const UI_STAMP = join('dist', '.ui-stamp');

export const uiFingerprint = (root) => fingerprintOf(root, UI_INPUTS);

export function writeUiStamp(root, fingerprint) {
  writeFileSync(join(root, UI_STAMP), `${fingerprint}\n`);
}

export function isUiCurrent(root, fingerprint = uiFingerprint(root)) {
  const stamp = join(root, UI_STAMP);
  return existsSync(stamp) && existsSync(join(root, 'dist', 'ui', 'index.html')) && readFileSync(stamp, 'utf8').trim() === fingerprint;
}

/** Builds dist/ui unless it is current (or `force`); returns the exit status. */
export async function buildUi(root, { force = false } = {}) {
  const fingerprint = uiFingerprint(root);
  if (!force && isUiCurrent(root, fingerprint)) return 0;
  const { build } = await import('vite');
  try {
    await build({ root: join(root, 'ui'), configFile: join(root, 'ui', 'vite.config.ts'), logLevel: 'warn' });
  } catch (error) {
    console.error(`UI build failed: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  writeUiStamp(root, fingerprint);
  return 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  process.exit(await buildUi(root, { force: process.argv.includes('--force') }));
}
