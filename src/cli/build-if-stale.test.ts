import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, test } from 'node:test';
import { repoRoot } from '../../test-utils/paths.js';

/** scripts/build-if-stale.mjs, which `npm start` runs so that a second start does not rebuild. */
interface StaleCheck {
  sourceFingerprint(root: string): string;
  isBuildCurrent(root: string, fingerprint?: string): boolean;
  writeStamp(root: string, fingerprint: string): void;
}
const check = (await import(pathToFileURL(join(repoRoot, 'scripts', 'build-if-stale.mjs')).href)) as StaleCheck;

const root = mkdtempSync(join(tmpdir(), 'weft-stale-'));
after(() => rmSync(root, { recursive: true, force: true }));

function write(path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

test('a build is current until a source is touched, added or removed, or an output goes missing', () => {
  write('src/a.ts', 'export const a = 1;\n');
  write('src/api/examples/flow.json', '{}');
  write('tsconfig.json', '{}');
  write('dist/src/cli/weft.js', '// built');
  write('dist/bundle/weft.mjs', '// bundled');
  assert.equal(check.isBuildCurrent(root), false, 'never built');

  check.writeStamp(root, check.sourceFingerprint(root));
  assert.equal(check.isBuildCurrent(root), true);
  // Outputs do not count as sources: writing them again changes nothing.
  write('dist/src/cli/weft.js', '// built again');
  assert.equal(check.isBuildCurrent(root), true);

  const later = new Date(Date.now() + 5000);
  utimesSync(join(root, 'src/a.ts'), later, later);
  assert.equal(check.isBuildCurrent(root), false, 'a touched source');
  check.writeStamp(root, check.sourceFingerprint(root));

  write('src/b.ts', 'export const b = 2;\n');
  assert.equal(check.isBuildCurrent(root), false, 'a new source');
  check.writeStamp(root, check.sourceFingerprint(root));

  rmSync(join(root, 'src/b.ts'));
  assert.equal(check.isBuildCurrent(root), false, 'a removed source');
  check.writeStamp(root, check.sourceFingerprint(root));

  write('src/api/examples/flow.json', '{"changed": true}');
  assert.equal(check.isBuildCurrent(root), false, 'an imported JSON file');
  check.writeStamp(root, check.sourceFingerprint(root));
  assert.equal(check.isBuildCurrent(root), true);

  rmSync(join(root, 'dist/bundle/weft.mjs'));
  assert.equal(check.isBuildCurrent(root), false, 'the bundle is gone');
});

/** scripts/build-ui.mjs: the browser app has its own stamp, so server-only changes skip the Vite build. */
interface UiCheck {
  uiFingerprint(root: string): string;
  isUiCurrent(root: string, fingerprint?: string): boolean;
  writeUiStamp(root: string, fingerprint: string): void;
}
const ui = (await import(pathToFileURL(join(repoRoot, 'scripts', 'build-ui.mjs')).href)) as UiCheck;

test('the app build is current until a file under ui/ changes or dist/ui/index.html goes missing; server sources do not count', () => {
  write('ui/src/main.tsx', 'export {};\n');
  write('package-lock.json', '{}');
  write('dist/ui/index.html', '<!doctype html>');
  assert.equal(ui.isUiCurrent(root), false, 'never built');
  ui.writeUiStamp(root, ui.uiFingerprint(root));
  assert.equal(ui.isUiCurrent(root), true);

  write('src/server-only.ts', 'export const s = 1;\n');
  assert.equal(ui.isUiCurrent(root), true, 'a server source');

  write('ui/src/app/page.tsx', 'export {};\n');
  assert.equal(ui.isUiCurrent(root), false, 'a new app source');
  ui.writeUiStamp(root, ui.uiFingerprint(root));

  rmSync(join(root, 'dist/ui/index.html'));
  assert.equal(ui.isUiCurrent(root), false, 'the build is gone');
});

test('run as `npm start` runs it, with both builds current, it exits 0 at once (it once hung on an import cycle and exited 13)', async () => {
  const { spawnSync } = await import('node:child_process');
  const { cpSync } = await import('node:fs');
  const project = mkdtempSync(join(tmpdir(), 'weft-start-'));
  try {
    cpSync(join(repoRoot, 'scripts'), join(project, 'scripts'), { recursive: true });
    const put = (path: string, text: string) => {
      mkdirSync(join(project, path, '..'), { recursive: true });
      writeFileSync(join(project, path), text);
    };
    put('src/a.ts', 'export const a = 1;\n');
    put('ui/index.html', '<!doctype html>');
    put('dist/src/cli/weft.js', '// built');
    put('dist/bundle/weft.mjs', '// bundled');
    put('dist/ui/index.html', '<!doctype html>');
    const scripts = (await import(pathToFileURL(join(project, 'scripts', 'build-if-stale.mjs')).href)) as StaleCheck;
    const ui = (await import(pathToFileURL(join(project, 'scripts', 'build-ui.mjs')).href)) as { uiFingerprint(root: string): string; writeUiStamp(root: string, fingerprint: string): void };
    scripts.writeStamp(project, scripts.sourceFingerprint(project));
    ui.writeUiStamp(project, ui.uiFingerprint(project));
    const started = Date.now();
    const result = spawnSync(process.execPath, [join(project, 'scripts', 'build-if-stale.mjs')], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(result.status, 0, result.stderr);
    assert.ok(Date.now() - started < 10_000);
  } finally {
    rmSync(project, { recursive: true, force: true });
  }
});
