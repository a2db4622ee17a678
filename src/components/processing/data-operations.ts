import { parseUntrustedJson } from '../../engine/safe-json.js';
import { defineComponent, type ComponentContext } from '../../engine/component.js';
import { Data } from '../../engine/schema/data.js';
import { pyStr } from '../shared/python-format.js';

type Json = Record<string, unknown>;

const OPERATORS: Record<string, (a: unknown, b: string) => boolean> = {
  equals: (a, b) => pyStr(a) === b,
  'not equals': (a, b) => pyStr(a) !== b,
  contains: (a, b) => pyStr(a).includes(b),
  'starts with': (a, b) => pyStr(a).startsWith(b),
  'ends with': (a, b) => pyStr(a).endsWith(b),
};

/** The selected operation of a SortableList field (`[{name}]`) or a plain string. */
export function selectedOperation(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => (v && typeof v === 'object' ? String((v as { name?: unknown }).name ?? '') : String(v)));
  return typeof value === 'string' && value ? [value] : [];
}

function list(value: unknown): string[] {
  if (Array.isArray(value)) return value.map((v) => String(v)).filter((v) => v !== '');
  return typeof value === 'string' && value ? [value] : [];
}

function dict(value: unknown): Json {
  if (Array.isArray(value)) {
    // Table-style saved dicts: [{key, value}, ...]
    return Object.fromEntries(value.filter((r) => r && typeof r === 'object').map((r) => [String((r as Json).key), (r as Json).value]));
  }
  return value && typeof value === 'object' ? (value as Json) : {};
}

function inputs(ctx: ComponentContext): Data[] {
  const value = ctx.params.data;
  const items = Array.isArray(value) ? value : value ? [value] : [];
  return items.filter((v): v is Data => v instanceof Data);
}

function single(items: Data[], operation: string): Json {
  if (items.length > 1) throw new Error(`${operation} operation is not supported for multiple data objects.`);
  if (items.length === 0) throw new Error('Data input is required.');
  return structuredClone(items[0].data);
}

function removeKeys(value: unknown, keys: Set<string>): unknown {
  if (Array.isArray(value)) return value.map((v) => removeKeys(v, keys));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([k]) => !keys.has(k)).map(([k, v]) => [k, removeKeys(v, keys)]));
  }
  return value;
}

function renameKeys(value: unknown, names: Json): unknown {
  if (Array.isArray(value)) return value.map((v) => renameKeys(v, names));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [typeof names[k] === 'string' ? (names[k] as string) : k, renameKeys(v, names)]));
  }
  return value;
}

/** Python literal strings ("[1, 2]", "True", "{'a': 1}") to values, as `ast.literal_eval` would. */
function literalEval(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(literalEval);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, literalEval(v)]));
  if (typeof value !== 'string') return value;
  const text = value.trim();
  const lower = text.toLowerCase();
  if (text === 'True') return true;
  if (text === 'False') return false;
  if (text === 'None') return null;
  if (lower === 'true' || lower === 'false' || lower === 'none') return value;
  if (/^\d+(\.\d*)?$|^\.\d+$/.test(text)) return Number(text);
  if (/^[[{('"]/.test(text)) {
    const jsonish = text
      .replace(/\bTrue\b/g, 'true')
      .replace(/\bFalse\b/g, 'false')
      .replace(/\bNone\b/g, 'null')
      .replace(/'((?:[^'\\]|\\.)*)'/g, (_, s: string) => JSON.stringify(s.replace(/\\'/g, "'")))
      .replace(/^\((.*)\)$/s, '[$1]');
    try {
      return parseUntrustedJson(jsonish);
    } catch {
      return value;
    }
  }
  return value;
}

function combine(items: Data[]): Data {
  if (items.length <= 1) return items[0] ?? new Data({});
  const combined: Json = {};
  for (const item of items) {
    for (const [key, value] of Object.entries(item.data)) {
      if (!Object.hasOwn(combined, key)) combined[key] = structuredClone(value);
      else if (Array.isArray(combined[key])) (combined[key] as unknown[]).push(...(Array.isArray(value) ? value : [value]));
      else combined[key] = Array.isArray(value) ? [combined[key], ...value] : [combined[key], value];
    }
  }
  return new Data(combined);
}

/** A `.a.b[0]` path, the subset of jq that Path Selection produces. */
export function selectPath(root: unknown, path: string): unknown {
  const tokens = path.trim().match(/\.([A-Za-z_$][\w$-]*)|\.?\["([^"]*)"\]|\[(\d+)\]/g);
  if (!tokens || tokens.join('') !== path.trim().replace(/^\.$/, '')) {
    if (path.trim() === '.') return root;
    throw new Error(`Unsupported path expression: ${path}`);
  }
  let current: unknown = root;
  for (const token of tokens) {
    const index = /^\[(\d+)\]$/.exec(token);
    const key = index ? Number(index[1]) : token.replace(/^\.?\["?|"?\]$/g, '').replace(/^\./, '');
    if (current === null || current === undefined) return null;
    current = (current as Record<string | number, unknown>)[key] ?? null;
  }
  return current;
}

