// A component on the canvas, drawn from its saved template: header (icon, name, run state), the
// description, fields by kind with their input handles, the advanced toggle, tool mode, and one
// output handle per output. A type Weft does not have is drawn from its template too, clearly marked.
import { Handle, Position, useNodeConnections, useUpdateNodeInternals, type NodeProps } from '@xyflow/react';
import { memo, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { outputTypes } from './compat';
import { useEditor } from './EditorContext';
import { useKnownType } from './use-catalog';
import { fieldView, nodeFields, splitAdvanced, supportsToolMode } from './fields';
import type { CanvasNode } from './flow-io';
import { handleId } from './handles';
import { Icon } from './icons';
import { NodeField } from './NodeField';
import { NodeRunBadge } from './NodeRunBadge';
import { isToolMode, withToolMode } from './tool-mode';
import { typeColor } from './type-colors';
import { CodeEditorDialog } from './custom/CodeEditorDialog';
import { customCodeOf } from './custom/custom-code';

/** Langflow's PromptInput: its `{variables}` become fields. */
function isPromptField(field: unknown): boolean {
  const f = field as { type?: unknown; _input_type?: unknown } | undefined;
  return f?.type === 'prompt' || f?._input_type === 'PromptInput';
}

export const GenericNode = memo(function GenericNode({ id, data, selected }: NodeProps<CanvasNode>): ReactNode {
  const editor = useEditor();
  const { catalog, flow, notify, runner } = editor;
  const [showAdvanced, setShowAdvanced] = useState(false);
  const body = data.node;
  const type = String(data.type ?? '');
  const name = body?.display_name || type || id;
  const inner = body?.flow?.data?.nodes;
  const isGroup = Array.isArray(inner);
  const customCode = customCodeOf(body);
  // A custom component defines itself: its code travels in the node.
  const known = useKnownType(type) || isGroup || customCode !== null;
  const [editingCode, setEditingCode] = useState(false);
  const run = useStore(runner.store, (s) => s.run.nodes[id]);

  const targets = useNodeConnections({ handleType: 'target' });
  const connectedKey = targets.map((c) => c.targetHandle ?? '').sort().join('|');
  const connected = useMemo(() => new Set(connectedKey.split('|').filter(Boolean).map((h) => h.replace(/^in:/, ''))), [connectedKey]);
  const { main, advanced } = useMemo(() => {
    const fields = nodeFields(body);
    // A connected field that is not shown still needs its handle, or the edge could not be drawn.
    for (const name of connected) {
      if (fields.some((f) => f.name === name)) continue;
      const view = fieldView(name, { ...(body?.template?.[name] as object), show: true });
      if (view) fields.push({ ...view, handle: true });
    }
    return splitAdvanced(fields, connected);
  }, [body, connected]);

  const toolMode = isToolMode(body);
  const canToolMode = known && !isGroup && supportsToolMode(body);
  function toggleToolMode(): void {
    if (!body) return;
    // A custom component's declared outputs travel in its node (`metadata.weft_outputs`).
    const declared = (body.metadata as { weft_outputs?: { name: string; display_name?: string; types: string[] }[] } | undefined)?.weft_outputs;
    const ownOutputs = customCode !== null && declared ? declared.map((o) => ({ name: o.name, display_name: o.display_name ?? o.name, types: o.types, selected: o.types[0] ?? null, method: o.name, value: '__UNDEFINED__', cache: true, tool_mode: true })) : undefined;
    const next = withToolMode(body, !toolMode, ownOutputs ?? catalog()?.byType.get(type)?.body.outputs);
    if (!next) {
      notify(`${name}: its outputs are not in Weft's catalog, so tool mode cannot be switched off here.`, 'error');
      return;
    }
    flow.getState().updateNode(id, (n) => ({ ...n, data: { ...n.data, node: next } }));
  }

  const outputs = (body?.outputs ?? []).filter((o) => o.hidden !== true);
  // React Flow measures handles when a node resizes; a swap that keeps the size (tool mode trades one output
  // for another) must ask for a new measure, or edges could not start from the new handle.
  const updateNodeInternals = useUpdateNodeInternals();
  const handleKey = [...outputs.map((o) => o.name), ...main.filter((f) => f.handle).map((f) => f.name), showAdvanced].join('|');
  const measuredKey = useRef(handleKey);
  useEffect(() => {
    if (measuredKey.current === handleKey) return; // the first measure is React Flow's own
    measuredKey.current = handleKey;
    updateNodeInternals(id);
  }, [handleKey, id, updateNodeInternals]);
  const status = run?.status ?? 'idle';
  return (
    <div className={`flow-node status-${status}${selected ? ' selected' : ''}${known ? '' : ' unknown'}${isGroup ? ' group' : ''}`} data-testid="flow-node" data-node-id={id}>
      <header className="node-header">
        <span className="node-icon">
          <Icon name={isGroup ? 'group' : body?.icon} label={name} />
        </span>
        <span className="node-title" title={type}>
          {name}
        </span>
        <NodeRunBadge nodeId={id} run={run} />
        <button type="button" className="nodrag icon-button" title="Run up to this component" aria-label={`Run up to ${name}`} onClick={() => editor.run(id)}>
          ▶
        </button>
      </header>
      {!known && (
        <p className="node-warning" role="note">
          Not available in Weft: “{type}” is kept as is, but this flow cannot run until it is replaced.
        </p>
      )}
      {customCode !== null && (
        <button type="button" className="nodrag link-button edit-code" aria-label={`Edit code of ${name}`} onClick={() => setEditingCode(true)}>
          Edit code
        </button>
      )}
      {editingCode && body && customCode !== null && (
        <CodeEditorDialog
          name={name}
          code={customCode}
          body={body}
          onClose={() => setEditingCode(false)}
          onSave={(newType, newBody) => {
            flow.getState().updateNode(id, (n) => ({ ...n, data: { ...n.data, type: newType, node: { ...newBody, metadata: { ...(newBody.metadata as object) } } } }));
            setEditingCode(false);
          }}
        />
      )}
      {isGroup && <p className="node-group-note">Group of {inner.length} components</p>}
      {body?.description && <p className="node-description">{body.description}</p>}
      {run?.status === 'failed' && run.error && (
        <p className="node-error" role="alert">
          {run.error}
        </p>
      )}
      {canToolMode && (
        <label className="tool-mode nodrag">
          <input type="checkbox" role="switch" checked={toolMode} onChange={toggleToolMode} aria-label={`Tool mode for ${name}`} /> Tool mode
        </label>
      )}
      <div className="node-fields">
        {main.map((view) => (
          <NodeField key={view.name} nodeId={id} nodeLabel={name} view={view} connected={connected.has(view.name)} prompt={isPromptField(body?.template?.[view.name])} />
        ))}
        {advanced.length > 0 && (
          <button type="button" className="nodrag advanced-toggle" aria-expanded={showAdvanced} onClick={() => setShowAdvanced((v) => !v)}>
            {showAdvanced ? 'Hide' : 'Show'} advanced ({advanced.length})
          </button>
        )}
        {showAdvanced && advanced.map((view) => <NodeField key={view.name} nodeId={id} nodeLabel={name} view={view} connected={false} prompt={false} />)}
      </div>
      <div className="node-outputs">
        {outputs.map((output) => {
          const types = outputTypes(output);
          const color = typeColor(types);
          return (
            <div className="node-output" key={output.name}>
              {output.allows_loop && (
                <Handle type="target" position={Position.Left} id={handleId.loop(output.name)} className="loop-handle" style={{ background: color, borderColor: color }} title="Loop input" />
              )}
              <span className="output-label">
                {output.display_name || output.name}
                <span className="output-types">{types.join(' | ')}</span>
              </span>
              <Handle
                type="source"
                position={Position.Right}
                id={handleId.output(output.name)}
                className="output-handle"
                style={{ background: color, borderColor: color }}
                title={`${output.display_name || output.name}: ${types.join(', ')}`}
              />
            </div>
          );
        })}
      </div>
    </div>
  );
});
