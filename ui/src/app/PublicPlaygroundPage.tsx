// `/playground/{id}`: a public flow's page, open to signed-out visitors (Langflow's shareable
// playground). The flow is read from GET /api/v1/flows/public_flow/{id}; messages run it through
// POST /api/v1/build_public_tmp/{id}/flow, which runs the stored flow, never client-sent data.
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from '../api/http';
import type { Flow } from '../api/types';
import { FlowPlayground } from '../playground/PlaygroundPage';

/** The query key's first part for a public flow: kept when a session ends (see App). */
export const PUBLIC_FLOW_QUERY = 'public-flow';

/** Langflow's visitor id: the public build keys the visitor's run (and its messages) by this cookie. */
function ensureClientId(): void {
  if (/(?:^|;\s*)client_id=/.test(document.cookie)) return;
  document.cookie = `client_id=${crypto.randomUUID()}; path=/; SameSite=Lax; max-age=${60 * 60 * 24 * 365}`;
}

export function PublicPlaygroundPage({ flowId }: { flowId: string }): ReactNode {
  const flow = useQuery({ queryKey: [PUBLIC_FLOW_QUERY, flowId], queryFn: () => api<Flow>(`/api/v1/flows/public_flow/${encodeURIComponent(flowId)}`, { noRetry: true }) });
  if (flow.data) {
    ensureClientId();
    return (
      <main className="public-playground" aria-label={`Playground: ${flow.data.name}`}>
        <FlowPlayground flow={flow.data} isPublic />
      </main>
    );
  }
  return (
    <main className="page-message" aria-busy={flow.isPending}>
      {flow.isPending && <p className="muted">Loading…</p>}
      {flow.isError && (
        <>
          <h1>This playground is not available</h1>
          <p role="alert">{flow.error.message}</p>
        </>
      )}
    </main>
  );
}
