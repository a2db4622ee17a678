import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startAttackTarget, type AttackTarget } from './api-surface.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Pen-test finding (HIGH): a 314-byte body to `/api/v1/validate/code` held the event loop for 14 s
 * (backtracking regular expressions, cost ≈ n⁴). Each adversarial shape, at 1 MB, must be answered
 * within a bound a quadratic scan of 1 MB cannot meet, and `/health` must answer meanwhile.
 */
describe('ReDoS through /api/v1/validate/code', () => {
  let target: AttackTarget;
  before(async () => {
    target = await startAttackTarget();
  });
  after(async () => target?.server.stop());

  const MB = 1024 * 1024;
  const fill = (unit: string, prefix = '', suffix = '') => prefix + unit.repeat(Math.floor((MB - prefix.length - suffix.length) / unit.length)) + suffix;
  const shapes: Record<string, string> = {
    'from … import with a long name list and no closing': fill(' a,', 'from x import ', ' !'),
    'import with many aliases': fill(', a as b', 'import a', ' !'),
    'from with many spaces': fill(' ', 'from a', 'x'),
    'def with nested parentheses': fill('(', 'def f', ''),
    'def with a long annotation': fill(' -> a', 'def f()', ''),
    'many short import lines': fill('import a as\n'),
  };

  for (const [name, code] of Object.entries(shapes)) {
    test(name, async () => {
      const started = Date.now();
      const response = await target.server.call('/api/v1/validate/code', { method: 'POST', headers: target.headers, json: { code }, signal: AbortSignal.timeout(30_000) });
      const elapsed = Date.now() - started;
      assert.equal(response.status, 200, response.text.slice(0, 200));
      assert.ok(elapsed < 3000, `1 MB took ${elapsed} ms`);
    });
  }

  test('unresolvable modules of import statements are import errors, as Langflow reports them; nothing is imported', async () => {
    // Langflow imports the modules of top-level `import` statements only: `from` imports are not resolved.
    const code = 'import os, not_a_module\nfrom langchain_core.messages import AIMessage\nfrom nowhere.sub import thing\nfrom . import sibling\n\ndef ok(x: int) -> int:\n    return x\n';
    const response = await target.server.call('/api/v1/validate/code', { method: 'POST', headers: target.headers, json: { code } });
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.body as Json, { imports: { errors: ["No module named 'not_a_module'"] }, function: { errors: [] } });
    await target.assertIntact();
  });
});
