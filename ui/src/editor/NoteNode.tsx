// Langflow's sticky notes (`noteNode`): the text in `data.node.description` on the colour in
// `data.node.template.backgroundColor`; double-click to edit, drag the corner to resize.
import { NodeResizer, type NodeProps } from '@xyflow/react';
import { memo, useState, type ReactNode } from 'react';
import { useEditor } from './EditorContext';
import type { CanvasNode } from './flow-io';

const COLORS: Record<string, string> = {
  neutral: '#f1f5f9',
  transparent: 'transparent',
  amber: '#fef3c7',
  yellow: '#fef9c3',
  red: '#fee2e2',
  rose: '#ffe4e6',
  blue: '#dbeafe',
  sky: '#e0f2fe',
  lime: '#ecfccb',
  green: '#dcfce7',
  emerald: '#d1fae5',
  violet: '#ede9fe',
  purple: '#f3e8ff',
  pink: '#fce7f3',
  indigo: '#e0e7ff',
};

export const NoteNode = memo(function NoteNode({ id, data, selected }: NodeProps<CanvasNode>): ReactNode {
  const { flow } = useEditor();
  const [editing, setEditing] = useState(false);
  const body = data.node ?? {};
  const text = typeof body.description === 'string' ? body.description : '';
  const color = (body.template as { backgroundColor?: string } | undefined)?.backgroundColor ?? 'neutral';
  const background = COLORS[color] ?? (color.startsWith('#') ? color : COLORS.neutral);
  return (
    <div className={`note-node${selected ? ' selected' : ''}`} style={{ background }} data-testid="note-node" onDoubleClick={() => setEditing(true)}>
      <NodeResizer isVisible={selected} minWidth={160} minHeight={80} />
      {editing ? (
        <textarea
          className="nodrag nowheel note-editor"
          aria-label="Note text"
          autoFocus
          value={text}
          onChange={(e) => flow.getState().updateNode(id, (n) => ({ ...n, data: { ...n.data, node: { ...n.data.node, description: e.target.value } } }), `note:${id}`)}
          onBlur={() => setEditing(false)}
        />
      ) : (
        <div className="note-text">{text || 'Double-click to write a note'}</div>
      )}
    </div>
  );
});

/** A node whose React Flow type Weft does not know: shown, kept as is, never run. */
export const UnknownNode = memo(function UnknownNode({ data, selected }: NodeProps<CanvasNode>): ReactNode {
  const name = data.node?.display_name || String(data.type ?? 'Unknown node');
  return (
    <div className={`flow-node unknown${selected ? ' selected' : ''}`} data-testid="flow-node">
      <header className="node-header">
        <span className="node-title">{name}</span>
      </header>
      <p className="node-warning" role="note">
        A kind of node Weft does not know; it is kept as is.
      </p>
    </div>
  );
});
