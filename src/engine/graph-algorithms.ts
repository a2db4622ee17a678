import type { Graph, GraphEdge } from './graph.js';

/**
 * Edges that close a cycle, found by an iterative depth-first search from the roots
 * (vertices without predecessors, then the rest) so long chains cannot overflow the stack.
 */
export function findBackEdges(graph: Graph, order: string[]): Set<GraphEdge> {
  const back = new Set<GraphEdge>();
  const state = new Map<string, 1 | 2>(); // 1 = on stack, 2 = done
  for (const root of order) {
    if (state.has(root)) continue;
    const stack: { id: string; next: number }[] = [{ id: root, next: 0 }];
    state.set(root, 1);
    while (stack.length > 0) {
      const frame = stack[stack.length - 1];
      const edges = graph.outgoing.get(frame.id)!;
      if (frame.next >= edges.length) {
        state.set(frame.id, 2);
        stack.pop();
        continue;
      }
      const edge = edges[frame.next++];
      const seen = state.get(edge.target);
      if (seen === 1) back.add(edge);
      else if (seen === undefined) {
        state.set(edge.target, 1);
        stack.push({ id: edge.target, next: 0 });
      }
    }
  }
  return back;
}

/** Strongly connected components (iterative Tarjan). Returns vertex id → component index. */
export function stronglyConnected(graph: Graph): { componentOf: Map<string, number>; sizes: number[] } {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const componentOf = new Map<string, number>();
  const sizes: number[] = [];
  for (const start of graph.vertices.keys()) {
    if (index.has(start)) continue;
    const work: { id: string; next: number }[] = [{ id: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1];
      const edges = graph.outgoing.get(frame.id)!;
      if (frame.next < edges.length) {
        const target = edges[frame.next++].target;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          work.push({ id: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.id, Math.min(low.get(frame.id)!, index.get(target)!));
        }
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1].id;
        low.set(parent, Math.min(low.get(parent)!, low.get(frame.id)!));
      }
      if (low.get(frame.id) === index.get(frame.id)) {
        const component = sizes.length;
        let size = 0;
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          componentOf.set(member, component);
          size++;
        } while (member !== frame.id);
        sizes.push(size);
      }
    }
  }
  return { componentOf, sizes };
}

/** Ids reachable from `start` along outgoing edges (including `start`). */
export function descendants(graph: Graph, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const edge of graph.outgoing.get(id)!) {
      if (!seen.has(edge.target)) {
        seen.add(edge.target);
        queue.push(edge.target);
      }
    }
  }
  return seen;
}

/** Ids from which `start` is reachable (including `start`). */
export function ancestors(graph: Graph, start: string): Set<string> {
  const seen = new Set<string>([start]);
  const queue = [start];
  while (queue.length > 0) {
    const id = queue.pop()!;
    for (const edge of graph.incoming.get(id)!) {
      if (!seen.has(edge.source)) {
        seen.add(edge.source);
        queue.push(edge.source);
      }
    }
  }
  return seen;
}
