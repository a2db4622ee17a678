// The editor's top bar: back to the project, the flow's name, save state, undo/redo, run/stop, export.
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { Link } from '../app/router';
import type { AutoSaver } from './autosave';
import { useEditor } from './EditorContext';

const SAVE_LABELS = { saved: 'Saved', unsaved: 'Unsaved changes', saving: 'Saving…', error: 'Not saved' } as const;

const RUN_LABELS = { idle: '', starting: 'Starting…', running: 'Running…', done: 'Run finished', failed: 'Run failed', cancelled: 'Run stopped' } as const;

export type EditorPanel = 'playground' | 'api' | 'logs';

export interface ToolbarProps {
  name: string;
  backTo: string;
  saver: AutoSaver;
  onExport: () => void;
  /** The side panel open beside the canvas (the playground), if any. */
  panel: EditorPanel | null;
  onPanel: (panel: EditorPanel) => void;
  /** The flow has a Chat Input/Output or Text Input: the playground has something to show. */
  hasChat: boolean;
}

export function Toolbar({ name, backTo, saver, onExport, panel, onPanel, hasChat }: ToolbarProps): ReactNode {
  const { flow, runner, run } = useEditor();
  const save = useStore(saver.state);
  const canUndo = useStore(flow, (s) => s.canUndo);
  const canRedo = useStore(flow, (s) => s.canRedo);
  const status = useStore(runner.store, (s) => s.run.status);
  const runError = useStore(runner.store, (s) => s.run.error);
  const flowId = useStore(flow, (s) => s.flowId);
  const busy = status === 'starting' || status === 'running';
  return (
    <div className="editor-toolbar">
      <Link to={backTo} className="back-link" aria-label="Back to the project">
        ←
      </Link>
      <h1 className="flow-name" title={name}>
        {name}
      </h1>
      <span className={`save-status ${save.status}`} data-testid="save-status" role="status" title={save.error}>
        {SAVE_LABELS[save.status]}
        {save.status === 'error' && save.error ? ` — ${save.error}; retrying` : ''}
      </span>
      <span className="toolbar-spacer" />
      {flowId ? (
        <Link to={`/flow/${flowId}/traces`} className="toolbar-link" title="This flow's runs: spans, time, tokens, errors">
          Traces
        </Link>
      ) : null}
      <button type="button" onClick={() => flow.getState().undo()} disabled={!canUndo} title="Undo (Ctrl/Cmd+Z)">
        Undo
      </button>
      <button type="button" onClick={() => flow.getState().redo()} disabled={!canRedo} title="Redo (Ctrl/Cmd+Shift+Z)">
        Redo
      </button>
      <button type="button" onClick={onExport} title="Download the flow as Langflow JSON">
        Export
      </button>
      <button type="button" aria-pressed={panel === 'playground'} onClick={() => onPanel('playground')} disabled={!hasChat && panel !== 'playground'} title={hasChat ? 'Chat with the flow' : 'Add a Chat Input or Chat Output to chat with the flow'}>
        Playground
      </button>
      <button type="button" aria-pressed={panel === 'api'} onClick={() => onPanel('api')} title="Code that runs this flow over the API">
        API
      </button>
      <button type="button" aria-pressed={panel === 'logs'} onClick={() => onPanel('logs')} title="Recent runs of this flow">
        Logs
      </button>
      <span className={`run-status ${status}`} data-testid="run-state" role="status">
        {RUN_LABELS[status]}
        {status === 'failed' && runError ? `: ${runError}` : ''}
      </span>
      {busy ? (
        <button type="button" className="danger" onClick={() => void runner.stop()}>
          Stop
        </button>
      ) : (
        <button type="button" className="primary" onClick={() => run()}>
          ▶ Run
        </button>
      )}
    </div>
  );
}
