/**
 * Events a run yields, named and shaped as Langflow's event manager sends them.
 * The server frames them (`{"event": ..., "data": ...}`) without knowing engine internals.
 */
export type EngineEvent =
  | { event: 'vertices_sorted'; data: { ids: string[]; to_run: string[] } }
  | { event: 'add_message'; data: Record<string, unknown> }
  | { event: 'token'; data: { chunk: string; id: string; timestamp?: string } }
  | { event: 'remove_message'; data: { id: string } }
  | { event: 'build_start'; data: { id: string } }
  | { event: 'build_end'; data: { id: string } }
  | { event: 'end_vertex'; data: { build_data: VertexBuildData } }
  | { event: 'error'; data: Record<string, unknown> }
  | { event: 'end'; data: Record<string, unknown> };

export type EngineEventName = EngineEvent['event'];

export interface OutputLog {
  message: unknown;
  type: string;
}

/** Langflow's ResultData for one built vertex. */
export interface ResultData {
  results: Record<string, unknown>;
  artifacts: Record<string, unknown>;
  outputs: Record<string, OutputLog>;
  logs: Record<string, unknown[]>;
  messages: Record<string, unknown>[];
  timedelta: number | null;
  duration: string | null;
  component_display_name: string;
  component_id: string;
  used_frozen_result: boolean;
}

/** Langflow's VertexBuildResponse, carried by `end_vertex`. */
export interface VertexBuildData {
  id: string;
  inactivated_vertices: string[];
  next_vertices_ids: string[];
  top_level_vertices: string[];
  valid: boolean;
  params: string;
  data: Omit<ResultData, 'component_display_name' | 'component_id'>;
  timestamp: string;
}

/** Encodes an event as Langflow does: Python `json.dumps` spacing, then a blank line. */
export function encodeEvent(event: { event: string; data: unknown }): string {
  return pythonJson({ event: event.event, data: event.data }) + '\n\n';
}

/** JSON with Python's default `json.dumps` separators (`", "`, `": "`) and ASCII escaping. */
export function pythonJson(value: unknown): string {
  return serialize(value);
}

function serialize(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return escapeString(value);
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'NaN';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return '[' + value.map(serialize).join(', ') + ']';
  if (typeof value === 'object') {
    const maybe = value as { toJSON?: () => unknown };
    if (typeof maybe.toJSON === 'function') return serialize(maybe.toJSON());
    const parts: string[] = [];
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined || typeof v === 'function') continue;
      parts.push(escapeString(key) + ': ' + serialize(v));
    }
    return '{' + parts.join(', ') + '}';
  }
  return 'null';
}

function escapeString(s: string): string {
  return JSON.stringify(s).replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}
