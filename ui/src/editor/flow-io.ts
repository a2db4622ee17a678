// Saved flow JSON ⇄ what the canvas draws. A canvas node IS the saved node (React Flow's node shape is
// Langflow's), with three exceptions undone on export: a node type the canvas does not know is drawn
// as `unknownNode`, a component's saved width/height are not imposed on the drawing (Weft's node
// draws its own size), and a missing position gets one. A canvas edge carries its saved edge in
// `data.saved`, so handle strings, ids and unknown keys go back exactly as they came.
import type { Edge, Node } from '@xyflow/react';
import { outputTypes } from './compat';
import { isRecord, type NodeData, type SavedEdge, type SavedFlowData, type SavedNode, type SourceHandle, type TargetHandle, type Viewport } from './flow-types';
import { canvasHandles, edgeEnds, encodeHandle } from './handles';
import { typeColor } from './type-colors';

export const NODE_TYPES = ['genericNode', 'noteNode'] as const;
const KNOWN_TYPES = new Set<string>(NODE_TYPES);

export type CanvasNode = Node<NodeData, string>;
export interface CanvasEdgeData extends Record<string, unknown> {
  saved: SavedEdge;
  /** The types the edge carries (its colour). */
  types: string[];
}
export type CanvasEdge = Edge<CanvasEdgeData>;

/** What the canvas changed in a node's saved form, to undo on export. */
export interface NodeRestore {
  type?: string;
  width?: number;
  height?: number;
  noPosition?: boolean;
  /** The canvas gave the node a size guess (React Flow's initialWidth/initialHeight). */
  guessedSize?: boolean;
}

/** An edge that cannot be drawn (a missing node, unreadable handles): kept untouched, reported. */
export interface BrokenEdge {
  saved: SavedEdge;
  reason: string;
}

export interface CanvasFlow {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  viewport: Viewport | undefined;
  restore: Map<string, NodeRestore>;
  broken: BrokenEdge[];
  /** Keys of `data` besides nodes/edges/viewport, written back as they were. */
  rest: Record<string, unknown>;
}

const DEFAULT_VIEWPORT: Viewport = { x: 0, y: 0, zoom: 1 };

function isViewport(value: unknown): value is Viewport {
  return isRecord(value) && [value.x, value.y, value.zoom].every((n) => typeof n === 'number' && Number.isFinite(n)) && (value.zoom as number) > 0;
}

function toCanvasNode(saved: SavedNode, index: number, restore: Map<string, NodeRestore>): CanvasNode {
  const { width, height, ...rest } = saved;
  const entry: NodeRestore = {};
  const type = typeof saved.type === 'string' ? saved.type : '';
  const node = { ...rest } as CanvasNode;
  if (!KNOWN_TYPES.has(type)) {
    entry.type = saved.type;
    node.type = 'unknownNode';
  }
  if (type === 'noteNode') {
    // A note's size is its content's frame: keep it (Langflow resizes notes through style/width/height).
    if (typeof width === 'number') node.width = width;
    if (typeof height === 'number') node.height = height;
  } else {
    if (width !== undefined) entry.width = width as number;
    if (height !== undefined) entry.height = height as number;
  }
  const position = saved.position;
  if (!isRecord(position) || typeof position.x !== 'number' || typeof position.y !== 'number') {
    entry.noPosition = true;
    node.position = { x: (index % 6) * 380, y: Math.floor(index / 6) * 420 };
  }
  if (!isRecord(node.data)) node.data = {};
  // A size guess until the node is measured: React Flow counts unmeasured nodes as visible, so a large
  // flow drawn only where it is seen would otherwise mount every node once, then drop those out of view.
  if (!isRecord(saved.measured) && type !== 'noteNode') {
    node.initialWidth = 320;
    node.initialHeight = 260;
    entry.guessedSize = true;
  }
  if (Object.keys(entry).length > 0) restore.set(saved.id, entry);
  return node;
}

/** Reads a flow's `data` into canvas nodes and edges. Tolerates anything: bad parts are reported, never thrown. */
export function toCanvas(data: unknown): CanvasFlow {
  const flow = isRecord(data) ? data : {};
  const { nodes: rawNodes, edges: rawEdges, viewport, ...rest } = flow;
  const restore = new Map<string, NodeRestore>();
  const savedNodes = (Array.isArray(rawNodes) ? rawNodes : []).filter((n): n is SavedNode => isRecord(n) && typeof n.id === 'string');
  const nodes = savedNodes.map((node, index) => toCanvasNode(node, index, restore));
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const edges: CanvasEdge[] = [];
  const broken: BrokenEdge[] = [];
  for (const raw of Array.isArray(rawEdges) ? rawEdges : []) {
    if (!isRecord(raw)) continue;
    const saved = raw as SavedEdge;
    const drawn = toCanvasEdge(saved, byId);
    if ('reason' in drawn) broken.push({ saved, reason: drawn.reason });
    else edges.push(drawn);
  }
  return { nodes, edges, viewport: isViewport(viewport) ? viewport : undefined, restore, broken, rest };
}

function guessOutput(node: CanvasNode, types: string[] | undefined): string | undefined {
  const outputs = node.data.node?.outputs ?? [];
  return (outputs.find((o) => outputTypes(o).some((t) => types?.includes(t))) ?? outputs[0])?.name;
}

