// Which output may feed which input, with the reason when not. The rule is Langflow's
// (`isValidConnection`): the output's types must meet the types the field accepts — its `input_types`
// plus its own `type` — a component never feeds itself, and a field that is not a list takes one edge.
// It is also exactly the check Weft's engine makes when it loads a flow (src/engine/graph.ts addEdge),
// so every edge the editor draws is one the engine runs: the Message/Data/DataFrame conversions are
// those a field declares by listing several types in `input_types` (Parser takes DataFrame and Data,
// Chat Output takes Data, DataFrame and Message), converted when the run passes the value.
import { isRecord, type SavedNode, type SavedOutput, type SourceHandle, type TargetHandle, type TemplateField } from './flow-types';
import { parseCanvasHandle } from './handles';

/** The types an output gives: all of them when it has one, else the one selected (Langflow's rule). */
export function outputTypes(output: SavedOutput): string[] {
  const types = Array.isArray(output.types) ? output.types : [];
  if (types.length <= 1) return types;
  return output.selected ? [output.selected] : types;
}

/** Field types drawn as a widget; any other type (`other`, a class name) is a connection only. */
const WIDGET_TYPES = new Set(['str', 'bool', 'int', 'float', 'code', 'prompt', 'file', 'dict', 'NestedDict', 'table', 'slider', 'tab', 'query', 'model', 'link', 'sortableList', 'tools', 'mcp', 'connect', 'auth']);

/** True when the field has an input handle (it lists input types, or its type has no widget). */
export function fieldHasHandle(field: TemplateField): boolean {
  if (Array.isArray(field.input_types) && field.input_types.length > 0) return true;
  return typeof field.type === 'string' && field.type !== '' && !WIDGET_TYPES.has(field.type);
}

/** The types a field accepts from an edge: its `input_types` plus its own type. */
export function acceptedTypes(field: TemplateField): string[] {
  const types = Array.isArray(field.input_types) ? [...field.input_types] : [];
  if (typeof field.type === 'string' && field.type && !types.includes(field.type)) types.push(field.type);
  return types;
}

export function typesMeet(given: string[], accepted: string[]): boolean {
  return given.some((type) => accepted.includes(type));
}

export interface Connection {
  source: string | null;
  sourceHandle: string | null | undefined;
  target: string | null;
  targetHandle: string | null | undefined;
}

/** An existing edge, as far as the check needs it. */
export interface EdgeRef {
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
}

export type ConnectionCheck =
  | { ok: true; sourceHandle: SourceHandle; targetHandle: TargetHandle }
  | { ok: false; reason: string };

function refuse(reason: string): ConnectionCheck {
  return { ok: false, reason };
}

export function nodeName(node: SavedNode): string {
  return node.data.node?.display_name || node.data.type || node.id;
}

export function templateField(node: SavedNode, name: string): TemplateField | undefined {
  const template = node.data.node?.template;
  if (!template || !Object.hasOwn(template, name)) return undefined;
  const field = template[name];
  return isRecord(field) ? (field as TemplateField) : undefined;
}

function fieldLabel(field: TemplateField, name: string): string {
  return field.display_name || name;
}

/**
 * Checks a connection the user is drawing. On success it gives the Langflow handle objects the new
 * edge saves; otherwise one sentence saying why not.
 */
export function checkConnection(connection: Connection, nodeOf: (id: string) => SavedNode | undefined, edges: readonly EdgeRef[]): ConnectionCheck {
  const { source, target } = connection;
  if (!source || !target) return refuse('Drop the connection on a component’s input.');
  if (source === target) return refuse('A component cannot feed itself.');
  const from = nodeOf(source);
  const to = nodeOf(target);
  if (!from || !to) return refuse('That component is no longer on the canvas.');
  const out = parseCanvasHandle(connection.sourceHandle);
  const into = parseCanvasHandle(connection.targetHandle);
  if (!out || out.kind !== 'out' || !into || into.kind === 'out') return refuse('Connect an output (right side) to an input (left side).');
  const output = from.data.node?.outputs?.find((o) => o.name === out.name);
  if (!output) return refuse(`${nodeName(from)} has no output “${out.name}”.`);
  const given = outputTypes(output);
  const sourceHandle: SourceHandle = { dataType: from.data.type ?? '', id: from.id, name: output.name, output_types: given };
  const outputLabel = `${nodeName(from)} › ${output.display_name || output.name}`;
  const duplicate = edges.some((e) => e.source === source && e.target === target && e.sourceHandle === connection.sourceHandle && e.targetHandle === connection.targetHandle);
  if (duplicate) return refuse('These two are already connected.');

  if (into.kind === 'loop') {
    const loop = to.data.node?.outputs?.find((o) => o.name === into.name && o.allows_loop);
    if (!loop) return refuse(`${nodeName(to)} › ${into.name} does not take a loop connection.`);
    // Langflow's loop input takes the output's own types plus its `loop_types` (Loop: Data, and Message).
    const loopTypes = Array.isArray(loop.loop_types) ? loop.loop_types.filter((t): t is string => typeof t === 'string') : [];
    const accepted = [...new Set([...(loop.types ?? []), ...loopTypes])];
    if (accepted.length > 0 && !typesMeet(given, accepted)) {
      return refuse(`${outputLabel} gives ${given.join(' or ')}, but ${nodeName(to)} › ${loop.display_name || loop.name} loops back ${accepted.join(' or ')}.`);
    }
    return { ok: true, sourceHandle, targetHandle: { dataType: to.data.type ?? '', id: to.id, name: loop.name, output_types: accepted } };
  }

  const field = templateField(to, into.name);
  if (!field) return refuse(`${nodeName(to)} has no input “${into.name}”.`);
  const inputLabel = `${nodeName(to)} › ${fieldLabel(field, into.name)}`;
  if (!fieldHasHandle(field)) return refuse(`${inputLabel} is set on the component and takes no connection.`);
  const accepted = acceptedTypes(field);
  if (!typesMeet(given, accepted)) {
    const wanted = Array.isArray(field.input_types) && field.input_types.length > 0 ? field.input_types : accepted;
    return refuse(`${outputLabel} gives ${given.join(' or ') || 'nothing typed'}, but ${inputLabel} accepts ${wanted.join(', ')}.`);
  }
  if (!field.list && edges.some((e) => e.target === target && e.targetHandle === connection.targetHandle)) {
    return refuse(`${inputLabel} already has a connection and takes only one.`);
  }
  const targetHandle: TargetHandle = { fieldName: into.name, id: to.id, inputTypes: Array.isArray(field.input_types) ? field.input_types : [], type: field.type ?? 'str' };
  if (field.proxy) targetHandle.proxy = field.proxy;
  return { ok: true, sourceHandle, targetHandle };
}
