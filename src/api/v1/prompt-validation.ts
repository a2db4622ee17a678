import { promptVariables } from '../../components/models_and_agents/prompt-template.js';

/**
 * `/api/v1/validate/prompt` as Langflow's `process_prompt_template` answers it: the template's
 * variables as Python's `string.Formatter().parse` finds them (mustache ones left out), checked as
 * Langflow's `_check_input_variables` checks them, and the Prompt node's template and custom fields
 * updated with one field per variable. Every refusal is a `PromptTemplateError` whose message is
 * Langflow's (its route answers them with 500 and the message as `detail`).
 */
export class PromptTemplateError extends Error {}

const INVALID_CHARACTERS = new Set([' ', ',', '.', ':', ';', '!', '?', '/', '\\', '(', ')', '[', ']']);
const INVALID_NAMES = new Set(['code', 'input_variables', 'output_parser', 'partial_variables', 'template', 'template_format', 'validate_template']);
const MUSTACHE_VAR = /\{\{\s*([A-Za-z_][\w.]*)\s*\}\}/g;

/** Field names of `template` in the order `string.Formatter().parse` yields them (each once; `{}` skipped). */
export function formatterFieldNames(template: string): string[] {
  const names: string[] = [];
  let i = 0;
  const n = template.length;
  while (i < n) {
    const ch = template[i++];
    if (ch !== '{' && ch !== '}') continue;
    if (ch === '}') {
      if (template[i] !== '}') throw new PromptTemplateError("Single '}' encountered in format string");
      i++;
      continue;
    }
    if (i >= n) throw new PromptTemplateError("Single '{' encountered in format string");
    if (template[i] === '{') {
      i++;
      continue;
    }
    // The field name runs to `}`, `:` or `!` (brackets may hold any of them); a spec or conversion may follow.
    const start = i;
    let end = -1;
    let stop = '';
    while (i < n) {
      const c = template[i++];
      if (c === '{') throw new PromptTemplateError("unexpected '{' in field name");
      if (c === '[') {
        while (i < n && template[i] !== ']') i++;
        continue;
      }
      if (c === '}' || c === ':' || c === '!') {
        stop = c;
        end = i - 1;
        break;
      }
    }
    if (stop === '') throw new PromptTemplateError("expected '}' before end of string");
    if (stop !== '}') i = skipSpecAndConversion(template, i, stop);
    const name = template.slice(start, end);
    if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/** After `!` or `:` in a field: the conversion and format spec, up to the field's closing brace. */
function skipSpecAndConversion(template: string, i: number, stop: string): number {
  const n = template.length;
  if (stop === '!') {
    if (i >= n) throw new PromptTemplateError('end of string while looking for conversion specifier');
    i++;
    if (i < n) {
      const c = template[i++];
      if (c === '}') return i;
      if (c !== ':') throw new PromptTemplateError("expected ':' after conversion specifier");
    }
  }
  let depth = 1;
  while (i < n) {
    const c = template[i++];
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  throw new PromptTemplateError("unmatched '{' in format spec");
}

function isJsonLike(name: string): boolean {
  if (name.startsWith('{{') && name.endsWith('}}')) return true;
  const squeezed = name.trim().replaceAll('\n', '').replaceAll(' ', '');
  return squeezed.startsWith('{{') && squeezed.endsWith('}}');
}

/** Langflow's `_fix_variable`: the name without a leading digit and invalid characters, noting what it removed. */
function fixVariable(name: string, invalidChars: string[], wrong: string[]): [string, string[], string[]] {
  if (!name) return [name, invalidChars, wrong];
  let fixed = name;
  if (/^\p{Nd}/u.test(name)) {
    invalidChars.push(name[0]);
    [fixed, invalidChars, wrong] = fixVariable(name.slice(1), invalidChars, wrong);
  }
  const original = fixed;
  for (const ch of original) {
    if (!INVALID_CHARACTERS.has(ch)) continue;
    invalidChars.push(ch);
    fixed = fixed.replaceAll(ch, '');
    if (!wrong.includes(name)) wrong.push(name);
  }
  return [fixed, invalidChars, wrong];
}

/**
 * Langflow's `_check_input_variables`. Its caller binds `_fix_variable`'s returned lists crosswise (the
 * invalid-character list becomes "wrong variables", the wrong-variable list "empty variables"), and
 * its error message lists them that way: the same bindings here give the same message.
 */
function checkInputVariables(names: string[]): string[] {
  const invalidChars: string[] = [];
  const fixed: string[] = [];
  const checked: string[] = [];
  let wrong: string[] = [];
  let empty: string[] = [];
  for (const name of names) {
    if (isJsonLike(name)) continue;
    let fixedName: string;
    [fixedName, wrong, empty] = fixVariable(name, invalidChars, wrong);
    if ([...name].some((ch) => INVALID_CHARACTERS.has(ch))) wrong.push(name);
    else if (name === '') empty.push(name);
    fixed.push(fixedName);
    checked.push(name);
  }
  if (checked.some((name) => !fixed.includes(name))) {
    throw new PromptTemplateError(
      'Input variables contain invalid characters or formats. \n' +
        `Invalid variables: ${wrong.join(', ')}.\nEmpty variables: ${empty.join(', ')}. \nFixed variables: ${fixed.join(', ')}.`,
    );
  }
  return fixed;
}

/** Langflow's `validate_prompt`: the template's input variables, or a PromptTemplateError. */
export function validatePromptTemplate(template: string, mustache = false): string[] {
  let names: string[];
  if (mustache) {
    names = promptVariables(template, 'mustache');
  } else {
    const mustacheNames = new Set([...template.matchAll(MUSTACHE_VAR)].map((m) => m[1]));
    names = formatterFieldNames(template).filter((name) => !mustacheNames.has(name));
  }
  const variables = checkInputVariables(names);
  if (variables.some((name) => INVALID_NAMES.has(name))) {
    throw new PromptTemplateError(`Invalid input variables. None of the variables can be named ${variables.join(', ')}. `);
  }
  return variables;
}

/** The field Langflow adds to a Prompt node for a variable (`DefaultPromptField.to_dict()`). */
function promptField(name: string, value: unknown): Record<string, unknown> {
  return {
    advanced: false, display_name: name, dynamic: false, field_type: 'str', fileTypes: [], file_path: '', info: '',
    input_types: ['Message'], list: false, load_from_db: false, multiline: true, name, placeholder: '', required: false,
    show: true, title_case: false, type: 'str', value,
  };
}

export interface PromptNode {
  template?: Record<string, unknown>;
  custom_fields?: Record<string, string[] | null> | null;
  [key: string]: unknown;
}

/**
 * Langflow's `process_prompt_template` on the node: one field per variable (keeping a value already
 * there), the fields of variables no longer in the template removed, `custom_fields[name]` listing
 * the variables. With a single custom field and an empty `name` (the first request for a new node),
 * that field's variables are the old ones; the new ones are listed under `name`.
 */
export function applyPromptVariables(node: PromptNode, name: string, variables: string[]): PromptNode {
  const template = (node.template ??= {});
  const customFields = node.custom_fields ?? {};
  const keys = Object.keys(customFields);
  const oldKey = keys.length === 1 && name === '' ? keys[0] : name;
  const previous = [...(customFields[oldKey] ?? [])];
  customFields[oldKey] = [];
  const current = (customFields[name] ??= []);
  for (const variable of variables) {
    const existing = template[variable] as { value?: unknown } | undefined;
    template[variable] = promptField(variable, existing && typeof existing === 'object' ? existing.value ?? '' : '');
    if (!current.includes(variable)) current.push(variable);
  }
  for (const variable of previous) {
    if (variables.includes(variable)) continue;
    const at = current.indexOf(variable);
    if (at >= 0) current.splice(at, 1);
    delete template[variable];
  }
  const inputVariables = template.input_variables as { value?: unknown } | undefined;
  if (inputVariables && typeof inputVariables === 'object') inputVariables.value = variables;
  // Langflow updates a request's own custom_fields in place; without one, the node's stays as sent.
  if (node.custom_fields) node.custom_fields = customFields;
  return node;
}
