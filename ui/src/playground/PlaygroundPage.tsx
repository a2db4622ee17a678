// The playground as a page of its own: `/flow/{id}/playground` for the flow's owner (the stored flow
// runs), and the body of the public `/playground/{id}` page.
import { useState, type ReactNode } from 'react';
import { useFlow } from '../api/queries';
import type { Flow } from '../api/types';
import { Link } from '../app/router';
import type { SavedFlowData } from '../editor/flow-types';
import { createRunner } from '../editor/run';
import { flowIo } from './flow-io';
import { Playground } from './Playground';

export function FlowPlayground({ flow, isPublic }: { flow: Flow; isPublic: boolean }): ReactNode {
  const [runner] = useState(() => createRunner());
  const io = flowIo(flow.data);
  return (
    <div className="pg-page">
      <div className="pg-page-head">
        {!isPublic && (
          <Link to={`/flow/${flow.id}`} className="button-link" aria-label="Back to the editor">
            ← Editor
          </Link>
        )}
        <p>
          <strong>{flow.name}</strong>
          {flow.description ? <span className="muted"> — {flow.description}</span> : null}
        </p>
      </div>
      {io.hasChat || io.textInputs.length > 0 ? (
        <Playground flowId={flow.id} runner={runner} io={io} isPublic={isPublic} layout="page" data={() => (flow.data as SavedFlowData | null) ?? null} />
      ) : (
        <p className="pg-empty">This flow has no Chat Input, Chat Output or Text Input to use here.</p>
      )}
    </div>
  );
}

export function PlaygroundPage({ flowId }: { flowId: string }): ReactNode {
  const flow = useFlow(flowId);
  if (flow.isError) {
    return (
      <main className="page-message">
        <h1>This flow could not be opened</h1>
        <p role="alert">{flow.error.message}</p>
      </main>
    );
  }
  if (!flow.data) {
    return (
      <main className="page-message" aria-busy="true">
        <p className="muted">Loading the playground…</p>
      </main>
    );
  }
  return (
    <main className="content-fill" aria-label={`Playground: ${flow.data.name}`}>
      <FlowPlayground flow={flow.data} isPublic={false} />
    </main>
  );
}
