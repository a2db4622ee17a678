// The parts of Langflow's saved flow JSON the editor reads. Every object keeps an index signature:
// the editor changes only the keys it owns and writes every other key back untouched, so a flow
// exported from Weft still loads in Langflow.

/** One field of a component's saved template (`data.node.template[name]`). */
export interface TemplateField {
  type?: string;
  _input_type?: string;
  name?: string;
  display_name?: string;
  value?: unknown;
  show?: boolean;
  advanced?: boolean;
  required?: boolean;
  info?: string;
  placeholder?: string;
  list?: boolean;
  multiline?: boolean;
  password?: boolean;
  load_from_db?: boolean;
  options?: unknown[];
  combobox?: boolean;
  input_types?: string[] | null;
  range_spec?: { min?: number; max?: number; step?: number; step_type?: string } | null;
  fileTypes?: string[];
  file_path?: unknown;
  table_schema?: unknown;
  tool_mode?: boolean;
  real_time_refresh?: boolean;
  proxy?: { id: string; field: string };
  [key: string]: unknown;
}

/** One output of a component (`data.node.outputs[i]`). */
export interface SavedOutput {
  name: string;
  display_name?: string;
  types?: string[];
  selected?: string | null;
  allows_loop?: boolean;
  hidden?: boolean | null;
  tool_mode?: boolean;
  proxy?: { id: string; name: string };
  [key: string]: unknown;
}

/** A component's saved body (`data.node`). */
export interface NodeBody {
  display_name?: string;
  description?: string;
  icon?: string | null;
  template?: Record<string, TemplateField | unknown>;
  outputs?: SavedOutput[];
  field_order?: string[];
  tool_mode?: boolean;
  frozen?: boolean;
  beta?: boolean;
  legacy?: boolean;
  /** A group node carries its inner flow here. */
  flow?: { data?: { nodes?: unknown[]; edges?: unknown[] } | null; [key: string]: unknown };
  [key: string]: unknown;
}

/** `node.data` of a saved node. */
export interface NodeData {
  id?: string;
  type?: string;
  node?: NodeBody;
  showNode?: boolean;
  selected_output?: string;
  [key: string]: unknown;
}

/** A saved node as Langflow stores it (a React Flow node). */
export interface SavedNode {
  id: string;
  type?: string;
  position?: { x: number; y: number };
  data: NodeData;
  width?: number;
  height?: number;
  selected?: boolean;
  [key: string]: unknown;
}

export interface SourceHandle {
  dataType?: string;
  id?: string;
  name?: string;
  output_types?: string[];
  [key: string]: unknown;
}

export interface TargetHandle {
  fieldName?: string;
  id?: string;
  inputTypes?: string[] | null;
  type?: string;
  /** A loop's feedback edge ends on an output of the target instead of a field. */
  name?: string;
  output_types?: string[];
  dataType?: string;
  proxy?: unknown;
  [key: string]: unknown;
}

/** A saved edge as Langflow stores it. */
export interface SavedEdge {
  id?: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
  data?: { sourceHandle?: SourceHandle; targetHandle?: TargetHandle; [key: string]: unknown } | null;
  [key: string]: unknown;
}

export interface Viewport {
  x: number;
  y: number;
  zoom: number;
}

/** A flow's `data`. */
export interface SavedFlowData {
  nodes: SavedNode[];
  edges: SavedEdge[];
  viewport?: Viewport;
  [key: string]: unknown;
}

/** A component as `/api/v1/all` lists it (`{category: {name: frontend_node}}`). */
export type ComponentCatalog = Record<string, Record<string, NodeBody>>;

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
