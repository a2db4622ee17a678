// What a build of the flow shows on each node, folded from the build's event stream (Langflow's
// events, as Weft's /api/v1/build/{job}/events sends them: vertices_sorted, build_start, end_vertex,
// error, end). Pure: the stream reader feeds events in, the canvas draws the result.
import { isRecord } from './flow-types';

export type NodeRunStatus = 'queued' | 'running' | 'done' | 'failed' | 'inactive';

export interface OutputLog {
  message: unknown;
  type: string;
}

export interface NodeRun {
  status: NodeRunStatus;
  /** Langflow's formatted duration ("1.2 seconds", "120 ms"). */
  duration?: string;
  error?: string;
  outputs?: Record<string, OutputLog>;
}

export type RunStatus = 'idle' | 'starting' | 'running' | 'done' | 'failed' | 'cancelled';

export interface RunState {
  status: RunStatus;
  nodes: Record<string, NodeRun>;
  /** The run's error, as the server worded it. */
  error?: string;
  /** The component the error names, when it names one. */
  errorNode?: string;
}

export const IDLE: RunState = { status: 'idle', nodes: {} };

export interface BuildEvent {
  event: string;
  data: unknown;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function setNode(state: RunState, id: string, run: NodeRun): RunState {
  return { ...state, nodes: { ...state.nodes, [id]: run } };
}

/** The error a failed vertex's outputs carry (`{message: {errorMessage}, type: 'error'}`). */
function outputError(outputs: Record<string, OutputLog> | undefined): string | undefined {
  for (const log of Object.values(outputs ?? {})) {
    if (log?.type === 'error' && isRecord(log.message)) return text(log.message.errorMessage);
  }
  return undefined;
}

function outputsOf(data: Record<string, unknown>): Record<string, OutputLog> | undefined {
  const outputs = data.outputs;
  if (!isRecord(outputs)) return undefined;
  const logs: Record<string, OutputLog> = {};
  for (const [name, log] of Object.entries(outputs)) {
    if (isRecord(log)) logs[name] = { message: log.message, type: typeof log.type === 'string' ? log.type : 'unknown' };
  }
  return logs;
}

/** The state after one event. Unknown events change nothing. */
export function applyBuildEvent(state: RunState, { event, data }: BuildEvent): RunState {
  const body = isRecord(data) ? data : {};
  switch (event) {
    // As Langflow's editor reads the stream: the first layer (`ids`) is building, the rest of `to_run`
    // waits; each end_vertex names the vertices that start next (`next_vertices_ids`).
    case 'vertices_sorted': {
      const strings = (list: unknown) => (Array.isArray(list) ? list.filter((id): id is string => typeof id === 'string') : []);
      const nodes = { ...state.nodes };
      for (const id of strings(body.to_run)) if (!nodes[id] || nodes[id].status === 'queued') nodes[id] = { status: 'queued' };
      for (const id of strings(body.ids)) if (!nodes[id] || nodes[id].status === 'queued') nodes[id] = { status: 'running' };
      return { ...state, status: 'running', nodes };
    }
    case 'build_start': {
      const id = text(body.id);
      return id ? setNode({ ...state, status: 'running' }, id, { ...state.nodes[id], status: 'running' }) : state;
    }
    case 'end_vertex': {
      const build = isRecord(body.build_data) ? body.build_data : {};
      const id = text(build.id);
      if (!id) return state;
      const result = isRecord(build.data) ? build.data : {};
      const outputs = outputsOf(result);
      const duration = text(result.duration);
      let next = state;
      for (const inactive of Array.isArray(build.inactivated_vertices) ? build.inactivated_vertices : []) {
        if (typeof inactive === 'string' && inactive !== id) next = setNode(next, inactive, { status: 'inactive' });
      }
      for (const starting of Array.isArray(build.next_vertices_ids) ? build.next_vertices_ids : []) {
        if (typeof starting === 'string' && starting !== id && next.nodes[starting]?.status === 'queued') next = setNode(next, starting, { status: 'running' });
      }
      if (build.valid === false) {
        const error = outputError(outputs) ?? text(build.params) ?? 'The component failed';
        return setNode(next, id, { status: 'failed', duration, error, outputs });
      }
      return setNode(next, id, { status: 'done', duration, outputs });
    }
    case 'error': {
      const message = text(body.text) ?? text(body.error) ?? 'The run failed';
      const cancelled = body.cancelled === true;
      const errorNode = text(body.component_id);
      let next: RunState = { ...state, status: cancelled ? 'cancelled' : 'failed', error: cancelled ? undefined : message, errorNode };
      if (errorNode && !cancelled) next = setNode(next, errorNode, { ...state.nodes[errorNode], status: 'failed', error: state.nodes[errorNode]?.error ?? message });
      return settle(next);
    }
    case 'end':
      return settle({ ...state, status: state.status === 'failed' || state.status === 'cancelled' ? state.status : 'done' });
    default:
      return state;
  }
}

/** A finished run leaves nothing queued or running: those did not run. */
export function settle(state: RunState): RunState {
  const nodes: Record<string, NodeRun> = {};
  for (const [id, run] of Object.entries(state.nodes)) nodes[id] = run.status === 'queued' || run.status === 'running' ? { status: 'inactive' } : run;
  return { ...state, nodes };
}

/** Splits a growing NDJSON body into events; returns them and the unfinished tail. */
export function splitEvents(buffer: string): { events: BuildEvent[]; rest: string } {
  const lines = buffer.split('\n');
  const rest = lines.pop() ?? '';
  const events: BuildEvent[] = [];
  for (const line of lines) {
    if (line.trim() === '') continue;
    try {
      const parsed: unknown = JSON.parse(line);
      if (isRecord(parsed) && typeof parsed.event === 'string') events.push({ event: parsed.event, data: parsed.data });
    } catch {
      // A line that is not an event (a proxy's keep-alive) is skipped.
    }
  }
  return { events, rest };
}

/** How an output is best shown: text, a table (rows of objects), or JSON. */
export function outputView(log: OutputLog): { kind: 'text'; text: string } | { kind: 'table'; columns: string[]; rows: Record<string, unknown>[] } | { kind: 'json'; json: string } {
  const { message } = log;
  if (typeof message === 'string') return { kind: 'text', text: message };
  if (Array.isArray(message) && message.length > 0 && message.every(isRecord)) {
    const columns = [...new Set(message.flatMap((row) => Object.keys(row)))];
    return { kind: 'table', columns, rows: message };
  }
  return { kind: 'json', json: JSON.stringify(message, null, 2) ?? 'null' };
}
