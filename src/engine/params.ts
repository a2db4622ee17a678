import { declaredInputs, type InputDecl, type InputKind, type TemplateField, type VariableResolver } from './component.js';
import type { Graph, Vertex } from './graph.js';
import { Data } from './schema/data.js';
import { DataFrame } from './schema/dataframe.js';
import { Message } from './schema/message.js';
import { toData, toDataFrame, toMessage, toText } from './schema/convert.js';
import { ownMap, ownValue } from './safe-json.js';
import { ServerCredential } from './server-credential.js';

const KIND_BY_INPUT_TYPE: Record<string, InputKind> = {
  MessageTextInput: 'text',
  MultilineInput: 'text',
  StrInput: 'text',
  PromptInput: 'text',
  QueryInput: 'text',
  MultilineSecretInput: 'secret',
  SecretStrInput: 'secret',
  MessageInput: 'message',
  DataInput: 'data',
  DataFrameInput: 'dataframe',
  HandleInput: 'handle',
  BoolInput: 'bool',
  IntInput: 'int',
  FloatInput: 'float',
  SliderInput: 'float',
  DictInput: 'dict',
  NestedDictInput: 'dict',
  TableInput: 'table',
  ModelInput: 'model',
  FileInput: 'file',
  ToolsInput: 'tools',
};

/** How a field is coerced: the component's declaration wins, else the saved field's input class. */
export function fieldKind(vertex: Vertex, name: string): InputKind {
  const declared = declaredInputs(vertex.definition).get(name);
  if (declared) return declared.kind;
  const field = ownValue(vertex.template, name);
  const byClass = typeof field?._input_type === 'string' ? ownValue(KIND_BY_INPUT_TYPE, field._input_type) : undefined;
  if (byClass) return byClass;
  if (field?.type === 'str' || field?.type === 'prompt') return 'text';
  return 'other';
}

function declaredList(vertex: Vertex, name: string): boolean {
  const declared: InputDecl | undefined = declaredInputs(vertex.definition).get(name);
  return declared?.list ?? ownValue(vertex.template, name)?.list === true;
}

export function coerce(value: unknown, kind: InputKind, list: boolean): unknown {
  if (list && kind !== 'text' && kind !== 'handle' && kind !== 'other') {
    const items = Array.isArray(value) ? value : value === null || value === undefined || value === '' ? [] : [value];
    return items.map((item) => coerce(item, kind, false));
  }
  switch (kind) {
    case 'text':
    case 'secret':
      if (value === null || value === undefined) return '';
      if (Array.isArray(value) && list) return value.map((v) => toText(v));
      return typeof value === 'string' ? value : toText(value);
    case 'message':
      return value === null || value === undefined || value === '' ? value ?? null : toMessage(value);
    case 'data':
      return value === null || value === undefined || value === '' ? null : toData(value);
    case 'dataframe':
      return value === null || value === undefined || value === '' ? null : toDataFrame(value);
    case 'bool':
      if (typeof value === 'string') return ['true', '1', 'yes'].includes(value.toLowerCase());
      return Boolean(value);
    case 'int': {
      const n = typeof value === 'number' ? value : Number.parseInt(toText(value), 10);
      return Number.isFinite(n) ? Math.trunc(n) : null;
    }
    case 'float': {
      const n = typeof value === 'number' ? value : Number.parseFloat(toText(value));
      return Number.isFinite(n) ? n : null;
    }
    default:
      return value;
  }
}

/** Saved/tweaked field values, with declared defaults for fields the saved node lacks. */
export function staticValues(vertex: Vertex): Record<string, unknown> {
  // Keyed by saved field names (user data): no prototype for a `__proto__` name to reach.
  const values = ownMap<unknown>();
  for (const input of vertex.definition.inputs) values[input.name] = structuredCloneSafe(input.default ?? null);
  const template = vertex.template;
  // for…in over a map without a prototype: own keys only, without the array Object.entries builds per build.
  for (const name in template) {
    const field = template[name];
    if (Object.hasOwn(field, 'value')) values[name] = structuredCloneSafe(field.value);
    else if (field.file_path !== undefined) values[name] = field.file_path;
  }
  return values;
}

function structuredCloneSafe(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  return structuredClone(value);
}

function declaresSecret(vertex: Vertex, field: string): boolean {
  return declaredInputs(vertex.definition).get(field)?.kind === 'secret';
}

/** Resolves `load_from_db` fields: the saved value is a variable name. */
export async function resolveVariables(
  vertex: Vertex,
  values: Record<string, unknown>,
  resolver: VariableResolver | undefined,
): Promise<void> {
  const template = vertex.template;
  for (const name in template) {
    const field: TemplateField = template[name];
    if (!field.load_from_db) continue;
    const variableName = values[name];
    if (typeof variableName !== 'string' || variableName === '') continue;
    // The host's resolver decides what may come from the server's environment; the engine never reads it.
    const resolved = await resolver?.resolve(variableName);
    // A server credential goes only into a field the component declares secret (a model's API key),
    // never into text a flow could output or send anywhere (a Text Input, an API Request body).
    values[name] = resolved instanceof ServerCredential && !declaresSecret(vertex, name) ? null : (resolved ?? null);
  }
}

/**
 * Final parameters for one build: static values, then edge values (coerced by field kind).
 * Several edges into one field (tools, list inputs) give a list.
 */
export function applyEdgeValues(
  graph: Graph,
  vertex: Vertex,
  values: Record<string, unknown>,
  outputOf: (vertexId: string, output: string) => unknown,
): Record<string, unknown> {
  const byField = new Map<string, unknown[]>();
  for (const edge of graph.incoming.get(vertex.id)!) {
    if (edge.targetField === null) continue;
    if (!hasValue(outputOf, edge.source, edge.sourceOutput)) continue;
    const list = byField.get(edge.targetField) ?? [];
    list.push(outputOf(edge.source, edge.sourceOutput));
    byField.set(edge.targetField, list);
  }
  for (const [field, incoming] of byField) {
    const list = declaredList(vertex, field);
    const kind = fieldKind(vertex, field);
    const flat = incoming.flatMap((v) => (list && Array.isArray(v) ? v : [v]));
    values[field] = coerce(list || flat.length > 1 ? flat : flat[0], kind, list || (flat.length > 1 && kind !== 'text'));
  }
  for (const name in values) {
    if (byField.has(name)) continue;
    values[name] = coerceStatic(vertex, name, values[name]);
  }
  return values;
}

const NOT_BUILT = Symbol('not built');

function hasValue(outputOf: (vertexId: string, output: string) => unknown, id: string, output: string): boolean {
  return outputOf(id, output) !== NOT_BUILT;
}

export { NOT_BUILT };

function coerceStatic(vertex: Vertex, name: string, value: unknown): unknown {
  const kind = fieldKind(vertex, name);
  // Saved values are plain JSON; only scalars and text need normalising.
  if (kind === 'bool' || kind === 'int' || kind === 'float') return value === null || value === '' ? value : coerce(value, kind, false);
  if ((kind === 'text' || kind === 'secret') && (value === null || value === undefined)) return '';
  if (kind === 'message' && typeof value === 'string') return value === '' ? null : new Message({ text: value });
  if (kind === 'data' && value && typeof value === 'object' && !(value instanceof Data) && !Array.isArray(value)) return new Data(value as Record<string, unknown>);
  if (kind === 'dataframe' && Array.isArray(value)) return new DataFrame(value as Record<string, unknown>[]);
  return value;
}
