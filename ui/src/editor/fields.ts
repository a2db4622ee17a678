// How a saved template field is drawn on a node: which widget (its kind), with what bounds and
// options, whether it has an input handle, and whether it sits behind the "advanced" toggle. Pure, so
// the rules are unit-tested apart from React.
import { acceptedTypes, fieldHasHandle } from './compat';
import { isRecord, type NodeBody, type TemplateField } from './flow-types';

export type FieldKind =
  | 'text'
  | 'multiline'
  | 'secret'
  | 'int'
  | 'float'
  | 'slider'
  | 'bool'
  | 'dropdown'
  | 'tab'
  | 'dict'
  | 'table'
  | 'file'
  | 'code'
  | 'model'
  | 'list'
  /** A connection only: no widget (HandleInput, `other`, tools). */
  | 'handle'
  /** A kind the editor cannot edit (MCP servers, sortable lists): its value is shown, not changed. */
  | 'readonly';

export interface FieldRange {
  min?: number;
  max?: number;
  step?: number;
}

export interface FieldView {
  name: string;
  label: string;
  kind: FieldKind;
  value: unknown;
  info: string;
  placeholder: string;
  required: boolean;
  advanced: boolean;
  /** The field has an input handle; `types` are what it accepts. */
  handle: boolean;
  types: string[];
  list: boolean;
  options: string[];
  /** A dropdown that also takes values outside its options. */
  combobox: boolean;
  range?: FieldRange;
  /** A secret whose value names a global variable (Langflow's `load_from_db`). */
  fromVariable: boolean;
  fileTypes: string[];
  /** Column names of a table field. */
  columns: string[];
}

/** Template keys that are not fields. */
function isFieldKey(key: string): boolean {
  return !key.startsWith('_');
}

function optionLabel(option: unknown): string | undefined {
  if (typeof option === 'string') return option;
  if (typeof option === 'number' || typeof option === 'boolean') return String(option);
  if (isRecord(option) && typeof option.name === 'string') return option.name;
  return undefined;
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function rangeOf(field: TemplateField): FieldRange | undefined {
  const spec = field.range_spec;
  if (!isRecord(spec)) return undefined;
  const range: FieldRange = { min: numberOr(spec.min), max: numberOr(spec.max), step: numberOr(spec.step) };
  return range.min === undefined && range.max === undefined && range.step === undefined ? undefined : range;
}

function tableColumns(schema: unknown): string[] {
  const columns = isRecord(schema) ? schema.columns : schema;
  if (!Array.isArray(columns)) return [];
  return columns.flatMap((column) => (isRecord(column) && typeof column.name === 'string' ? [column.name] : []));
}

/** The widget for a field (Langflow picks it from `type`, then `_input_type` and the flags). */
export function fieldKind(field: TemplateField): FieldKind {
  const type = field.type ?? '';
  const inputType = field._input_type ?? '';
  switch (type) {
    case 'bool':
      return 'bool';
    case 'int':
      return 'int';
    case 'float':
      return 'float';
    case 'slider':
      return 'slider';
    case 'dict':
    case 'NestedDict':
      return 'dict';
    case 'table':
      return 'table';
    case 'file':
      return 'file';
    case 'code':
      return 'code';
    case 'tab':
      return 'tab';
    case 'model':
      return 'model';
    case 'prompt':
      return 'multiline';
    case 'str':
    case 'query':
    case 'link': {
      if (Array.isArray(field.options) && (field.options.length > 0 || inputType === 'DropdownInput')) return 'dropdown';
      if (field.password || inputType === 'SecretStrInput' || inputType === 'MultilineSecretInput') return 'secret';
      if (field.list) return 'list';
      if (field.multiline || inputType === 'MultilineInput' || inputType === 'PromptInput') return 'multiline';
      return 'text';
    }
    default:
      return fieldHasHandle(field) ? 'handle' : 'readonly';
  }
}

/** The view of one field, or undefined when the field is not drawn (`show: false`, not a field). */
export function fieldView(name: string, raw: unknown): FieldView | undefined {
  if (!isFieldKey(name) || !isRecord(raw)) return undefined;
  const field = raw as TemplateField;
  if (field.show === false) return undefined;
  const kind = fieldKind(field);
  const handle = fieldHasHandle(field);
  return {
    name,
    label: field.display_name || name,
    kind,
    value: field.value,
    info: typeof field.info === 'string' ? field.info : '',
    placeholder: typeof field.placeholder === 'string' ? field.placeholder : '',
    required: field.required === true,
    advanced: field.advanced === true,
    handle,
    // What the handle shows and is coloured by: the listed input types, else the field's own type.
    types: handle ? (Array.isArray(field.input_types) && field.input_types.length > 0 ? field.input_types : acceptedTypes(field)) : [],
    list: field.list === true,
    options: Array.isArray(field.options) ? field.options.flatMap((o) => optionLabel(o) ?? []) : [],
    combobox: field.combobox === true,
    range: rangeOf(field),
    fromVariable: field.load_from_db === true,
    fileTypes: Array.isArray(field.fileTypes) ? field.fileTypes.filter((t): t is string => typeof t === 'string') : [],
    columns: kind === 'table' ? tableColumns(field.table_schema) : [],
  };
}

/** Every drawn field of a node, in `field_order` first, then template order. */
export function nodeFields(body: NodeBody | undefined): FieldView[] {
  const template = body?.template;
  if (!isRecord(template)) return [];
  const order = Array.isArray(body?.field_order) ? body.field_order.filter((n) => Object.hasOwn(template, n)) : [];
  const names = [...new Set([...order, ...Object.keys(template)])];
  return names.flatMap((name) => fieldView(name, template[name]) ?? []);
}

/** Splits fields into those always drawn and those behind the "advanced" toggle. Connected fields always show. */
export function splitAdvanced(fields: FieldView[], connected: ReadonlySet<string>): { main: FieldView[]; advanced: FieldView[] } {
  const main: FieldView[] = [];
  const advanced: FieldView[] = [];
  for (const field of fields) (field.advanced && !connected.has(field.name) ? advanced : main).push(field);
  return { main, advanced };
}

/** True when the component may be switched to tool mode (some field is a tool argument), or already is. */
export function supportsToolMode(body: NodeBody | undefined): boolean {
  if (!body) return false;
  if (body.tool_mode === true) return true;
  const template = body.template;
  return isRecord(template) && Object.values(template).some((field) => isRecord(field) && field.tool_mode === true);
}

/** A value typed into a number widget, kept inside the field's bounds; undefined when not a number. */
export function clampNumber(text: string, kind: 'int' | 'float' | 'slider', range?: FieldRange): number | undefined {
  const parsed = kind === 'int' ? Number.parseInt(text, 10) : Number.parseFloat(text);
  if (!Number.isFinite(parsed)) return undefined;
  let value = parsed;
  if (range?.min !== undefined) value = Math.max(range.min, value);
  if (range?.max !== undefined) value = Math.min(range.max, value);
  return value;
}

/** A secret's text as drawn: masked unless it names a global variable. */
export function maskedSecret(value: unknown, fromVariable: boolean): string {
  if (typeof value !== 'string' || value === '') return '';
  return fromVariable ? value : '•'.repeat(Math.min(value.length, 12));
}
