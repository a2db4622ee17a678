import { FlowError } from './flow-json.js';
import type { Graph, GraphEdge } from './graph.js';
import { ancestors, descendants, findBackEdges, stronglyConnected } from './graph-algorithms.js';

export interface SchedulerOptions {
  startComponentId?: string;
  stopComponentId?: string;
  /** Runs allowed per vertex in a plain cycle (Langflow's MAX_CYCLE_APPEARANCES). */
  maxCycleRuns?: number;
  /** Upper bound for cycles driven by a Loop or router, against runaway flows. */
  maxDrivenRuns?: number;
}

export interface Completion {
  /** Vertices that became ready because of this completion. */
  ready: string[];
  /** Vertices this completion switched off (stopped branches). */
  inactivated: string[];
}

/**
 * Decides which vertices may run: pure bookkeeping, no I/O and no timing.
 * A vertex is ready when every live predecessor has produced a value it has not consumed;
 * cycles are entered through their back edges and re-run while a cycle keeps feeding them.
 */
export class Scheduler {
  readonly runSet: Set<string>;
  readonly layers: string[][];
  private readonly backEdges: Set<GraphEdge>;
  private readonly componentOf: Map<string, number>;
  private readonly cyclic = new Set<string>();
  private readonly maxRuns = new Map<string, number>();
  private readonly runCount = new Map<string, number>();
  private readonly startedAt = new Map<string, number>();
  private readonly completedAt = new Map<string, number>();
  private readonly running = new Set<string>();
  private readonly inactive = new Set<string>();
  private readonly heldRoots: string[] = [];
  private readonly firstLayer: Set<string>;
  private firstLayerLeft: number;
  private clock = 0;

  constructor(
    private readonly graph: Graph,
    options: SchedulerOptions = {},
  ) {
    if (options.startComponentId && options.stopComponentId) {
      throw new FlowError('You can only provide one of start_component_id or stop_component_id');
    }
    const roots = this.rootOrder();
    this.backEdges = findBackEdges(graph, roots);
    const scc = stronglyConnected(graph);
    this.componentOf = scc.componentOf;
    const drivenComponents = new Set<number>();
    for (const vertex of graph.vertices.values()) {
      const component = scc.componentOf.get(vertex.id)!;
      const selfLoop = graph.outgoing.get(vertex.id)!.some((e) => e.target === vertex.id);
      if (scc.sizes[component] > 1 || selfLoop) this.cyclic.add(vertex.id);
      if (vertex.definition.cycleDriver) drivenComponents.add(component);
    }
    for (const vertex of graph.vertices.values()) {
      const driven = drivenComponents.has(scc.componentOf.get(vertex.id)!);
      const limit = vertex.definition.maxRuns ?? (driven ? options.maxDrivenRuns ?? 1000 : options.maxCycleRuns ?? 2);
      this.maxRuns.set(vertex.id, limit);
    }
    this.runSet = this.pruned(options);
    this.layers = this.layeredSort();
    this.firstLayer = new Set(this.layers[0] ?? []);
    this.firstLayerLeft = this.firstLayer.size;
  }

  /** Vertex ids in a stable order: roots first, then the rest as saved. */
  private rootOrder(): string[] {
    const ids = [...this.graph.vertices.keys()];
    const roots = ids.filter((id) => this.graph.incoming.get(id)!.length === 0);
    const chat = roots.filter((id) => this.graph.vertex(id).definition.role === 'chat-input');
    return [...new Set([...chat, ...roots, ...ids])];
  }

  private pruned(options: SchedulerOptions): Set<string> {
    const all = new Set(this.graph.vertices.keys());
    let stop = options.stopComponentId;
    let start = options.startComponentId;
    for (const id of [stop, start]) {
      if (id && !all.has(id)) throw new FlowError(`Component ${id} not found in the flow`, id, undefined, 'not_found');
    }
    if (stop && this.cyclic.has(stop)) {
      // Langflow treats a stop vertex inside a cycle as the start instead.
      start = stop;
      stop = undefined;
    }
    if (stop) return ancestors(this.graph, stop);
    if (start) {
      const keep = new Set<string>();
      for (const id of descendants(this.graph, start)) for (const a of ancestors(this.graph, id)) keep.add(a);
      return keep;
    }
    return all;
  }

