import type { TemplateField } from './component.js';
import { WeftError, type ErrorCode } from './errors.js';

/** Flow JSON as Langflow saves and exports it (only the parts the engine reads). */
export interface FlowJson {
  id?: string;
  name?: string;
  description?: string;
  endpoint_name?: string | null;
  data?: FlowData | null;
  nodes?: NodeJson[];
  edges?: EdgeJson[];
  [key: string]: unknown;
}

export interface FlowData {
  nodes: NodeJson[];
  edges: EdgeJson[];
  viewport?: unknown;
}

export interface SavedOutput {
  name: string;
  types?: string[];
  selected?: string;
  method?: string;
  allows_loop?: boolean;
  display_name?: string;
  proxy?: { id: string; name: string };
  [key: string]: unknown;
}

export interface NodeBody {
  template?: Record<string, TemplateField | unknown>;
  outputs?: SavedOutput[];
  display_name?: string;
  frozen?: boolean;
  edited?: boolean;
  tool_mode?: boolean;
  is_input?: boolean;
  is_output?: boolean;
  metadata?: { module?: string; [key: string]: unknown };
  flow?: FlowJson;
  custom_fields?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface NodeJson {
  id: string;
  type?: string;
  data: { id?: string; type: string; display_name?: string; node?: NodeBody; [key: string]: unknown };
  [key: string]: unknown;
}

export interface SourceHandle {
  dataType?: string;
  id: string;
  name?: string;
  output_types?: string[];
}

export interface TargetHandle {
  fieldName?: string;
  id: string;
  inputTypes?: string[] | null;
  type?: string;
  /** Loop feedback targets name an output of the target instead of a field. */
  name?: string;
  output_types?: string[];
  dataType?: string;
}

export interface EdgeJson {
  id?: string;
  source: string;
  target: string;
  sourceHandle?: string | null;
  targetHandle?: string | null;
  data?: { sourceHandle?: SourceHandle; targetHandle?: TargetHandle; [key: string]: unknown } | null;
  [key: string]: unknown;
}

/** The `{nodes, edges}` of a flow object or of its `data`. */
export function flowData(flow: FlowJson | FlowData): FlowData {
  const maybeFlow = flow as FlowJson;
  if (maybeFlow.data && Array.isArray(maybeFlow.data.nodes)) return maybeFlow.data;
  if (Array.isArray(maybeFlow.nodes)) return { nodes: maybeFlow.nodes, edges: maybeFlow.edges ?? [] };
  throw new FlowError('The flow has no data: expected {"data": {"nodes": [...], "edges": [...]}}');
}

/** The flow cannot be loaded or run as saved (code `invalid_flow`; `not_found` when it names a missing vertex). */
export class FlowError extends WeftError {
  constructor(
    message: string,
    readonly nodeId?: string,
    readonly nodeType?: string,
    code: ErrorCode = 'invalid_flow',
  ) {
    super(code, message);
    this.name = 'FlowError';
  }
}
