// Langflow's traces API (`/api/v1/monitor/traces`): a flow's runs, one run's span tree, deletion.
import { api } from './http';

export type SpanStatus = 'unset' | 'ok' | 'error';

export interface TraceSummary {
  id: string;
  name: string;
  status: SpanStatus;
  startTime: string;
  totalLatencyMs: number;
  totalTokens: number;
  flowId: string;
  sessionId: string;
  input: { input_value?: unknown } | null;
  output: Record<string, unknown> | null;
}

export interface TraceSpan {
  id: string;
  name: string;
  type: string;
  status: SpanStatus;
  startTime: string;
  endTime: string | null;
  latencyMs: number;
  inputs: Record<string, unknown>;
  outputs: Record<string, unknown>;
  error: string | null;
  modelName: string | null;
  tokenUsage: { promptTokens: number; completionTokens: number; totalTokens: number; estimated?: boolean } | null;
  children: TraceSpan[];
}

export interface TraceDetail extends TraceSummary {
  endTime: string | null;
  spans: TraceSpan[];
}

export interface TraceFilters {
  status: '' | SpanStatus;
  sessionId: string;
  query: string;
}

export const tracesApi = {
  list: (flowId: string, filters: TraceFilters, page: number, size: number) => {
    const params = new URLSearchParams({ flow_id: flowId, page: String(page), size: String(size) });
    if (filters.status) params.set('status', filters.status);
    if (filters.sessionId.trim()) params.set('session_id', filters.sessionId.trim());
    if (filters.query.trim()) params.set('query', filters.query.trim());
    return api<{ traces: TraceSummary[]; total: number; pages: number }>(`/api/v1/monitor/traces?${params}`);
  },
  get: (id: string) => api<TraceDetail>(`/api/v1/monitor/traces/${id}`),
  remove: (id: string) => api<void>(`/api/v1/monitor/traces/${id}`, { method: 'DELETE' }),
  removeAll: (flowId: string) => api<void>(`/api/v1/monitor/traces?flow_id=${flowId}`, { method: 'DELETE' }),
};
