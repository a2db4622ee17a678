import type { OutputLog, ResultData } from './events.js';
import type { Vertex } from './graph.js';
import { Data } from './schema/data.js';
import { DataFrame } from './schema/dataframe.js';
import { Message } from './schema/message.js';
import { plain } from './schema/convert.js';

/** Langflow's elapsed-time text: "12 ms", "1.5 seconds", "2 minutes, 3 seconds". */
export function formatDuration(seconds: number): string {
  if (seconds < 1) return `${Math.round(seconds * 1000)} ms`;
  if (seconds < 60) return `${Math.round(seconds * 10) / 10} seconds`;
  const minutes = Math.floor(seconds / 60);
  const rest = Math.round(seconds % 60);
  return `${minutes} minute${minutes === 1 ? '' : 's'}, ${rest} second${rest === 1 ? '' : 's'}`;
}

export function outputLog(value: unknown): OutputLog {
  if (value instanceof Message) return { message: value.text, type: 'text' };
  if (value instanceof Data) return { message: value.data, type: 'object' };
  if (value instanceof DataFrame) return { message: value.rows, type: 'array' };
  if (typeof value === 'string') return { message: value, type: 'text' };
  if (Array.isArray(value)) return { message: plain(value), type: 'array' };
  if (value && typeof value === 'object') return { message: plain(value), type: 'object' };
  if (value === null || value === undefined) return { message: '', type: 'unknown' };
  return { message: value, type: 'text' };
}

export interface BuildRecord {
  values: Record<string, unknown>;
  status: unknown;
  logs: Record<string, unknown[]>;
  messages: Record<string, unknown>[];
  seconds: number;
  usedFrozen: boolean;
}

export function resultData(vertex: Vertex, build: BuildRecord): ResultData {
  const results: Record<string, unknown> = {};
  const outputs: Record<string, OutputLog> = {};
  const logs: Record<string, unknown[]> = {};
  for (const [name, value] of Object.entries(build.values)) {
    results[name] = plain(value);
    outputs[name] = outputLog(value);
    logs[name] = build.logs[name] ?? [];
  }
  return {
    results,
    artifacts: artifactsOf(build),
    outputs,
    logs,
    messages: build.messages,
    timedelta: build.seconds,
    duration: formatDuration(build.seconds),
    component_display_name: vertex.displayName,
    component_id: vertex.id,
    used_frozen_result: build.usedFrozen,
  };
}

function artifactsOf(build: BuildRecord): Record<string, unknown> {
  const first = Object.values(build.values)[0];
  if (first instanceof Message) {
    return { message: first.text, sender: first.sender, sender_name: first.sender_name, files: first.files, type: 'text' };
  }
  if (build.status !== undefined && build.status !== null) {
    const log = outputLog(build.status);
    return { repr: typeof log.message === 'string' ? log.message : JSON.stringify(log.message), raw: plain(build.status), type: log.type };
  }
  return {};
}

/** Langflow's error output log: the first output carries the error. */
export function errorResult(vertex: Vertex, message: string, seconds: number): ResultData {
  const first = vertex.outputs[0]?.name ?? 'output';
  return {
    results: {},
    artifacts: {},
    outputs: { [first]: { message: { errorMessage: message, stackTrace: '' }, type: 'error' } },
    logs: { [first]: [] },
    messages: [],
    timedelta: seconds,
    duration: formatDuration(seconds),
    component_display_name: vertex.displayName,
    component_id: vertex.id,
    used_frozen_result: false,
  };
}
