// Copy and paste of canvas selections. The payload is the selection in saved (Langflow) form —
// `{nodes, edges}` — so it pastes into another Weft flow, another tab, or Langflow itself.
import { isRecord, type SavedEdge, type SavedNode } from './flow-types';
import { newNodeId, remapEdge, savedEdge, savedNode, toCanvas, type CanvasEdge, type CanvasNode, type NodeRestore } from './flow-io';

export interface SelectionPayload {
  nodes: SavedNode[];
  edges: SavedEdge[];
}

/** The selected nodes and the edges between them, in saved form; undefined when nothing is selected. */
export function copySelection(nodes: readonly CanvasNode[], edges: readonly CanvasEdge[], restore: ReadonlyMap<string, NodeRestore>): SelectionPayload | undefined {
  const chosen = nodes.filter((n) => n.selected);
  if (chosen.length === 0) return undefined;
  const ids = new Set(chosen.map((n) => n.id));
  return {
    nodes: chosen.map((n) => structuredClone(savedNode(n, restore))),
    edges: edges.filter((e) => ids.has(e.source) && ids.has(e.target)).map((e) => structuredClone(savedEdge(e))),
  };
}

/** Reads pasted text as a selection payload (ours, or a Langflow flow/selection); undefined otherwise. */
export function parsePayload(text: string): SelectionPayload | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  const body = isRecord(parsed) && isRecord(parsed.data) ? parsed.data : parsed;
  if (!isRecord(body) || !Array.isArray(body.nodes)) return undefined;
  const nodes = body.nodes.filter((n): n is SavedNode => isRecord(n) && typeof n.id === 'string' && isRecord(n.data));
  if (nodes.length === 0) return undefined;
  const edges = (Array.isArray(body.edges) ? body.edges : []).filter((e): e is SavedEdge => isRecord(e) && typeof e.source === 'string' && typeof e.target === 'string');
  return { nodes, edges };
}

export interface Pasted {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  restore: Map<string, NodeRestore>;
}

/**
 * The payload as new canvas elements: fresh ids (Langflow's `Type-xxxxx`), edges following them,
 * selected, and moved so the selection's top-left corner lands on `at` (or `offset` from where it was).
 */
export function preparePaste(payload: SelectionPayload, taken: (id: string) => boolean, place: { at?: { x: number; y: number }; offset?: number }): Pasted {
  const canvas = toCanvas({ nodes: payload.nodes, edges: payload.edges });
  const ids = new Map<string, string>();
  const used = new Set<string>();
  for (const node of canvas.nodes) {
    const id = newNodeId(String(node.data.type ?? node.type ?? 'node'), (candidate) => taken(candidate) || used.has(candidate));
    used.add(id);
    ids.set(node.id, id);
  }
  const left = Math.min(...canvas.nodes.map((n) => n.position.x));
  const top = Math.min(...canvas.nodes.map((n) => n.position.y));
  const dx = place.at ? place.at.x - left : (place.offset ?? 40);
  const dy = place.at ? place.at.y - top : (place.offset ?? 40);
  const restore = new Map<string, NodeRestore>();
  const nodes = canvas.nodes.map((node): CanvasNode => {
    const id = ids.get(node.id)!;
    const entry = canvas.restore.get(node.id);
    if (entry) restore.set(id, entry);
    return {
      ...node,
      id,
      data: { ...node.data, id },
      position: { x: node.position.x + dx, y: node.position.y + dy },
      selected: true,
      dragging: false,
    };
  });
  const edges = canvas.edges.flatMap((edge) => {
    const copy = remapEdge(edge, ids);
    return copy ? [{ ...copy, selected: false }] : [];
  });
  return { nodes, edges, restore };
}
