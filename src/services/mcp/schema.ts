import type { InputDecl, InputKind, TemplateField } from '../../engine/component.js';
import { flowData, type FlowJson } from '../../engine/flow-json.js';
import { loadGraph } from '../../engine/graph.js';
import type { ComponentRegistry } from '../../engine/registry.js';

export interface ToolInputSchema {
  type: 'object';
  properties: Record<string, { type: string; description: string }>;
  required: string[];
  [key: string]: unknown;
}

const INPUT_TYPES = new Set(['ChatInput', 'TextInput', 'Webhook']);

/**
 * Langflow's `json_schema_from_flow`: one property per visible, non-advanced template field of
 * every input vertex (ChatInput / TextInput / Webhook); str→string, int→integer, float→number,
 * bool→boolean, anything else string; the description is the field's `info`.
 * Fields a saved node omits come from the component's declaration, so a bare ChatInput still
 * advertises `input_value`.
 */
export function jsonSchemaFromFlow(flow: FlowJson, registry: ComponentRegistry): ToolInputSchema {
  const properties: ToolInputSchema['properties'] = {};
  const required: string[] = [];
  for (const node of inputNodes(flow, registry)) {
    for (const [name, field] of Object.entries(node.template)) {
      if (name === '_type' || name === 'code' || !field || typeof field !== 'object') continue;
      if (field.show !== true || field.advanced === true) continue;
      properties[name] = { type: jsonType(field.type), description: typeof field.info === 'string' ? field.info : `Input for ${name}` };
      if (field.required === true && !required.includes(name)) required.push(name);
    }
  }
  return { type: 'object', properties, required };
}

interface InputNode {
  template: Record<string, TemplateField>;
}

function inputNodes(flow: FlowJson, registry: ComponentRegistry): InputNode[] {
  try {
    const graph = loadGraph(flow, registry);
    return [...graph.vertices.values()]
      .filter((v) => v.isInput)
      .map((v) => ({ template: withDeclared(v.template, v.definition.inputs) }));
  } catch {
    // A flow that does not load still advertises what its saved input nodes say.
    const data = flowDataOrNull(flow);
    return (data?.nodes ?? [])
      .filter((n) => INPUT_TYPES.has(n.data?.type) || INPUT_TYPES.has(String(n.id).split('-')[0]))
      .map((n) => {
        const declared = registry.get(n.data.type)?.inputs ?? [];
        return { template: withDeclared((n.data.node?.template ?? {}) as Record<string, TemplateField>, declared) };
      });
  }
}

function flowDataOrNull(flow: FlowJson) {
  try {
    return flowData(flow);
  } catch {
    return null;
  }
}

function withDeclared(saved: Record<string, TemplateField>, declared: InputDecl[]): Record<string, TemplateField> {
  const template: Record<string, TemplateField> = {};
  for (const input of declared) {
    const field = saved[input.name];
    template[input.name] =
      field && typeof field === 'object'
        ? field
        : { type: templateType(input.kind), show: true, advanced: input.advanced ?? false, required: input.required ?? false, info: input.info };
  }
  for (const [name, field] of Object.entries(saved)) if (!(name in template)) template[name] = field;
  return template;
}

function templateType(kind: InputKind): string {
  if (kind === 'int') return 'int';
  if (kind === 'float') return 'float';
  if (kind === 'bool') return 'bool';
  if (kind === 'text' || kind === 'secret') return 'str';
  return kind;
}

function jsonType(type: unknown): string {
  switch (type) {
    case 'str':
      return 'string';
    case 'int':
      return 'integer';
    case 'float':
      return 'number';
    case 'bool':
      return 'boolean';
    default:
      return 'string';
  }
}
