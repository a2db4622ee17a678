// The canvas: React Flow over the flow store. Connections are checked while dragged (a refused drop
// says why), components dropped from the sidebar land where they are dropped, and the keyboard
// shortcuts act on the selection.
import {
  Background,
  Controls,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type Connection as FlowConnection,
  type Edge,
  type FinalConnectionState,
  type NodeTypes,
} from '@xyflow/react';
import { useCallback, useEffect, useState, type DragEvent, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { nodeFromCatalog } from './catalog';
import { parsePayload, type SelectionPayload } from './clipboard';
import { checkConnection } from './compat';
import { useEditor } from './EditorContext';
import type { CanvasEdge, CanvasNode } from './flow-io';
import { GenericNode } from './GenericNode';
import { NoteNode, UnknownNode } from './NoteNode';
import { isTyping, shortcutOf } from './shortcuts';
import { typeColor } from './type-colors';

const nodeTypes: NodeTypes = { genericNode: GenericNode, noteNode: NoteNode, unknownNode: UnknownNode };
export const COMPONENT_MIME = 'application/x-weft-component';
const DEFAULT_VIEWPORT = { x: 0, y: 0, zoom: 1 };
/** Node count above which only the nodes in view are drawn. */
export const VIRTUALIZE_ABOVE = 80;

/** The last copied selection, shared by every flow opened in this tab (copy in one flow, paste in another). */
let clipboard: SelectionPayload | undefined;

export function Canvas({ onSave }: { onSave: () => void }): ReactNode {
  const { flow, catalog, notify } = useEditor();
  const nodes = useStore(flow, (s) => s.nodes);
  const edges = useStore(flow, (s) => s.edges);
  // The saved viewport only places the first view; React Flow owns it afterwards.
  const [viewport] = useState(() => flow.getState().viewport);
  const onNodesChange = useStore(flow, (s) => s.onNodesChange);
  const onEdgesChange = useStore(flow, (s) => s.onEdgesChange);
  const { screenToFlowPosition, getViewport } = useReactFlow();
  // A flow saved without a viewport is fitted once when it opens — unless it is empty: React Flow fits
  // on the first nodes it measures, which would zoom onto the first component dropped.
  const [fitOnOpen] = useState(() => !viewport && nodes.length > 0);
  // Large flows draw only the nodes in view: every drawn node is dozens of form controls (text areas are
  // scrollers Chromium composites one by one), so 500 of them made each frame of a pan take ~0.5 s.
  const virtual = nodes.length > VIRTUALIZE_ABOVE;

  const isValidConnection = useCallback(
    (connection: FlowConnection | Edge) => {
      const { nodes: all, edges: current } = flow.getState();
      const { source, target, sourceHandle, targetHandle } = connection;
      return checkConnection({ source, target, sourceHandle, targetHandle }, (id) => all.find((n) => n.id === id), current).ok;
    },
    [flow],
  );

  const onConnect = useCallback(
    (connection: FlowConnection) => {
      const result = flow.getState().connect(connection);
      if (!result.ok) notify(result.reason, 'error');
    },
    [flow, notify],
  );

  /** A drop on a handle that was refused: say why. */
  const onConnectEnd = useCallback(
    (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
      if (state.isValid || !state.fromHandle || !state.toHandle) return;
      const [from, to] = state.fromHandle.type === 'source' ? [state.fromHandle, state.toHandle] : [state.toHandle, state.fromHandle];
      const { nodes: all, edges: current } = flow.getState();
      const result = checkConnection({ source: from.nodeId, sourceHandle: from.id, target: to.nodeId, targetHandle: to.id }, (id) => all.find((n) => n.id === id), current);
      if (!result.ok) notify(`Cannot connect: ${result.reason}`, 'error');
    },
    [flow, notify],
  );

  const onDrop = useCallback(
    (event: DragEvent) => {
      const key = event.dataTransfer.getData(COMPONENT_MIME);
      const item = key ? catalog()?.byType.get(key) : undefined;
      if (!item) return;
      event.preventDefault();
      const position = screenToFlowPosition({ x: event.clientX, y: event.clientY });
      const taken = new Set(flow.getState().nodes.map((n) => n.id));
      flow.getState().addNodes([nodeFromCatalog(item, position, (id) => taken.has(id))]);
    },
    [catalog, flow, screenToFlowPosition],
  );

  // Shortcuts on the whole page while the editor is open (React Flow's own delete key is off: the
  // store deletes nodes and their edges as one undo step).
  useEffect(() => {
    const mac = /Mac|iPhone|iPad/.test(navigator.platform);
    let pasteHandled = false;
    function pasteAt(payload: SelectionPayload): void {
      const { x, y, zoom } = getViewport();
      const box = document.querySelector('.react-flow')?.getBoundingClientRect();
      const centre = box ? { x: (box.width / 2 - x) / zoom - 150, y: (box.height / 2 - y) / zoom - 100 } : undefined;
      flow.getState().paste(payload, centre);
    }
    function onKeyDown(event: KeyboardEvent): void {
      if (isTyping(event.target)) return;
      const action = shortcutOf(event, mac);
      if (!action) return;
      const state = flow.getState();
      switch (action) {
        case 'delete':
          if (state.deleteSelection()) event.preventDefault();
          return;
        case 'undo':
          event.preventDefault();
          state.undo();
          return;
        case 'redo':
          event.preventDefault();
          state.redo();
          return;
        case 'copy': {
          const payload = state.copy();
          if (payload) clipboard = payload; // the copy event puts it on the system clipboard
          return;
        }
        case 'paste':
          // The paste event brings the system clipboard; without one (no permission), the last copy.
          pasteHandled = false;
          setTimeout(() => {
            if (!pasteHandled && clipboard) pasteAt(clipboard);
          }, 60);
          return;
        case 'duplicate':
          event.preventDefault();
          state.duplicate();
          return;
        case 'save':
          event.preventDefault();
          onSave();
          return;
      }
    }
    function onCopy(event: ClipboardEvent): void {
      if (isTyping(event.target) || (window.getSelection()?.toString() ?? '') !== '') return;
      const payload = flow.getState().copy();
      if (!payload || !event.clipboardData) return;
      clipboard = payload;
      event.clipboardData.setData('text/plain', JSON.stringify(payload));
      event.preventDefault();
    }
    function onPaste(event: ClipboardEvent): void {
      if (isTyping(event.target)) return;
      const payload = parsePayload(event.clipboardData?.getData('text/plain') ?? '') ?? clipboard;
      if (!payload) return;
      pasteHandled = true;
      event.preventDefault();
      pasteAt(payload);
    }
    window.addEventListener('keydown', onKeyDown);
    document.addEventListener('copy', onCopy);
    document.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKeyDown);
      document.removeEventListener('copy', onCopy);
      document.removeEventListener('paste', onPaste);
    };
  }, [flow, getViewport, onSave]);

  return (
    <div className="canvas" onDragOver={(e) => e.dataTransfer.types.includes(COMPONENT_MIME) && e.preventDefault()} onDrop={onDrop}>
      <ReactFlow<CanvasNode, CanvasEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        isValidConnection={isValidConnection}
        defaultViewport={viewport ?? DEFAULT_VIEWPORT}
        fitView={fitOnOpen}
        onMoveEnd={(event, next) => flow.getState().setViewport(next, event !== null)}
        deleteKeyCode={null}
        multiSelectionKeyCode={['Meta', 'Control']}
        selectionKeyCode="Shift"
        minZoom={0.05}
        maxZoom={3}
        connectionRadius={24}
        onlyRenderVisibleElements={virtual}
      >
        <Background gap={20} />
        <Controls />
        <MiniMap pannable zoomable nodeColor={(node) => (node.type === 'noteNode' ? '#fde68a' : typeColor((node as CanvasNode).data.node?.outputs?.[0]?.types))} />
      </ReactFlow>
    </div>
  );
}
