// The one store of the flow being edited: nodes, edges, viewport, what changed since the last save,
// and undo/redo. Server data (the flow as stored, the component catalog) lives in react-query; this
// holds only the working copy. Every edit replaces the arrays it touches (never mutates), so history
// snapshots share unchanged nodes and React Flow re-renders only what changed.
import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from '@xyflow/react';
import { createStore } from 'zustand/vanilla';
import { copySelection, preparePaste, type SelectionPayload } from './clipboard';
import { checkConnection, type Connection, type ConnectionCheck } from './compat';
import type { NodeBody, SavedFlowData, TemplateField, Viewport } from './flow-types';
import { parseCanvasHandle } from './handles';
import { newEdge, toCanvas, toSaved, type BrokenEdge, type CanvasEdge, type CanvasNode, type NodeRestore } from './flow-io';
import { History } from './history';

interface Graph {
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  restore: Map<string, NodeRestore>;
  broken: BrokenEdge[];
}

export interface FlowState extends Graph {
  flowId: string | null;
  viewport: Viewport | undefined;
  rest: Record<string, unknown>;
  /** Bumped by every change that is saved; `savedRevision` is the last one the server has. */
  revision: number;
  savedRevision: number;
  canUndo: boolean;
  canRedo: boolean;
  /** The user moved the view since the last save: saved with the next change, or on leaving. */
  viewportMoved: boolean;
}

export interface FlowActions {
  load(flowId: string, data: unknown): void;
  onNodesChange(changes: NodeChange<CanvasNode>[]): void;
  onEdgesChange(changes: EdgeChange<CanvasEdge>[]): void;
  connect(connection: Connection): ConnectionCheck;
  setField(nodeId: string, field: string, patch: Partial<TemplateField>): void;
  updateNode(nodeId: string, update: (node: CanvasNode) => CanvasNode, key?: string): void;
  addNodes(nodes: CanvasNode[]): void;
  deleteSelection(): boolean;
  dropBrokenEdges(): void;
  copy(): SelectionPayload | undefined;
  paste(payload: SelectionPayload, at?: { x: number; y: number }): void;
  duplicate(): void;
  undo(): void;
  redo(): void;
  setViewport(viewport: Viewport, byUser: boolean): void;
  markSaved(revision: number): void;
  /** Marks the flow as changed without an edit (a moved view to save on leaving). */
  touch(): void;
  saved(): SavedFlowData;
}

export type FlowStore = ReturnType<typeof createFlowStore>;

const EMPTY: FlowState = {
  flowId: null,
  nodes: [],
  edges: [],
  restore: new Map(),
  broken: [],
  viewport: undefined,
  rest: {},
  revision: 0,
  savedRevision: 0,
  canUndo: false,
  canRedo: false,
  viewportMoved: false,
};

function handlesExist(node: CanvasNode, edge: CanvasEdge): boolean {
  const body = node.data.node;
  if (edge.source === node.id) {
    const out = parseCanvasHandle(edge.sourceHandle);
    if (!out || !(body?.outputs ?? []).some((o) => o.name === out.name)) return false;
  }
  if (edge.target === node.id) {
    const into = parseCanvasHandle(edge.targetHandle);
    if (!into) return false;
    if (into.kind === 'loop') return (body?.outputs ?? []).some((o) => o.name === into.name);
    return !!body?.template && Object.hasOwn(body.template, into.name);
  }
  return true;
}

/** Node changes that only reflect the drawing (measured sizes, selection): never saved, never undone. */
function isPassive(change: NodeChange<CanvasNode> | EdgeChange<CanvasEdge>): boolean {
  return change.type === 'select' || (change.type === 'dimensions' && !change.setAttributes);
}

