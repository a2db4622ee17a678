// Runs the flow as Langflow's editor does: POST /api/v1/build/{flow_id}/flow with the graph on the
// canvas (unsaved edits included) starts a build job, GET /api/v1/build/{job_id}/events streams its
// events (NDJSON), POST /api/v1/build/{job_id}/cancel stops it. Events fold into RunState.
import { createStore } from 'zustand/vanilla';
import { api, apiResponse } from '../api/http';
import type { SavedFlowData } from './flow-types';
import { applyBuildEvent, IDLE, settle, splitEvents, type BuildEvent, type RunState } from './run-state';

export interface RunStoreState {
  run: RunState;
  /** The node whose outputs the inspector shows. */
  inspected: string | null;
}

/** What the playground adds to a build: the chat input, its session and attachments; a public flow's route. */
export interface BuildRequest {
  inputs?: { input_value: string; session: string; type?: string };
  files?: string[];
  /** A public flow (`/playground/{id}`): Langflow's build_public_tmp, its events in the same response. */
  public?: boolean;
  /**
   * The events in the build's own response (`event_delivery=direct`): one round trip less before the
   * first event (the playground's time to first token). Stop then closes the stream, which cancels the job.
   */
  direct?: boolean;
}

export type BuildListener = (event: BuildEvent) => void;

export function createRunner() {
  const store = createStore<RunStoreState>()(() => ({ run: IDLE, inspected: null }));
  let controller: AbortController | null = null;
  let jobId: string | null = null;
  const listeners = new Set<BuildListener>();

  const update = (change: (run: RunState) => RunState) => store.setState((s) => ({ run: change(s.run) }));

  async function readEvents(response: Response, signal: AbortSignal): Promise<void> {
    const reader = response.body?.getReader();
    if (!reader) return;
    const decoder = new TextDecoder();
    let buffer = '';
    for (;;) {
      if (signal.aborted) {
        await reader.cancel().catch(() => {});
        return;
      }
      const { done, value } = await reader.read();
      buffer += decoder.decode(value, { stream: !done });
      const { events, rest } = splitEvents(done ? `${buffer}\n` : buffer);
      buffer = rest;
      for (const event of events) {
        update((run) => applyBuildEvent(run, event));
        for (const listener of listeners) listener(event);
      }
      if (done) return;
    }
  }

  return {
    store,

    /** Builds the flow (up to `stopComponentId` when given) and follows its events until it ends. */
    async start(flowId: string, data: SavedFlowData | null, stopComponentId?: string, request: BuildRequest = {}): Promise<void> {
      controller?.abort();
      const own = new AbortController();
      controller = own;
      jobId = null;
      store.setState({ run: { status: 'starting', nodes: {} } });
      try {
        const query = new URLSearchParams({ log_builds: 'true' });
        if (stopComponentId) query.set('stop_component_id', stopComponentId);
        const body: Record<string, unknown> = {};
        if (data) body.data = { nodes: data.nodes, edges: data.edges, viewport: data.viewport };
        if (request.inputs) body.inputs = request.inputs;
        if (request.files && request.files.length > 0) body.files = request.files;
        if (request.public || request.direct) {
          // A public build runs the stored flow (client data is ignored by the server).
          query.set('event_delivery', 'direct');
          const route = request.public ? 'build_public_tmp' : 'build';
          const direct = await apiResponse(`/api/v1/${route}/${encodeURIComponent(flowId)}/flow?${query}`, {
            method: 'POST',
            json: body,
            signal: own.signal,
            noRetry: request.public,
            headers: { accept: 'application/x-ndjson' },
          });
          await readEvents(direct, own.signal);
          update((run) => (run.status === 'running' || run.status === 'starting' ? settle({ ...run, status: 'failed', error: run.error ?? 'The run stopped before it finished' }) : run));
          return;
        }
        const started = await api<{ job_id: string }>(`/api/v1/build/${encodeURIComponent(flowId)}/flow?${query}`, {
          method: 'POST',
          json: body,
          signal: own.signal,
        });
        jobId = started.job_id;
        const response = await apiResponse(`/api/v1/build/${encodeURIComponent(started.job_id)}/events?event_delivery=streaming`, {
          signal: own.signal,
          headers: { accept: 'application/x-ndjson' },
        });
        await readEvents(response, own.signal);
        // A stream that ends without `end` or `error` (the server went away) does not leave nodes spinning.
        update((run) => (run.status === 'running' || run.status === 'starting' ? settle({ ...run, status: 'failed', error: run.error ?? 'The run stopped before it finished' }) : run));
      } catch (error) {
        if (own.signal.aborted) return;
        const message = error instanceof Error ? error.message : String(error);
        update((run) => settle({ ...run, status: 'failed', error: message }));
      } finally {
        if (controller === own) controller = null;
      }
    },

    /** Cancels the build on the server and stops reading its events. */
    async stop(): Promise<void> {
      const job = jobId;
      controller?.abort();
      controller = null;
      update((run) => settle({ ...run, status: 'cancelled' }));
      if (job) await api(`/api/v1/build/${encodeURIComponent(job)}/cancel`, { method: 'POST' }).catch(() => {});
    },

    /** Every event of every build, as it arrives (the playground's chat); returns the unsubscribe. */
    listen(listener: BuildListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    inspect(nodeId: string | null): void {
      store.setState({ inspected: nodeId });
    },

    reset(): void {
      controller?.abort();
      controller = null;
      store.setState({ run: IDLE, inspected: null });
    },
  };
}

export type Runner = ReturnType<typeof createRunner>;
