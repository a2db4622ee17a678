import { Data } from '../../engine/schema/data.js';
import { DataFrame } from '../../engine/schema/dataframe.js';
import { Message } from '../../engine/schema/message.js';

/** Python's `repr()` of a JSON-like value (dicts and lists print with single quotes). */
export function pyRepr(value: unknown): string {
  if (typeof value === 'string') {
    const quote = value.includes("'") && !value.includes('"') ? '"' : "'";
    const escaped = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\t/g, '\\t');
    return quote + (quote === "'" ? escaped.replace(/'/g, "\\'") : escaped) + quote;
  }
  if (Array.isArray(value)) return '[' + value.map(pyRepr).join(', ') + ']';
  if (value instanceof Message || value instanceof Data) return pyRepr(value instanceof Message ? value.toRecord() : value.data);
  if (value instanceof DataFrame) return pyRepr(value.rows);
  if (value && typeof value === 'object') {
    return '{' + Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ') + '}';
  }
  return pyStr(value);
}

/** Python's `str()` of a JSON-like value. */
export function pyStr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'nan';
    if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
    return String(value);
  }
  if (value instanceof Message) return value.text;
  if (value instanceof Data) return value.text;
  return pyRepr(value);
}

/**
 * Python's `str.format(**values)` for `{name}` fields with `{{`/`}}` escapes. A missing key calls
 * `missing(key)` (Python raises KeyError; `format_map` with a default dict returns a default).
 */
export function pyFormat(template: string, values: Record<string, unknown>, missing?: (key: string) => string): string {
  return template.replace(/\{\{|\}\}|\{([^{}]*)\}/g, (token, field: string | undefined) => {
    if (token === '{{') return '{';
    if (token === '}}') return '}';
    const name = field!.split(/[!:]/)[0].trim();
    if (Object.prototype.hasOwnProperty.call(values, name)) return pyStr(values[name]);
    if (missing) return missing(name);
    throw new Error(`'${name}'`);
  });
}