export function createFlowStore(options: { historyLimit?: number } = {}) {
  const history = new History<Graph>({ limit: options.historyLimit ?? 100 });
  /** A drag in progress already recorded its starting state. */
  let dragging = false;

  return createStore<FlowState & FlowActions>()((set, get) => {
    const graph = (): Graph => {
      const { nodes, edges, restore, broken } = get();
      return { nodes, edges, restore, broken };
    };
    const flags = () => ({ canUndo: history.canUndo, canRedo: history.canRedo });
    /** Applies an edit: records the state before it (unless `record` is false) and marks it unsaved. */
    const edit = (change: Partial<Graph>, key: string | null = null, record = true) => {
      if (record) history.record(graph(), key);
      set((state) => ({ ...change, revision: state.revision + 1, ...flags() }));
    };

    return {
      ...EMPTY,

      load(flowId, data) {
        const canvas = toCanvas(data);
        history.clear();
        dragging = false;
        set({ ...EMPTY, flowId, nodes: canvas.nodes, edges: canvas.edges, restore: canvas.restore, broken: canvas.broken, viewport: canvas.viewport, rest: canvas.rest });
      },

      onNodesChange(changes) {
        if (changes.every(isPassive)) {
          set((state) => ({ nodes: applyNodeChanges(changes, state.nodes) }));
          return;
        }
        const moving = changes.some((c) => c.type === 'position' && c.dragging === true);
        const dropped = changes.some((c) => c.type === 'position' && c.dragging === false);
        if (moving && !dragging) {
          history.record(graph(), null);
          dragging = true;
        }
        const nodes = applyNodeChanges(changes, get().nodes);
        if (moving) {
          set({ nodes, ...flags() });
          return;
        }
        // A drag's end saves the move it recorded at its start; any other change is its own step.
        const record = !(dropped && dragging);
        dragging = false;
        const removed = new Set(changes.flatMap((c) => (c.type === 'remove' ? [c.id] : [])));
        const edges = removed.size > 0 ? get().edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)) : get().edges;
        edit({ nodes, edges }, null, record);
      },

      onEdgesChange(changes) {
        const edges = applyEdgeChanges(changes, get().edges);
        if (changes.every(isPassive)) set({ edges });
        else edit({ edges });
      },

      connect(connection) {
        const { nodes, edges } = get();
        const byId = new Map(nodes.map((n) => [n.id, n]));
        const check = checkConnection(connection, (id) => byId.get(id), edges);
        if (check.ok) {
          const edge = newEdge(connection.source!, connection.target!, check.sourceHandle, check.targetHandle, {
            sourceHandle: connection.sourceHandle!,
            targetHandle: connection.targetHandle!,
          });
          edit({ edges: [...edges, edge] });
        }
        return check;
      },

      setField(nodeId, field, patch) {
        get().updateNode(
          nodeId,
          (node) => {
            const body: NodeBody = node.data.node ?? {};
            const template = body.template ?? {};
            const current = (template[field] ?? {}) as TemplateField;
            return { ...node, data: { ...node.data, node: { ...body, template: { ...template, [field]: { ...current, ...patch } } } } };
          },
          `field:${nodeId}:${field}`,
        );
      },

      updateNode(nodeId, update, key) {
        const nodes = get().nodes;
        const index = nodes.findIndex((n) => n.id === nodeId);
        if (index < 0) return;
        const next = [...nodes];
        const node = update(nodes[index]);
        next[index] = node;
        // Edges into fields or out of outputs the update removed (a prompt variable, tool mode) go too.
        const edges = get().edges;
        const kept = edges.filter((e) => (e.source !== nodeId && e.target !== nodeId) || handlesExist(node, e));
        edit(kept.length === edges.length ? { nodes: next } : { nodes: next, edges: kept }, key ?? null);
      },

      addNodes(added) {
        if (added.length === 0) return;
        const nodes = get().nodes.map((n) => (n.selected ? { ...n, selected: false } : n));
        edit({ nodes: [...nodes, ...added] });
      },

      deleteSelection() {
        const { nodes, edges, restore } = get();
        const removed = new Set(nodes.filter((n) => n.selected && n.deletable !== false).map((n) => n.id));
        const keptEdges = edges.filter((e) => !e.selected && !removed.has(e.source) && !removed.has(e.target));
        if (removed.size === 0 && keptEdges.length === edges.length) return false;
        const keptRestore = new Map([...restore].filter(([id]) => !removed.has(id)));
        edit({ nodes: nodes.filter((n) => !removed.has(n.id)), edges: keptEdges, restore: keptRestore });
        return true;
      },

      dropBrokenEdges() {
        if (get().broken.length > 0) edit({ broken: [] });
      },

      copy() {
        const { nodes, edges, restore } = get();
        return copySelection(nodes, edges, restore);
      },

      paste(payload, at) {
        const { nodes, edges, restore } = get();
        const taken = new Set(nodes.map((n) => n.id));
        const pasted = preparePaste(payload, (id) => taken.has(id), at ? { at } : { offset: 40 });
        if (pasted.nodes.length === 0) return;
        edit({
          nodes: [...nodes.map((n) => (n.selected ? { ...n, selected: false } : n)), ...pasted.nodes],
          edges: [...edges.map((e) => (e.selected ? { ...e, selected: false } : e)), ...pasted.edges],
          restore: new Map([...restore, ...pasted.restore]),
        });
      },

      duplicate() {
        const payload = get().copy();
        if (payload) get().paste(payload);
      },

      undo() {
        const previous = history.undo(graph());
        if (previous) set((state) => ({ ...previous, revision: state.revision + 1, ...flags() }));
      },

      redo() {
        const next = history.redo(graph());
        if (next) set((state) => ({ ...next, revision: state.revision + 1, ...flags() }));
      },

      // Panning and zooming are not edits: saving the flow on every pan would PATCH the whole graph while
      // the user looks around (Langflow saves the view along with the flow too).
      setViewport(viewport, byUser) {
        set({ viewport, viewportMoved: byUser || get().viewportMoved });
      },

      markSaved(revision) {
        set((state) => ({ savedRevision: Math.max(state.savedRevision, revision), viewportMoved: false }));
      },

      touch() {
        set((state) => ({ revision: state.revision + 1 }));
      },

      saved() {
        const { nodes, edges, restore, broken, rest, viewport } = get();
        return toSaved({ nodes, edges, restore, broken, rest, viewport });
      },
    };
  });
}
