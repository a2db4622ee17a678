import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { validatePythonCode } from './validate-code.js';

/**
 * `/api/v1/validate/code` reports what Langflow's `validate_code` reports: `str()` of the SyntaxError
 * `ast.parse` raises (and nothing else), else "No module named" for each unresolvable top-level
 * `import`. Expected messages are CPython 3.11's, taken from `ast.parse` on the same sources.
 */
describe('validate/code: syntax errors as ast.parse words them', () => {
  const cases: [string, string | null][] = [
    ['\nimport math\n\ndef square(x)\n    return x ** 2\n', "expected ':' (<unknown>, line 4)"],
    ['if x:\n    pass\nelse\n    pass\n', "expected ':' (<unknown>, line 3)"],
    ['try:\n    pass\nexcept ValueError\n    pass\n', "expected ':' (<unknown>, line 3)"],
    ['def f(a,\n      b)\n    pass\n', "expected ':' (<unknown>, line 2)"],
    ['def f(x) # c\n    pass\n', "expected ':' (<unknown>, line 1)"],
    ["x = '#'\nif x\n  pass\n", "expected ':' (<unknown>, line 2)"],
    ['async def f():\n    async for x in y\n        pass\n', "expected ':' (<unknown>, line 2)"],
    ['def f:\n    pass\n', "expected '(' (<unknown>, line 1)"],
    ['def (x):\n    pass\n', 'invalid syntax (<unknown>, line 1)'],
    ['def broken(:\n', 'invalid syntax (<unknown>, line 1)'],
    ['x = = 1\n', 'invalid syntax (<unknown>, line 1)'],
    ['f(a,,b)\n', 'invalid syntax (<unknown>, line 1)'],
    ['import a as\n', 'invalid syntax (<unknown>, line 1)'],
    ['x = foo(1,\n', "'(' was never closed (<unknown>, line 1)"],
    ['from x import (a,\n', "'(' was never closed (<unknown>, line 1)"],
    ['x = 1)\n', "unmatched ')' (<unknown>, line 1)"],
    ['x = (1,\n2]\n', "closing parenthesis ']' does not match opening parenthesis '(' on line 1 (<unknown>, line 2)"],
    ["x = 'abc\n", 'unterminated string literal (detected at line 1) (<unknown>, line 1)'],
    ['x = 1\ny = """abc\nq\n\n', 'unterminated triple-quoted string literal (detected at line 4) (<unknown>, line 2)'],
    ["x = 'abc\\\ndef\n", 'unterminated string literal (detected at line 2) (<unknown>, line 1)'],
    ['\n    print("Hello World")\n    ', 'unexpected indent (<unknown>, line 2)'],
    ['x = 1\n\n    y = 2\n', 'unexpected indent (<unknown>, line 3)'],
    ['if x:\n        a = 1\n    b = 2\n', 'unindent does not match any outer indentation level (<unknown>, line 3)'],
    ['def f():\n\tif x:\n\t\ta\n        b\n', 'inconsistent use of tabs and spaces in indentation (<unknown>, line 4)'],
    ['def f():\nreturn 1\n', 'expected an indented block after function definition on line 1 (<unknown>, line 2)'],
    ['def f():\n\n\n', 'expected an indented block after function definition on line 1 (<unknown>, line 3)'],
    ['if a:\n  x\nelse:\ny\n', "expected an indented block after 'else' statement on line 3 (<unknown>, line 4)"],
    ['match x:\ncase 1:\n    pass\n', "expected an indented block after 'match' statement on line 1 (<unknown>, line 2)"],
    ['def f(x)\n    pass\nx = (\n', "expected ':' (<unknown>, line 1)"],
    // Valid Python that a naive scan would get wrong.
    ['if lambda: 1:\n    pass\n', null],
    ['a, = x\n', null],
    ['x[:2]\ny = x[::2]\n', null],
    ['(a := 1)\n', null],
    ["y = f'{x:>10}'\n", null],
    ["f'{a=}'\n", null],
    ['with (open(a) as f, open(b) as g):\n    pass\n', null],
    ['try:\n    pass\nexcept* ValueError:\n    pass\n', null],
    ["x = r'\\''\n", null],
    ['def f():\n    """doc\n    more"""\n    return 1\n', null],
    ['x = 1 + \\\n        2\n', null],
    ['@dec\ndef función():\n    pass\n', null],
    ['', null],
  ];

  for (const [code, expected] of cases) {
    test(JSON.stringify(code).slice(0, 60), () => {
      const result = validatePythonCode(code);
      assert.deepEqual(result, { imports: { errors: [] }, function: { errors: expected ? [expected] : [] } });
    });
  }
});

describe('validate/code: imports as Langflow checks them', () => {
  test('only top-level import statements are resolved; from-imports and nested imports are not', () => {
    const code = 'import os; import nomod\nimport json, missing.sub as m\nfrom nowhere import thing\ndef f():\n    import inner_missing\n';
    assert.deepEqual(validatePythonCode(code), { imports: { errors: ["No module named 'nomod'", "No module named 'missing'"] }, function: { errors: [] } });
  });

  test('a syntax error anywhere is the only error reported, imports included', () => {
    assert.deepEqual(validatePythonCode('import nomod\ndef f(x)\n    return x\n'), { imports: { errors: [] }, function: { errors: ["expected ':' (<unknown>, line 2)"] } });
  });
});
