import { useState, type ReactNode } from 'react';
import { EMPTY_FLOW } from '../api/flows';
import { useCreateFlow, useStarterProjects } from '../api/queries';
import type { FlowData, Project } from '../api/types';
import { Dialog } from './Dialog';
import { navigate } from './router';

/** A blank flow, or a copy of one of the server's examples (`/api/v1/starter-projects/`), opened in the editor. */
export function NewFlowDialog({ project, onClose }: { project: Project; onClose: () => void }): ReactNode {
  const starters = useStarterProjects(true);
  const create = useCreateFlow();
  const [error, setError] = useState<string | null>(null);

  async function start(name: string, description: string | null, data: FlowData): Promise<void> {
    setError(null);
    try {
      const flow = await create.mutateAsync({ name, description, data: structuredClone(data), folder_id: project.id });
      onClose();
      navigate(`/flow/${flow.id}`);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    }
  }

  return (
    <Dialog title="New flow" onClose={onClose} wide>
      <div className="dialog-body">
        <ul className="template-list" aria-label="Start from">
          <li>
            <button type="button" className="template" disabled={create.isPending} onClick={() => start('New Flow', null, EMPTY_FLOW)}>
              <strong>Blank flow</strong>
              <span>Start from an empty canvas.</span>
            </button>
          </li>
          {starters.data?.map((starter) => (
            <li key={starter.name}>
              <button type="button" className="template" disabled={create.isPending} onClick={() => start(starter.name, starter.description, starter.data)}>
                <strong>{starter.name}</strong>
                <span>{starter.description ?? ''}</span>
              </button>
            </li>
          ))}
        </ul>
        {starters.isPending && <p className="muted">Loading examples…</p>}
        {starters.isError && <p className="field-error">Examples could not be loaded: {starters.error.message}</p>}
        {error && (
          <p role="alert" className="field-error">
            {error}
          </p>
        )}
      </div>
    </Dialog>
  );
}
