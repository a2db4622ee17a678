// One field row of a component node: its input handle (coloured by type) on the node's left edge,
// its label, and its widget — hidden while an edge feeds the field, as Langflow does.
import { Handle, Position } from '@xyflow/react';
import { memo, useCallback, type ReactNode } from 'react';
import type { FieldView } from './fields';
import { BoolWidget, CodeWidget, DropdownWidget, ListWidget, MultilineWidget, NumberWidget, ReadonlyWidget, SecretWidget, SliderWidget, TabWidget, TextWidget, type WidgetProps } from './fields/BasicFields';
import { DictWidget, FileWidget, ModelWidget, TableWidget } from './fields/StructuredFields';
import { handleId } from './handles';
import { typeColor } from './type-colors';
import { useEditor } from './EditorContext';
import { usePromptCheck } from './prompt-check';

const WIDGETS: Partial<Record<FieldView['kind'], (props: WidgetProps) => ReactNode>> = {
  text: TextWidget,
  multiline: MultilineWidget,
  secret: SecretWidget,
  int: NumberWidget,
  float: NumberWidget,
  slider: SliderWidget,
  bool: BoolWidget,
  dropdown: DropdownWidget,
  tab: TabWidget,
  list: ListWidget,
  code: CodeWidget,
  readonly: ReadonlyWidget,
  dict: DictWidget,
  table: TableWidget,
  model: ModelWidget,
};

interface Props {
  nodeId: string;
  nodeLabel: string;
  view: FieldView;
  connected: boolean;
  /** The field is a prompt template: its variables become fields (checked by the server). */
  prompt: boolean;
}

export const NodeField = memo(function NodeField({ nodeId, nodeLabel, view, connected, prompt }: Props): ReactNode {
  const { flow, flowId } = useEditor();
  const promptCheck = usePromptCheck(nodeId, view.name, prompt);
  const change = useCallback(
    (patch: Record<string, unknown>) => {
      flow.getState().setField(nodeId, view.name, patch);
      if (prompt && typeof patch.value === 'string') promptCheck.schedule(patch.value);
    },
    [flow, nodeId, view.name, prompt, promptCheck],
  );
  const label = `${nodeLabel} ${view.label}`;
  const Widget = WIDGETS[view.kind];
  const color = typeColor(view.types);
  return (
    <div className={`node-field kind-${view.kind}`} data-field={view.name}>
      {view.handle && (
        <Handle
          type="target"
          position={Position.Left}
          id={handleId.field(view.name)}
          className="field-handle"
          style={{ background: color, borderColor: color }}
          title={`${view.label}: accepts ${view.types.join(', ')}`}
        />
      )}
      <div className="field-label" title={view.info || undefined}>
        {view.label}
        {view.required && (
          <>
            <span className="required" aria-hidden="true">
              {' '}*
            </span>
            <span className="visually-hidden"> (required)</span>
          </>
        )}
      </div>
      {connected ? (
        <div className="field-connected muted">Connected</div>
      ) : view.kind === 'file' ? (
        <FileWidget view={view} change={change} label={label} flowId={flowId} />
      ) : Widget ? (
        <Widget view={view} change={change} label={label} />
      ) : null}
      {promptCheck.error && (
        <p className="field-error" role="alert">
          {promptCheck.error}
        </p>
      )}
    </div>
  );
});
