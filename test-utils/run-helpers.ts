import type { EngineEvent } from '../src/engine/events.js';
import { FlowRun, type RunFlowOptions } from '../src/engine/run.js';

export interface Collected {
  run: FlowRun;
  events: EngineEvent[];
  /** Vertex ids in end_vertex order. */
  order: string[];
}

/** Runs a flow to its end, collecting every event. */
export async function collect(options: RunFlowOptions): Promise<Collected> {
  const run = new FlowRun(options);
  const events: EngineEvent[] = [];
  for await (const event of run.events()) events.push(event);
  return { run, events, order: endVertices(events).map((b) => b.id) };
}

export interface BuildData {
  id: string;
  valid: boolean;
  inactivated_vertices: string[];
  next_vertices_ids: string[];
  params: string;
  data: { results: Record<string, unknown>; used_frozen_result: boolean };
}

export function endVertices(events: EngineEvent[]): BuildData[] {
  return events.filter((e) => e.event === 'end_vertex').map((e) => (e.data as unknown as { build_data: BuildData }).build_data);
}

/** The text of a Message result (JSON form). */
export function textOf(value: unknown): string {
  return (value as { text: string }).text;
}

/** The chunks of the `token` events, in order. */
export function tokenChunks(events: readonly { event: string; data: unknown }[]): string[] {
  return events.filter((e) => e.event === 'token').map((e) => (e.data as { chunk: string }).chunk);
}