  /** Kahn layering over forward edges, with a lone root ChatInput in a layer of its own. */
  private layeredSort(): string[][] {
    const inDegree = new Map<string, number>();
    for (const id of this.runSet) inDegree.set(id, 0);
    for (const edge of this.graph.edges) {
      if (this.backEdges.has(edge) || !this.runSet.has(edge.source) || !this.runSet.has(edge.target)) continue;
      if (edge.source === edge.target) continue;
      inDegree.set(edge.target, inDegree.get(edge.target)! + 1);
    }
    const pending = new Map<string, number>();
    for (const [id, degree] of inDegree) pending.set(id, degree);
    // Count distinct predecessor edges once per (source, target) pair, as readiness does.
    const layers: string[][] = [];
    let current = [...this.runSet].filter((id) => inDegree.get(id) === 0);
    const placed = new Set<string>();
    while (current.length > 0) {
      layers.push(current);
      for (const id of current) placed.add(id);
      const next: string[] = [];
      for (const id of current) {
        for (const edge of this.graph.outgoing.get(id)!) {
          if (this.backEdges.has(edge) || !this.runSet.has(edge.target) || edge.target === id) continue;
          const left = pending.get(edge.target)! - 1;
          pending.set(edge.target, left);
          if (left === 0 && !placed.has(edge.target)) next.push(edge.target);
        }
      }
      current = next;
    }
    if (layers.length > 0) {
      const chatInputs = layers[0].filter((id) => this.graph.vertex(id).definition.role === 'chat-input');
      if (chatInputs.length === 1 && layers[0].length > 1) {
        layers[0] = layers[0].filter((id) => id !== chatInputs[0]);
        layers.unshift(chatInputs);
      }
    }
    return layers;
  }

  /** Vertices to run first: the first layer. Other roots wait until it has completed. */
  start(): string[] {
    const ready: string[] = [];
    for (const id of this.runSet) {
      if (!this.isReady(id)) continue;
      if (this.firstLayer.has(id)) ready.push(id);
      else this.heldRoots.push(id);
    }
    return ready;
  }

  begin(id: string): void {
    this.running.add(id);
    this.runCount.set(id, (this.runCount.get(id) ?? 0) + 1);
    this.startedAt.set(id, ++this.clock);
  }

  /** Records that `id` finished; `stopped` are outputs whose branches must not run this pass. */
  complete(id: string, stopped: Iterable<string> = []): Completion {
    this.running.delete(id);
    this.completedAt.set(id, ++this.clock);
    const stoppedSet = new Set(stopped);
    const inactivated: string[] = [];
    const candidates = new Set<string>();
    for (const edge of this.graph.outgoing.get(id)!) {
      if (this.backEdges.has(edge) && edge.target === id) continue;
      if (stoppedSet.has(edge.sourceOutput)) {
        for (const off of this.deactivateFrom(edge, id)) {
          inactivated.push(off);
          for (const next of this.graph.successors(off)) candidates.add(next);
        }
      } else {
        this.reactivateFrom(edge, id);
        candidates.add(edge.target);
      }
    }
    if (this.firstLayer.has(id) && --this.firstLayerLeft === 0) {
      for (const held of this.heldRoots.splice(0)) candidates.add(held);
    }
    const ready = [...candidates].filter((c) => this.isReady(c));
    return { ready, inactivated: [...new Set(inactivated)] };
  }

  isInactive(id: string): boolean {
    return this.inactive.has(id);
  }

  runs(id: string): number {
    return this.runCount.get(id) ?? 0;
  }

  private deactivateFrom(edge: GraphEdge, origin: string): string[] {
    const switched: string[] = [];
    const queue = [edge.target];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (id === origin || this.inactive.has(id) || !this.runSet.has(id)) continue;
      this.inactive.add(id);
      switched.push(id);
      for (const next of this.graph.outgoing.get(id)!) if (!this.backEdges.has(next)) queue.push(next.target);
    }
    return switched;
  }

  private reactivateFrom(edge: GraphEdge, origin: string): void {
    if (this.inactive.size === 0) return;
    const queue = [edge.target];
    while (queue.length > 0) {
      const id = queue.pop()!;
      if (id === origin || !this.inactive.delete(id)) continue;
      for (const next of this.graph.outgoing.get(id)!) if (!this.backEdges.has(next)) queue.push(next.target);
    }
  }

  private live(edge: GraphEdge): boolean {
    return this.runSet.has(edge.source) && !this.inactive.has(edge.source);
  }

  private fresh(edge: GraphEdge): boolean {
    const done = this.completedAt.get(edge.source);
    if (done === undefined) return false;
    const started = this.startedAt.get(edge.target);
    return started === undefined || done > started;
  }

  private isReady(id: string): boolean {
    if (!this.runSet.has(id) || this.inactive.has(id) || this.running.has(id)) return false;
    const runs = this.runCount.get(id) ?? 0;
    if (runs >= this.maxRuns.get(id)!) return false;
    const incoming = this.graph.incoming.get(id)!;
    if (runs === 0) {
      for (const edge of incoming) {
        if (!this.live(edge) || edge.source === id) continue;
        if (this.backEdges.has(edge) && !this.completedAt.has(edge.source)) continue;
        if (!this.completedAt.has(edge.source)) return false;
      }
      return true;
    }
    // A re-run needs new input from a cycle, and every in-cycle forward input refreshed.
    const component = this.componentOf.get(id);
    let triggered = false;
    for (const edge of incoming) {
      if (!this.live(edge)) continue;
      const fromCycle = this.cyclic.has(edge.source);
      if (fromCycle && this.fresh(edge)) triggered = true;
      const sameCycle = this.componentOf.get(edge.source) === component && edge.source !== id;
      if (sameCycle && !this.backEdges.has(edge) && !this.fresh(edge)) return false;
    }
    return triggered;
  }
}
