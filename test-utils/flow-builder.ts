import type { EdgeJson, FlowJson, NodeJson } from '../src/engine/flow-json.js';

/** The œ-encoded handle id Langflow's UI writes into saved flows (the form `parseEdgeHandles` reads). */
function encodeHandle(handle: object): string {
  const body = Object.entries(handle)
    .map(([k, v]) => `${JSON.stringify(k)}: ${Array.isArray(v) ? `[${v.map((x) => JSON.stringify(x)).join(', ')}]` : JSON.stringify(v)}`)
    .join(', ');
  return `{${body}}`.replace(/"/g, 'œ');
}

/**
 * Writes small flows in Langflow's saved format (nodes with templates, edges with both the
 * `data` handles and the œ-encoded strings) so tests exercise the same parsing as real exports.
 */
export class FlowBuilder {
  private readonly nodes: NodeJson[] = [];
  private readonly edges: EdgeJson[] = [];
  private counter = 0;

  constructor(
    private readonly name = 'Test Flow',
    private readonly id = '00000000-0000-4000-8000-000000000001',
  ) {}

  node(type: string, fields: Record<string, unknown> = {}, options: NodeOptions = {}): string {
    const id = options.id ?? `${type}-${String(++this.counter).padStart(5, '0')}`;
    const template: Record<string, unknown> = { _type: 'Component' };
    for (const [name, value] of Object.entries(fields)) {
      template[name] = { name, value, show: true, type: typeof value === 'boolean' ? 'bool' : typeof value === 'number' ? 'int' : 'str', ...(options.fieldMeta?.[name] ?? {}) };
    }
    this.nodes.push({
      id,
      type: 'genericNode',
      position: { x: this.counter * 100, y: 0 },
      data: {
        id,
        type,
        node: {
          template,
          display_name: options.displayName,
          frozen: options.frozen,
          ...(options.outputs ? { outputs: options.outputs.map((name) => ({ name, types: ['Message'] })) } : {}),
        },
      },
    });
    return id;
  }

  connect(source: string, output: string, target: string, field: string, types: string[] = ['Message']): this {
    const sourceHandle = { dataType: source.split('-')[0], id: source, name: output, output_types: types };
    const targetHandle = { fieldName: field, id: target, inputTypes: types, type: 'str' };
    this.edges.push({
      id: `xy-edge__${source}-${target}-${field}`,
      source,
      target,
      sourceHandle: encodeHandle(sourceHandle),
      targetHandle: encodeHandle(targetHandle),
      data: { sourceHandle, targetHandle },
    });
    return this;
  }

  /** A loop feedback edge into `target`'s `output` (LoopComponent.item). */
  feedback(source: string, output: string, target: string, targetOutput: string, types: string[] = ['Data', 'Message']): this {
    const sourceHandle = { dataType: source.split('-')[0], id: source, name: output, output_types: types };
    const targetHandle = { dataType: target.split('-')[0], id: target, name: targetOutput, output_types: types };
    this.edges.push({ id: `loop-${source}-${target}`, source, target, data: { sourceHandle, targetHandle } });
    return this;
  }

  build(): FlowJson {
    return { id: this.id, name: this.name, description: '', data: { nodes: this.nodes, edges: this.edges, viewport: { x: 0, y: 0, zoom: 1 } } };
  }
}

export interface NodeOptions {
  id?: string;
  displayName?: string;
  frozen?: boolean;
  outputs?: string[];
  fieldMeta?: Record<string, Record<string, unknown>>;
}
