import { isUnsafeKey, ownMap, ownValue } from './safe-json.js';
import { declaredInputs, type ComponentDefinition, type InputDecl, type TemplateField } from './component.js';
import { FlowError, flowData, type FlowData, type FlowJson, type NodeJson, type EdgeJson, type SavedOutput } from './flow-json.js';
import { parseEdgeHandles } from './handles.js';
import type { ComponentRegistry } from './registry.js';
import { flattenGroups } from './groups.js';

export interface GraphEdge {
  id: string;
  source: string;
  sourceOutput: string;
  target: string;
  /** Field of the target fed by this edge; null for a loop feedback edge. */
  targetField: string | null;
  /** For loop feedback edges: the target's output receiving the value. */
  targetOutput: string | null;
}

export interface Vertex {
  id: string;
  type: string;
  displayName: string;
  definition: ComponentDefinition;
  /** Field definitions as saved; tweaks are applied here, by setField only (it copies what it changes). */
  template: Record<string, TemplateField>;
  /** False while `template` is still the loaded graph's, shared with other runs: setField copies it first. */
  ownsTemplate?: boolean;
  /** Output names this node exposes (saved outputs, else declared ones). */
  outputs: SavedOutput[];
  frozen: boolean;
  toolMode: boolean;
  isInput: boolean;
  isOutput: boolean;
  raw: NodeJson;
}

export interface LoadOptions {
  flowId?: string;
  flowName?: string;
}

const INPUT_ROLES = new Set(['chat-input', 'text-input', 'webhook']);
const OUTPUT_ROLES = new Set(['chat-output', 'text-output', 'data-output']);
const SKIPPED_FIELDS = new Set(['code', '_type', '_frontend_node_flow_id', '_frontend_node_folder_id']);

export class Graph {
  readonly vertices = new Map<string, Vertex>();
  readonly edges: GraphEdge[];
  readonly incoming: Map<string, GraphEdge[]>;
  readonly outgoing: Map<string, GraphEdge[]>;

  /** `structure`: a loaded graph whose edges this one shares (they never change after loading). */
  constructor(
    readonly flowId: string,
    readonly flowName: string,
    structure?: Graph,
  ) {
    this.edges = structure?.edges ?? [];
    this.incoming = structure?.incoming ?? new Map();
    this.outgoing = structure?.outgoing ?? new Map();
  }

  addVertex(vertex: Vertex): void {
    this.vertices.set(vertex.id, vertex);
    this.incoming.set(vertex.id, []);
    this.outgoing.set(vertex.id, []);
  }

  addEdge(edge: GraphEdge): void {
    this.edges.push(edge);
    this.incoming.get(edge.target)!.push(edge);
    this.outgoing.get(edge.source)!.push(edge);
  }

  vertex(id: string): Vertex {
    const vertex = this.vertices.get(id);
    if (!vertex) throw new FlowError(`Vertex ${id} not found`, id, undefined, 'not_found');
    return vertex;
  }

  predecessors(id: string): string[] {
    return unique(this.incoming.get(id)!.map((e) => e.source));
  }

