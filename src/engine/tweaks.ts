import { declaredInputs, type TemplateField } from './component.js';
import type { Graph, Vertex } from './graph.js';
import { isUnsafeKey, ownMap, ownValue } from './safe-json.js';

export type Tweaks = Record<string, unknown>;

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Applies tweaks as Langflow's `process_tweaks` does: object values keyed by node id (or, failing
 * that, display name — the last node with that name) apply in the order given; every other value is
 * a global tweak applied afterwards to that field of every node that has it.
 */
export function applyTweaks(graph: Graph, tweaks: Tweaks | null | undefined): void {
  if (!tweaks) return;
  const byDisplayName = new Map<string, Vertex>();
  for (const vertex of graph.vertices.values()) byDisplayName.set(vertex.displayName, vertex);
  const global = new Map<string, unknown>();
  for (const [key, value] of Object.entries(tweaks)) {
    if (!isRecord(value)) {
      global.set(key, value);
      continue;
    }
    const vertex = graph.vertices.get(key) ?? byDisplayName.get(key);
    if (vertex) for (const [field, fieldValue] of Object.entries(value)) setField(vertex, field, fieldValue);
  }
  for (const vertex of graph.vertices.values()) {
    for (const [field, value] of global) if (Object.hasOwn(vertex.template, field)) setField(vertex, field, value);
  }
}

export function setField(vertex: Vertex, field: string, value: unknown): void {
  // `__proto__`/`constructor` would reach Object.prototype (or Object) through the template: never a field.
  if (isUnsafeKey(field)) return;
  const existing: TemplateField | undefined = ownValue(vertex.template, field);
  const declared = declaredInputs(vertex.definition).has(field);
  if (!existing && !declared && !vertex.definition.dynamicFields) return;
  // A changed copy, never the field itself: fields are shared with the saved flow and with other runs of it.
  const target: TemplateField = existing ? { ...existing } : { name: field };
  if (target.type === 'file') target.file_path = value;
  target.value = value;
  // A tweaked value is literal, never a variable name.
  if (target.load_from_db) target.load_from_db = false;
  if (vertex.ownsTemplate === false) {
    vertex.template = Object.assign(ownMap<TemplateField>(), vertex.template);
    vertex.ownsTemplate = true;
  }
  vertex.template[field] = target;
}

/** Tweak keys that address a node's `input_value`, for the API's input/tweak clash check. */
export function tweakedInputVertices(tweaks: Tweaks | null | undefined): string[] {
  if (!tweaks) return [];
  return Object.entries(tweaks)
    .filter(([, value]) => isRecord(value) && Object.hasOwn(value, 'input_value'))
    .map(([key]) => key);
}
