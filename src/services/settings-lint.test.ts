import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../../test-utils/paths.js';

/**
 * Settings are read in one place: `readSettings` in src/services/settings.ts. Everything else gets
 * them passed (the engine never sees the environment at all), so no module can read a variable at
 * load time or behind the settings' back. eslint enforces it; these tests keep the rule honest.
 */

const OWNER = 'src/services/settings.ts';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

test('no source file but src/services/settings.ts mentions process.env in code', () => {
  const offenders = sources(join(repoRoot, 'src'))
    .map((path) => relative(repoRoot, path).split('\\').join('/'))
    .filter((path) => path !== OWNER)
    .filter((path) =>
      readFileSync(join(repoRoot, path), 'utf8')
        .split('\n')
        // Comments may name it (to say where the settings come from).
        .some((line) => /\bprocess\.env\b/.test(line) && !/^\s*(\/\/|\*|\/\*)/.test(line)),
    );
  assert.deepEqual(offenders, []);
});

test('the eslint rule refuses every way of reading the environment outside the settings module', async () => {
  const eslint = new ESLint({ cwd: repoRoot });
  const problems = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath: join(repoRoot, filePath) });
    return result.messages.filter((m) => m.ruleId === 'no-restricted-properties' || m.ruleId === 'no-restricted-syntax').map((m) => m.ruleId);
  };
  const reads = [
    'export const key = process.env.OPENAI_API_KEY;\n',
    "export const key = process.env['OPENAI_API_KEY'];\n",
    'const { env } = process;\nexport const key = env.OPENAI_API_KEY;\n',
    'export const key = globalThis.process.env.OPENAI_API_KEY;\n',
    "import { env } from 'node:process';\nexport const key = env.OPENAI_API_KEY;\n",
    "import * as proc from 'process';\nexport const key = proc.env.OPENAI_API_KEY;\n",
  ];
  for (const path of ['src/engine/params.ts', 'src/components/shared/safe-fetch.ts', 'src/services/jobs/config.ts', 'src/api/v2/workflows.ts', 'src/cli/run-command.ts']) {
    for (const code of reads) assert.ok((await problems(code, path)).length > 0, `${path}: ${code}`);
  }
  assert.deepEqual(await problems(reads[0], OWNER), [], 'the settings module reads it');
  assert.deepEqual(await problems(reads[0], 'src/api/compat.test.ts'), [], 'tests set up child processes');
});
