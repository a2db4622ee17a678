import type { VertexBuildData } from '../../engine/events.js';
import type { FlowJson } from '../../engine/flow-json.js';
import type { FlowRun } from '../../engine/run.js';
import { NotFoundError } from '../../engine/errors.js';
import type { RunHost } from './host.js';

export interface VertexBuildSessionsOptions {
  /** How many flows' graphs are kept at once; the least recently used goes first. */
  maxEntries?: number;
  /** How long an idle graph is kept. */
  ttlMs?: number;
  now?: () => number;
}

interface Entry {
  ownerId: string;
  run: FlowRun;
  expiresAt: number;
  /** One build at a time per graph: the scheduler's bookkeeping is not re-entrant. */
  tail: Promise<unknown>;
}

export interface VerticesOrder {
  ids: string[];
  run_id: string;
  vertices_to_run: string[];
}

/**
 * Langflow's legacy vertex-by-vertex build (`/build/{flow_id}/vertices`...): the graph prepared by the
 * order call is kept per user and flow, and each vertex call builds one vertex of it. Bounded and
 * expiring, so abandoned builds cannot pile up; keyed by owner, so no one reaches another user's run.
 */
export class VertexBuildSessions {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(
    private readonly host: RunHost,
    options: VertexBuildSessionsOptions = {},
  ) {
    this.maxEntries = options.maxEntries ?? 100;
    this.ttlMs = options.ttlMs ?? 30 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** Prepares a fresh run of the flow for this user and answers Langflow's VerticesOrderResponse. */
  prepare(flow: FlowJson, userId: string, range: { startComponentId?: string; stopComponentId?: string }): VerticesOrder {
    const run = this.host.createFlowRun({ flow, userId, inputType: 'any', outputType: 'any', ...range });
    const ids = run.firstLayer();
    this.store(userId, flow.id!, run);
    return { ids, run_id: run.info.runId, vertices_to_run: [...run.scheduler.runSet] };
  }

  /** Builds one vertex of the user's prepared run, preparing one from `flow` when none is kept. */
  async build(flow: FlowJson, userId: string, vertexId: string, inputValue: string | null): Promise<VertexBuildData> {
    let entry = this.live(userId, flow.id!);
    if (!entry) {
      this.prepare(flow, userId, {});
      entry = this.live(userId, flow.id!)!;
    }
    if (!entry.run.graph.vertices.has(vertexId)) throw new NotFoundError(`Vertex ${vertexId} not found`);
    const run = entry.run;
    const result = entry.tail.then(() => run.buildVertex(vertexId, inputValue));
    entry.tail = result.catch(() => undefined);
    const build = await result;
    // Langflow drops the cached graph when a vertex fails; the next call starts over.
    if (!build.valid) this.entries.delete(key(userId, flow.id!));
    return build;
  }

  /** The user's kept run of a flow, if any. */
  runOf(userId: string, flowId: string): FlowRun | undefined {
    return this.live(userId, flowId)?.run;
  }

  private live(userId: string, flowId: string): Entry | undefined {
    const k = key(userId, flowId);
    const entry = this.entries.get(k);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now() || entry.ownerId !== userId) {
      this.entries.delete(k);
      return undefined;
    }
    // Re-insert: Map order is the LRU order.
    this.entries.delete(k);
    entry.expiresAt = this.now() + this.ttlMs;
    this.entries.set(k, entry);
    return entry;
  }

  private store(userId: string, flowId: string, run: FlowRun): void {
    const k = key(userId, flowId);
    this.entries.delete(k);
    this.entries.set(k, { ownerId: userId, run, expiresAt: this.now() + this.ttlMs, tail: Promise.resolve() });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }
}

function key(userId: string, flowId: string): string {
  return `${userId}:${flowId}`;
}
