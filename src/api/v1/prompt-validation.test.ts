import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyPromptVariables, PromptTemplateError, validatePromptTemplate } from './prompt-validation.js';

/**
 * `/validate/prompt`'s template check as Langflow's `validate_prompt` makes it (Python's
 * `string.Formatter` for the names, `_check_input_variables` for their characters). Expected values
 * come from running that logic on the same templates.
 */
describe("validate/prompt: Langflow's validate_prompt", () => {
  const cases: [string, { vars?: string[]; error?: string }][] = [
    ['What is {product}?', { vars: ['product'] }],
    ['{a}, {b}, and {c} are variables.', { vars: ['a', 'b', 'c'] }],
    ['{color} {color}', { vars: ['color'] }],
    ['{var-name}', { vars: ['var-name'] }],
    ['{}', { vars: [] }],
    ['{a:>10}', { vars: ['a'] }],
    ['{a!r}', { vars: ['a'] }],
    ['{{literal}} {y}', { vars: ['y'] }],
    ['{{{z}}}', { vars: [] }],
    ['{é}', { vars: ['é'] }],
    ['{a b}', { error: 'Input variables contain invalid characters or formats. \nInvalid variables:  , a b.\nEmpty variables: a b. \nFixed variables: ab.' }],
    ['{a b} {c,d}', { error: 'Input variables contain invalid characters or formats. \nInvalid variables:  , a b, ,, c,d, c,d.\nEmpty variables:  , a b, ,, c,d, c,d. \nFixed variables: ab, cd.' }],
    ['{1abc}', { error: 'Input variables contain invalid characters or formats. \nInvalid variables: 1.\nEmpty variables: . \nFixed variables: abc.' }],
    ['{12}', { error: 'Input variables contain invalid characters or formats. \nInvalid variables: 1, 2.\nEmpty variables: . \nFixed variables: .' }],
    ['{ a }', { error: 'Input variables contain invalid characters or formats. \nInvalid variables:  ,  ,  a .\nEmpty variables:  a . \nFixed variables: a.' }],
    ['{a[0]}', { error: 'Input variables contain invalid characters or formats. \nInvalid variables: [, ], a[0].\nEmpty variables: a[0]. \nFixed variables: a0.' }],
    ['{a} and {b c} and {1x}', { error: 'Input variables contain invalid characters or formats. \nInvalid variables:  , b c, b c, 1.\nEmpty variables:  , b c, b c, 1. \nFixed variables: a, bc, x.' }],
    ['{template}', { error: 'Invalid input variables. None of the variables can be named template. ' }],
    ['{x} {code}', { error: 'Invalid input variables. None of the variables can be named x, code. ' }],
    ['{ {x} }', { error: "unexpected '{' in field name" }],
    ['a { b', { error: "expected '}' before end of string" }],
    ['a } b', { error: "Single '}' encountered in format string" }],
    ['tail {', { error: "Single '{' encountered in format string" }],
    ['{a!}', { error: "unmatched '{' in format spec" }],
    ['{a!rx}', { error: "expected ':' after conversion specifier" }],
  ];
  for (const [template, expected] of cases) {
    test(template, () => {
      if (expected.vars) return assert.deepEqual(validatePromptTemplate(template), expected.vars);
      assert.throws(() => validatePromptTemplate(template), (error: Error) => error instanceof PromptTemplateError && error.message === expected.error);
    });
  }

  test('mustache templates take {{name}} variables', () => {
    assert.deepEqual(validatePromptTemplate('Hi {{name}}, {single}', true), ['name']);
  });
});

describe("validate/prompt: the node's fields follow the variables", () => {
  test('a field per variable (keeping a value already there), stale fields and custom fields removed', () => {
    const node = {
      template: { template: { value: 'x' }, kept: { value: 'old value', info: 'custom' }, stale: { value: 's' }, input_variables: { value: [] } },
      custom_fields: { template: ['kept', 'stale'] },
      description: 'unchanged',
    };
    const result = applyPromptVariables(node, 'template', ['kept', 'fresh']);
    assert.deepEqual(result.custom_fields, { template: ['kept', 'fresh'] });
    assert.equal('stale' in result.template!, false);
    assert.deepEqual(result.template!.kept, {
      advanced: false, display_name: 'kept', dynamic: false, field_type: 'str', fileTypes: [], file_path: '', info: '', input_types: ['Message'],
      list: false, load_from_db: false, multiline: true, name: 'kept', placeholder: '', required: false, show: true, title_case: false, type: 'str', value: 'old value',
    });
    assert.equal((result.template!.fresh as { value: string }).value, '');
    assert.deepEqual(result.template!.input_variables, { value: ['kept', 'fresh'] });
    assert.deepEqual(result.template!.template, { value: 'x' }, 'the template field itself is left as sent');
    assert.equal(result.description, 'unchanged');
  });

  test('an empty name with a single custom field: that field holds the old variables', () => {
    const node = { template: { old: { value: '' } }, custom_fields: { template: ['old'] } };
    const result = applyPromptVariables(node, '', ['new']);
    assert.deepEqual(result.custom_fields, { template: [], '': ['new'] });
    assert.equal('old' in result.template!, false);
  });
});
