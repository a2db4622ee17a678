// The flow editor (/flow/:id): loads the flow and the component catalog, keeps the flow store, saves
// automatically, and lays out the toolbar, the component sidebar, the canvas and the outputs.
import '@xyflow/react/dist/style.css';
import './editor.css';
import { useQueryClient } from '@tanstack/react-query';
import { ReactFlowProvider } from '@xyflow/react';
import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { flowsApi } from '../api/flows';
import { keys, useFlow } from '../api/queries';
import type { Flow } from '../api/types';
import { Link } from '../app/router';
import { createAutoSaver } from './autosave';
import { Canvas } from './Canvas';
import type { Catalog } from './catalog';
import { CATALOG_KEY, useCatalog } from './use-catalog';
import { ComponentSidebar } from './ComponentSidebar';
import { EditorContext, type EditorServices } from './EditorContext';
import { OutputInspector } from './OutputInspector';
import { createRunner } from './run';
import { createFlowStore } from './store';
import { Toolbar, type EditorPanel } from './Toolbar';
import { flowIo } from '../playground/flow-io';
import { Playground } from '../playground/Playground';
import { ApiAccessPanel } from '../api-access/ApiAccessPanel';
import { FlowLogsPanel } from '../logs/FlowLogsPanel';

interface Notice {
  message: string;
  tone: 'error' | 'info';
  at: number;
}

export function FlowEditorPage({ flowId }: { flowId: string }): ReactNode {
  const flowQuery = useFlow(flowId);
  const catalog = useCatalog();
  const client = useQueryClient();
  const [flow] = useState(() => createFlowStore());
  const [runner] = useState(() => createRunner());
  const [notice, setNotice] = useState<Notice | null>(null);
  const loaded = useStore(flow, (s) => s.flowId === flowId);
  const broken = useStore(flow, (s) => s.broken);
  const [panel, setPanel] = useState<EditorPanel | null>(null);
  // The playground's inputs follow the canvas: a Chat Input dropped on it makes the flow chat.
  const nodes = useStore(flow, (s) => s.nodes);
  const io = useMemo(() => (loaded ? flowIo(flow.getState().saved()) : flowIo(null)), [flow, nodes, loaded]);

  const saver = useMemo(
    () =>
      createAutoSaver(flow, async (data) => {
        const saved = await flowsApi.updateFlow(flowId, { data });
        client.setQueryData<Flow>(keys.flow(flowId), saved);
      }),
    [client, flow, flowId],
  );
  useEffect(() => () => {
    void saver.flush().finally(() => saver.stop());
    runner.reset();
  }, [saver, runner]);

  // The flow is read into the store once: later refetches never overwrite edits.
  useEffect(() => {
    if (flowQuery.data && flow.getState().flowId !== flowId) flow.getState().load(flowId, flowQuery.data.data ?? { nodes: [], edges: [] });
  }, [flow, flowId, flowQuery.data]);

  // Leaving with unsaved edits asks first (the save is also attempted on the way out).
  useEffect(() => {
    const warn = (event: BeforeUnloadEvent) => {
      if (saver.state.getState().status !== 'saved') event.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [saver]);

  const notify = useCallback((message: string, tone: 'error' | 'info' = 'info') => setNotice({ message, tone, at: Date.now() }), []);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => setNotice((current) => (current === notice ? null : current)), 8000);
    return () => clearTimeout(timer);
  }, [notice]);

  const services = useMemo<EditorServices>(
    () => ({
      flowId,
      flow,
      runner,
      catalog: () => client.getQueryData<Catalog>(CATALOG_KEY),
      notify,
      run: (stopComponentId?: string) => void runner.start(flowId, flow.getState().saved(), stopComponentId),
    }),
    [flowId, flow, runner, client, notify],
  );

  const exportFlow = useCallback(() => {
    const server = flowQuery.data;
    const { user_id: _user, ...rest } = server ?? ({} as Partial<Flow>);
    const body = { ...rest, data: flow.getState().saved() };
    const url = URL.createObjectURL(new Blob([JSON.stringify(body, null, 2)], { type: 'application/json' }));
    const link = document.createElement('a');
    link.href = url;
    link.download = `${server?.name ?? 'flow'}.json`;
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }, [flow, flowQuery.data]);

  const onSave = useCallback(() => void saver.flush(), [saver]);

  if (flowQuery.isError) {
    return (
      <main className="page-message">
        <h1>This flow could not be opened</h1>
        <p role="alert">{flowQuery.error.message}</p>
        <p>
          <Link to="/">Back to your projects</Link>
        </p>
      </main>
    );
  }
  if (!flowQuery.data || !loaded) {
    return (
      <main className="page-message" aria-busy="true">
        <p className="muted">Loading the flow…</p>
      </main>
    );
  }
  const backTo = flowQuery.data.folder_id ? `/all/folder/${flowQuery.data.folder_id}` : '/';
  return (
    <EditorContext.Provider value={services}>
      <ReactFlowProvider>
        <main className="flow-editor" aria-label={`Flow editor: ${flowQuery.data.name}`}>
          <Toolbar
            name={flowQuery.data.name}
            backTo={backTo}
            saver={saver}
            onExport={exportFlow}
            panel={panel}
            onPanel={(next) => setPanel((current) => (current === next ? null : next))}
            hasChat={io.hasChat || io.textInputs.length > 0}
          />
          {broken.length > 0 && (
            <div className="editor-banner" role="alert">
              {broken.length === 1 ? 'One connection' : `${broken.length} connections`} could not be drawn ({broken[0].reason}
              {broken.length > 1 ? ', …' : ''}). {broken.length === 1 ? 'It is' : 'They are'} kept in the saved flow.{' '}
              <button type="button" onClick={() => flow.getState().dropBrokenEdges()}>
                Remove {broken.length === 1 ? 'it' : 'them'}
              </button>
            </div>
          )}
          <div className="editor-body">
            <ComponentSidebar loading={catalog.isPending} error={catalog.isError ? catalog.error.message : null} />
            <Canvas onSave={onSave} />
            {panel === 'playground' ? (
              <Playground
                flowId={flowId}
                runner={runner}
                io={io}
                data={() => flow.getState().saved()}
                layout="panel"
                onClose={() => setPanel(null)}
                actions={
                  <Link to={`/flow/${flowId}/playground`} className="button-link">
                    Full page
                  </Link>
                }
              />
            ) : panel === 'logs' ? (
              <FlowLogsPanel flowId={flowId} onClose={() => setPanel(null)} />
            ) : panel === 'api' ? (
              <ApiAccessPanel flow={flowQuery.data} data={() => flow.getState().saved()} catalog={() => client.getQueryData<Catalog>(CATALOG_KEY)} onClose={() => setPanel(null)} />
            ) : (
              <OutputInspector />
            )}
          </div>
          {notice && (
            <div className={`editor-notice ${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'} data-testid="editor-notice">
              {notice.message}
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setNotice(null)}>
                ×
              </button>
            </div>
          )}
        </main>
      </ReactFlowProvider>
    </EditorContext.Provider>
  );
}