function toCanvasEdge(saved: SavedEdge, byId: Map<string, CanvasNode>): CanvasEdge | { reason: string } {
  const from = byId.get(saved.source);
  const to = byId.get(saved.target);
  if (!from) return { reason: `its source component ${saved.source} is not in the flow` };
  if (!to) return { reason: `its target component ${saved.target} is not in the flow` };
  const ends = edgeEnds(saved);
  if (!ends) return { reason: 'its handles cannot be read' };
  const source = ends.source.name ? ends.source : { ...ends.source, name: guessOutput(from, ends.source.output_types) };
  const handles = canvasHandles({ source, target: ends.target });
  if (!handles) return { reason: 'it names no output or field' };
  const id = typeof saved.id === 'string' && saved.id ? saved.id : `${saved.source}:${handles.sourceHandle}->${saved.target}:${handles.targetHandle}`;
  return {
    id,
    source: saved.source,
    target: saved.target,
    ...handles,
    selected: saved.selected === true,
    style: { stroke: typeColor(source.output_types) },
    data: { saved, types: Array.isArray(source.output_types) ? source.output_types : [] },
  };
}

/** The saved form of a canvas node. */
export function savedNode(node: CanvasNode, restore: ReadonlyMap<string, NodeRestore>): SavedNode {
  const entry = restore.get(node.id);
  const saved = { ...node } as SavedNode;
  if (entry?.type !== undefined) saved.type = entry.type;
  else if (entry && 'type' in entry) delete saved.type;
  if (entry?.guessedSize) {
    delete saved.initialWidth;
    delete saved.initialHeight;
  }
  if (entry?.width !== undefined) saved.width = entry.width;
  if (entry?.height !== undefined) saved.height = entry.height;
  return saved;
}

/** The saved form of a canvas edge: its saved edge with the canvas's selection. */
export function savedEdge(edge: CanvasEdge): SavedEdge {
  const saved = edge.data?.saved ?? { source: edge.source, target: edge.target };
  const copy: SavedEdge = { ...saved, source: edge.source, target: edge.target };
  if ('selected' in saved || edge.selected) copy.selected = edge.selected === true;
  return copy;
}

/** The flow's `data` as Langflow saves it, from what the canvas holds. */
export function toSaved(flow: Pick<CanvasFlow, 'nodes' | 'edges' | 'restore' | 'broken' | 'rest'> & { viewport: Viewport | undefined }): SavedFlowData {
  return {
    ...flow.rest,
    nodes: flow.nodes.map((node) => savedNode(node, flow.restore)),
    edges: [...flow.edges.map(savedEdge), ...flow.broken.map((b) => b.saved)],
    viewport: flow.viewport ?? DEFAULT_VIEWPORT,
  };
}

/** A new edge in Langflow's form (what its frontend writes after a connection). */
export function newEdge(source: string, target: string, sourceHandle: SourceHandle, targetHandle: TargetHandle, canvas: { sourceHandle: string; targetHandle: string }): CanvasEdge {
  const sourceString = encodeHandle(sourceHandle);
  const targetString = encodeHandle(targetHandle);
  const id = `xy-edge__${source}${sourceString}-${target}${targetString}`;
  const saved: SavedEdge = {
    id,
    source,
    target,
    sourceHandle: sourceString,
    targetHandle: targetString,
    data: { sourceHandle, targetHandle },
    animated: false,
    className: '',
    selected: false,
  };
  return { id, source, target, ...canvas, style: { stroke: typeColor(sourceHandle.output_types) }, data: { saved, types: sourceHandle.output_types ?? [] } };
}

/** A copy of a saved edge between renamed nodes: handles, strings and id follow the new ids. */
export function remapEdge(edge: CanvasEdge, ids: ReadonlyMap<string, string>): CanvasEdge | undefined {
  const source = ids.get(edge.source);
  const target = ids.get(edge.target);
  if (!source || !target || !edge.data) return undefined;
  const ends = edgeEnds(edge.data.saved);
  if (!ends) return undefined;
  const { saved } = edge.data;
  const copy = newEdge(source, target, { ...ends.source, id: source }, { ...ends.target, id: target }, { sourceHandle: edge.sourceHandle ?? '', targetHandle: edge.targetHandle ?? '' });
  // Keys Weft does not know (Langflow's className, animated, styles) come along.
  const { id: _id, source: _s, target: _t, sourceHandle: _sh, targetHandle: _th, data: _d, selected: _sel, ...unknown } = saved;
  copy.data!.saved = { ...unknown, ...copy.data!.saved, data: { ...(isRecord(saved.data) ? saved.data : {}), ...copy.data!.saved.data } };
  return copy;
}

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Langflow's node ids: the component type, a dash, five random letters or digits. */
export function newNodeId(type: string, taken: (id: string) => boolean): string {
  for (;;) {
    let suffix = '';
    const bytes = crypto.getRandomValues(new Uint8Array(5));
    for (const byte of bytes) suffix += ID_ALPHABET[byte % ID_ALPHABET.length];
    const id = `${type || 'node'}-${suffix}`;
    if (!taken(id)) return id;
  }
}
