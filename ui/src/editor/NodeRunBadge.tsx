// A node's state in the current run: queued, running, done (with its duration), failed. "Inspect"
// opens its outputs once it has some.
import type { ReactNode } from 'react';
import { useEditor } from './EditorContext';
import type { NodeRun } from './run-state';

const LABELS = { queued: 'Queued', running: 'Running…', done: 'Done', failed: 'Failed', inactive: 'Skipped' } as const;

export function NodeRunBadge({ nodeId, run }: { nodeId: string; run: NodeRun | undefined }): ReactNode {
  const { runner } = useEditor();
  if (!run) return null;
  const text = run.status === 'done' && run.duration ? `Done · ${run.duration}` : LABELS[run.status];
  const inspectable = run.outputs && Object.keys(run.outputs).length > 0;
  return (
    <span className="run-badge-wrap">
      <span className={`run-badge ${run.status}`} role="status" data-testid="run-status">
        {text}
      </span>
      {inspectable && (
        <button type="button" className="nodrag icon-button" title="Inspect outputs" aria-label="Inspect outputs" onClick={() => runner.inspect(nodeId)}>
          ⌕
        </button>
      )}
    </span>
  );
}