function resultData(result: unknown): Data {
  return result && typeof result === 'object' && !Array.isArray(result) ? new Data(result as Json) : new Data({ result });
}

const OPERATIONS: Record<string, (ctx: ComponentContext, items: Data[]) => Data> = {
  'Select Keys': (ctx, items) => {
    const data = single(items, 'Select Keys');
    const keys = list(ctx.params.select_keys_input);
    if (keys.length === 1 && keys[0] === 'data') return resultData(data.data);
    if (!keys.every((key) => key in data)) throw new Error(`Select key not found in data. Available keys: [${Object.keys(data).map((k) => `'${k}'`).join(', ')}]`);
    return new Data(Object.fromEntries(Object.entries(data).filter(([key]) => keys.includes(key))));
  },
  'Literal Eval': (_ctx, items) => new Data(literalEval(single(items, 'Literal Eval')) as Json),
  Combine: (_ctx, items) => combine(items),
  'Filter Values': (ctx, items) => {
    const data = single(items, 'Filter Values');
    const operator = OPERATORS[String(ctx.params.operator || 'equals')] ?? (() => false);
    const filters = dict(ctx.params.filter_values);
    for (const key of list(ctx.params.filter_key)) {
      if (!(key in data)) throw new Error(`Filter key '${key}' not found in data. Available keys: [${Object.keys(data).map((k) => `'${k}'`).join(', ')}]`);
      if (!Array.isArray(data[key])) throw new Error(`Filter key '${key}' is not a list.`);
      for (const [field, wanted] of Object.entries(filters)) {
        if (wanted === null || wanted === undefined || wanted === '' || field === '') continue;
        data[key] = (data[key] as unknown[]).filter(
          (item) => item !== null && typeof item === 'object' && field in (item as Json) && operator((item as Json)[field], String(wanted)),
        );
      }
    }
    return new Data(data);
  },
  'Append or Update': (ctx, items) => new Data({ ...single(items, 'Append or Update'), ...dict(ctx.params.append_update_data) }),
  'Remove Keys': (ctx, items) => new Data(removeKeys(single(items, 'Remove Keys'), new Set(list(ctx.params.remove_keys_input))) as Json),
  'Rename Keys': (ctx, items) => new Data(renameKeys(single(items, 'Rename Keys'), dict(ctx.params.rename_keys_input)) as Json),
  'Path Selection': (ctx, items) => {
    const key = String(ctx.params.selected_key ?? '');
    if (items.length === 0 || !key) return new Data({ error: 'Missing input data or selected key.' });
    return resultData(selectPath(items[0].data, key));
  },
  'JQ Expression': (ctx, items) => {
    const query = String(ctx.params.query ?? '').trim();
    if (!query) throw new Error('JSON Query is required and cannot be blank.');
    const result = selectPath(single(items, 'JQ Expression'), query);
    if (result === null || result === undefined) throw new Error('JSON Query error: JSON query returned null/None. Check if the path exists in your data.');
    return resultData(result);
  },
};

export const dataOperations = defineComponent({
  type: 'DataOperations',
  displayName: 'Data Operations',
  description: 'Perform various operations on a Data object.',
  category: 'processing',
  icon: 'file-json',
  inputs: [
    { name: 'data', displayName: 'Data', kind: 'data', inputTypes: ['Data'], list: true, required: true },
    { name: 'operations', displayName: 'Operations', kind: 'other', default: [], options: Object.keys(OPERATIONS) },
    { name: 'select_keys_input', displayName: 'Select Keys', kind: 'text', list: true, default: [] },
    { name: 'filter_key', displayName: 'Filter Key', kind: 'text', list: true, default: [] },
    { name: 'operator', displayName: 'Comparison Operator', kind: 'text', default: 'equals', options: Object.keys(OPERATORS) },
    { name: 'filter_values', displayName: 'Filter Values', kind: 'dict', default: {} },
    { name: 'append_update_data', displayName: 'Append or Update', kind: 'dict', default: { key: 'value' } },
    { name: 'remove_keys_input', displayName: 'Remove Keys', kind: 'text', list: true, default: [] },
    { name: 'rename_keys_input', displayName: 'Rename Keys', kind: 'dict', default: { old_key: 'new_key' } },
    { name: 'mapped_json_display', displayName: 'JSON to Map', kind: 'text', default: '' },
    { name: 'selected_key', displayName: 'Select Path', kind: 'text', default: '' },
    { name: 'query', displayName: 'JQ Expression', kind: 'text', default: '' },
  ],
  outputs: [{ name: 'data_output', displayName: 'Data', types: ['Data'], method: 'as_data' }],
  compute: {
    data_output: (ctx) => {
      const selected = selectedOperation(ctx.params.operations);
      if (selected.length !== 1) return new Data({});
      const operation = OPERATIONS[selected[0]];
      return operation ? operation(ctx, inputs(ctx)) : new Data({});
    },
  },
});