  successors(id: string): string[] {
    return unique(this.outgoing.get(id)!.map((e) => e.target));
  }
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

/** Thrown when a flow uses component types Weft does not have; lists them all. */
export class MissingComponentsError extends FlowError {
  constructor(readonly missing: { nodeId: string; type: string }[]) {
    super(
      missing.map((m) => `Node ${m.nodeId}: component type "${m.type}" is not available in Weft`).join('; '),
      missing[0]?.nodeId,
      missing[0]?.type,
    );
  }
}

/**
 * A flow's graph as loaded once: vertices with their saved templates, edges resolved. Everything in it is
 * read-only for runs; `loadGraph` gives each run its own vertices over it, whose templates a run may change.
 */
type LoadedGraph = Graph;

/**
 * Loaded graphs by the flow data object they came from (and the registry that resolved its types): a flow that is
 * run again — the same stored version, whose parse the database shares (FlowDataCache), or the same object in
 * process — skips reading ~10 KB of template per node, resolving handles and validating edges. Keyed weakly, so a
 * version nobody holds any more is dropped with its data.
 */
const loadedGraphs = new WeakMap<ComponentRegistry, WeakMap<FlowData, LoadedGraph>>();

/** Loads a flow (or its `data`) into a validated graph. Every problem names the node. */
export function loadGraph(flow: FlowJson | FlowData, registry: ComponentRegistry, options: LoadOptions = {}): Graph {
  const source = flowData(flow);
  let byData = loadedGraphs.get(registry);
  if (!byData) loadedGraphs.set(registry, (byData = new WeakMap()));
  let loaded = byData.get(source);
  if (!loaded) {
    loaded = buildGraph(source, registry);
    byData.set(source, loaded);
  }
  const asFlow = flow as FlowJson;
  const graph = new Graph(options.flowId ?? asFlow.id ?? '', options.flowName ?? asFlow.name ?? 'Untitled', loaded);
  // The run's own vertices. Their templates (map and fields) stay shared with the loaded graph until the run sets a
  // field: setField copies the map once (`ownsTemplate`) and the field it changes.
  for (const base of loaded.vertices.values()) graph.vertices.set(base.id, { ...base, ownsTemplate: false });
  return graph;
}

function buildGraph(source: FlowData, registry: ComponentRegistry): LoadedGraph {
  const data = flattenGroups(source);
  const graph = new Graph('', '');
  const missing: { nodeId: string; type: string }[] = [];

  for (const node of data.nodes) {
    if (node.type === 'noteNode' || node.data?.type === 'note') continue;
    if (!node.id || !node.data?.type) throw new FlowError(`A node has no id or data.type: ${JSON.stringify(node).slice(0, 120)}`);
    const body = node.data.node ?? {};
    const definition = registry.forNode?.(node) ?? registry.get(node.data.type, body.metadata?.module);
    if (!definition) {
      missing.push({ nodeId: node.id, type: node.data.type });
      continue;
    }
    if (graph.vertices.has(node.id)) throw new FlowError(`Node ${node.id} (${node.data.type}) appears twice`, node.id, node.data.type);
    graph.addVertex(buildVertex(node, definition));
  }
  if (missing.length > 0) throw new MissingComponentsError(missing);

  for (const edge of data.edges) addEdge(graph, edge);
  validateChatInputs(graph);
  return graph;
}

function buildVertex(node: NodeJson, definition: ComponentDefinition): Vertex {
  const body = node.data.node ?? {};
  // Keyed by the saved flow's field names: no prototype, and no field named `__proto__`/`constructor`/`prototype`.
  const template = ownMap<TemplateField>();
  for (const [name, field] of Object.entries(body.template ?? {})) {
    if (SKIPPED_FIELDS.has(name) || isUnsafeKey(name) || !field || typeof field !== 'object') continue;
    // Shared with the saved flow: a run never changes a field in place (setField replaces it with a changed copy),
    // and components get deep copies of values (staticValues).
    template[name] = field as TemplateField;
  }
  const saved = Array.isArray(body.outputs) && body.outputs.length > 0 ? body.outputs : undefined;
  const outputs: SavedOutput[] = saved ?? definition.outputs.map((o) => ({ name: o.name, types: o.types }));
  const toolMode = outputs.some((o) => o.name === 'component_as_tool');
  const role = definition.role;
  const prefix = node.id.split('-')[0];
  return {
    id: node.id,
    type: node.data.type,
    displayName: body.display_name ?? node.data.display_name ?? definition.displayName,
    definition,
    template,
    outputs,
    frozen: body.frozen === true,
    toolMode,
    isInput: body.is_input ?? (INPUT_ROLES.has(role ?? '') || ['ChatInput', 'TextInput', 'Webhook'].includes(prefix)),
    isOutput: body.is_output ?? (OUTPUT_ROLES.has(role ?? '') || ['ChatOutput', 'TextOutput', 'DataOutput'].includes(prefix)),
    raw: node,
  };
}

function addEdge(graph: Graph, edge: EdgeJson): void {
  const where = `Edge ${edge.source} -> ${edge.target}`;
  const source = graph.vertices.get(edge.source);
  const target = graph.vertices.get(edge.target);
  if (!source) throw new FlowError(`${where}: source node ${edge.source} does not exist`, edge.source);
  if (!target) throw new FlowError(`${where}: target node ${edge.target} does not exist`, edge.target);
  const handles = parseEdgeHandles(edge);
  const outputName = handles.source.name ?? guessOutput(source, handles.source.output_types ?? []);
  if (!outputName || !hasOutput(source, outputName)) {
    throw new FlowError(
      `Node ${source.id} (${source.type}) has no output "${handles.source.name ?? '?'}" (edge to ${target.id})`,
      source.id,
      source.type,
    );
  }
  const id = edge.id ?? `${edge.source}:${outputName}->${edge.target}`;
  const field = handles.target.fieldName;
  if (!field) {
    const loopOutput = handles.target.name;
    if (!loopOutput || !target.definition.outputs.some((o) => o.name === loopOutput && o.allowsLoop)) {
      throw new FlowError(`Node ${target.id} (${target.type}): edge from ${source.id} names no target field`, target.id, target.type);
    }
    graph.addEdge({ id, source: source.id, sourceOutput: outputName, target: target.id, targetField: null, targetOutput: loopOutput });
    return;
  }
  if (!acceptsField(target, field)) {
    throw new FlowError(`Node ${target.id} (${target.type}) has no input field "${field}" (edge from ${source.id})`, target.id, target.type);
  }
  const outputTypes = handles.source.output_types ?? source.outputs.find((o) => o.name === outputName)?.types ?? [];
  const accepted = [...(handles.target.inputTypes ?? fieldInputTypes(target, field)), ...(handles.target.type ? [handles.target.type] : [])];
  if (outputTypes.length > 0 && accepted.length > 0 && !outputTypes.some((t) => accepted.includes(t))) {
    throw new FlowError(
      `Node ${target.id} (${target.type}): field "${field}" accepts ${accepted.join('/')} but ${source.id} output "${outputName}" gives ${outputTypes.join('/')}`,
      target.id,
      target.type,
    );
  }
  graph.addEdge({ id, source: source.id, sourceOutput: outputName, target: target.id, targetField: field, targetOutput: null });
}

function hasOutput(vertex: Vertex, name: string): boolean {
  return vertex.outputs.some((o) => o.name === name) || vertex.definition.outputs.some((o) => o.name === name);
}

function guessOutput(vertex: Vertex, types: string[]): string | undefined {
  return (vertex.outputs.find((o) => (o.types ?? []).some((t) => types.includes(t))) ?? vertex.outputs[0])?.name;
}

function declaredInput(vertex: Vertex, field: string): InputDecl | undefined {
  return declaredInputs(vertex.definition).get(field);
}

function acceptsField(vertex: Vertex, field: string): boolean {
  return field in vertex.template || declaredInput(vertex, field) !== undefined || vertex.definition.dynamicFields === true;
}

function fieldInputTypes(vertex: Vertex, field: string): string[] {
  return ownValue(vertex.template, field)?.input_types ?? declaredInput(vertex, field)?.inputTypes ?? [];
}

function validateChatInputs(graph: Graph): void {
  const roots = [...graph.vertices.values()].filter(
    (v) => v.definition.role === 'chat-input' && graph.incoming.get(v.id)!.length === 0,
  );
  if (roots.length > 1) {
    throw new FlowError(
      `Only one chat input is allowed in the graph (found ${roots.map((v) => v.id).join(', ')})`,
      roots[1].id,
      roots[1].type,
    );
  }
}
