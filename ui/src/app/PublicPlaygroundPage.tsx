// `/playground/{id}`: a public flow's page, open to signed-out visitors. This shows which flow it is
// (GET /api/v1/flows/public_flow/{id}); the chat itself comes with issue 14 (ui-app).
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { api } from '../api/http';
import type { Flow } from '../api/types';

/** The query key's first part for a public flow: kept when a session ends (see App). */
export const PUBLIC_FLOW_QUERY = 'public-flow';

export function PublicPlaygroundPage({ flowId }: { flowId: string }): ReactNode {
  const flow = useQuery({ queryKey: [PUBLIC_FLOW_QUERY, flowId], queryFn: () => api<Flow>(`/api/v1/flows/public_flow/${encodeURIComponent(flowId)}`, { noRetry: true }) });
  return (
    <main className="page-message" aria-busy={flow.isPending}>
      {flow.isPending && <p className="muted">Loading…</p>}
      {flow.isError && (
        <>
          <h1>This playground is not available</h1>
          <p role="alert">{flow.error.message}</p>
        </>
      )}
      {flow.data && (
        <>
          <h1>{flow.data.name}</h1>
          {flow.data.description && <p>{flow.data.description}</p>}
        </>
      )}
    </main>
  );
}
