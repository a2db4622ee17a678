// The API access panel beside the canvas: working code that runs this flow over /api/v1/run/{id}
// (curl, Python, JavaScript), its webhook, the project's MCP configuration, a key created on the spot
// (shown once), and the switch that makes the flow's playground shareable.
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type ReactNode } from 'react';
import { flowsApi } from '../api/flows';
import { api } from '../api/http';
import { keys, useConfig, useProjects } from '../api/queries';
import type { Flow } from '../api/types';
import type { Catalog } from '../editor/catalog';
import type { SavedFlowData } from '../editor/flow-types';
import { curlSnippet, fetchSnippet, langflowClientSnippet, mcpConfig, pythonSnippet, webhookSnippet, type SnippetOptions } from './snippets';
import { changedTweaks } from './tweaks';
import './api-access.css';

type Tab = 'curl' | 'python' | 'js-client' | 'js-fetch' | 'webhook' | 'mcp';
const TABS: { id: Tab; label: string }[] = [
  { id: 'curl', label: 'cURL' },
  { id: 'python', label: 'Python' },
  { id: 'js-client', label: 'JS client' },
  { id: 'js-fetch', label: 'JS fetch' },
  { id: 'webhook', label: 'Webhook' },
  { id: 'mcp', label: 'MCP' },
];

export interface ApiAccessPanelProps {
  flow: Flow;
  data: () => SavedFlowData;
  catalog: () => Catalog | undefined;
  onClose: () => void;
}

export function ApiAccessPanel({ flow, data, catalog, onClose }: ApiAccessPanelProps): ReactNode {
  const client = useQueryClient();
  const config = useConfig();
  const projects = useProjects();
  const [tab, setTab] = useState<Tab>('curl');
  const [stream, setStream] = useState(false);
  const [useName, setUseName] = useState(!!flow.endpoint_name);
  const [withTweaks, setWithTweaks] = useState(true);
  const [transport, setTransport] = useState<'sse' | 'streamablehttp'>('streamablehttp');
  const [createdKey, setCreatedKey] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [shared, setShared] = useState(flow.access_type === 'PUBLIC');

  const graph = data();
  const hasWebhook = graph.nodes.some((n) => n.data.type === 'Webhook');
  const chat = graph.nodes.some((n) => n.data.type === 'ChatInput' || n.data.type === 'ChatOutput');
  const tweaks = useMemo(() => (withTweaks ? changedTweaks(graph, catalog()) : {}), [graph, catalog, withTweaks]);
  const origin = window.location.origin;
  const target = useName && flow.endpoint_name ? flow.endpoint_name : flow.id;
  const options: SnippetOptions = { origin, target, stream, tweaks, inputValue: 'hello world!', chat };
  const project = projects.data?.find((p) => p.id === flow.folder_id);

  const code = (() => {
    switch (tab) {
      case 'curl':
        return curlSnippet(options);
      case 'python':
        return pythonSnippet(options);
      case 'js-client':
        return langflowClientSnippet(options);
      case 'js-fetch':
        return fetchSnippet(options);
      case 'webhook':
        return hasWebhook ? webhookSnippet(origin, target, config.data?.webhook_auth_enable === true) : null;
      case 'mcp':
        return flow.folder_id ? mcpConfig(origin, flow.folder_id, project?.name ?? 'project', transport) : null;
    }
  })();

  async function createKey(): Promise<void> {
    try {
      const key = await api<{ api_key: string }>('/api/v1/api_key/', { method: 'POST', json: { name: `${flow.name} (API access)` } });
      setCreatedKey(key.api_key);
      void client.invalidateQueries({ queryKey: ['api-keys'] });
    } catch (error) {
      setNotice(error instanceof Error ? error.message : String(error));
    }
  }

  async function share(on: boolean): Promise<void> {
    setShared(on);
    try {
      const saved = await flowsApi.updateFlow(flow.id, { access_type: on ? 'PUBLIC' : 'PRIVATE' });
      client.setQueryData<Flow>(keys.flow(flow.id), (old) => (old ? { ...old, access_type: saved.access_type } : old));
    } catch (error) {
      setShared(!on);
      setNotice(error instanceof Error ? error.message : String(error));
    }
  }

  const copy = (text: string) =>
    void navigator.clipboard
      .writeText(text)
      .then(() => setNotice('Copied to the clipboard'))
      .catch(() => setNotice('The clipboard is not available'));

  return (
    <section className="api-access" aria-labelledby="api-access-title">
      <header className="pg-head">
        <h2 id="api-access-title">API access</h2>
        <span className="toolbar-spacer" />
        <button type="button" className="icon-button" aria-label="Close API access" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="api-body">
        <div className="tabs" role="tablist" aria-label="Snippet language">
          {TABS.map((t) => (
            <button key={t.id} type="button" role="tab" id={`api-tab-${t.id}`} aria-selected={tab === t.id} aria-controls="api-code" className={`tab${tab === t.id ? ' selected' : ''}`} onClick={() => setTab(t.id)}>
              {t.label}
            </button>
          ))}
        </div>
        <div className="api-options">
          {tab !== 'webhook' && tab !== 'mcp' && (
            <>
              <label>
                <input type="checkbox" checked={stream} onChange={(e) => setStream(e.target.checked)} /> Stream
              </label>
              <label>
                <input type="checkbox" checked={withTweaks} onChange={(e) => setWithTweaks(e.target.checked)} /> Tweaks ({Object.keys(tweaks).length} components changed)
              </label>
            </>
          )}
          {flow.endpoint_name && tab !== 'mcp' && (
            <label>
              <input type="checkbox" checked={useName} onChange={(e) => setUseName(e.target.checked)} /> Use the endpoint name ({flow.endpoint_name})
            </label>
          )}
          {tab === 'mcp' && (
            <label>
              Transport{' '}
              <select value={transport} onChange={(e) => setTransport(e.target.value as 'sse' | 'streamablehttp')}>
                <option value="streamablehttp">Streamable HTTP</option>
                <option value="sse">SSE</option>
              </select>
            </label>
          )}
        </div>
        <div id="api-code" role="tabpanel" aria-labelledby={`api-tab-${tab}`} className="api-code">
          {code === null ? (
            <p className="muted">{tab === 'webhook' ? 'Add a Webhook component to call this flow by webhook.' : 'Save the flow in a project to get its MCP server.'}</p>
          ) : (
            <>
              <pre data-testid="api-snippet" tabIndex={0} aria-label={`${TABS.find((t) => t.id === tab)?.label} snippet`}>
                <code>{code}</code>
              </pre>
              <button type="button" onClick={() => copy(code)}>
                Copy code
              </button>
            </>
          )}
        </div>
        <div className="api-key">
          <h3>API key</h3>
          <p className="muted">
            The code reads the key from <code>LANGFLOW_API_KEY</code>.{tab === 'mcp' ? ' Put it in place of YOUR_API_KEY.' : ''}
          </p>
          {createdKey ? (
            <div className="api-created" role="status">
              <label htmlFor="api-created-key">Your new key (shown only once; store it now)</label>
              <input id="api-created-key" readOnly value={createdKey} data-testid="created-api-key" onFocus={(e) => e.target.select()} />
              <button type="button" onClick={() => copy(createdKey)}>
                Copy key
              </button>
            </div>
          ) : (
            <button type="button" onClick={() => void createKey()}>
              Create API key
            </button>
          )}
        </div>
        <div className="api-share">
          <h3>Shareable playground</h3>
          <label>
            <input type="checkbox" checked={shared} onChange={(e) => void share(e.target.checked)} /> Anyone with the link can chat with this flow
          </label>
          {shared && (
            <p>
              <a href={`/playground/${flow.id}`} target="_blank" rel="noreferrer" data-testid="share-link">
                {origin}/playground/{flow.id}
              </a>
            </p>
          )}
        </div>
        {notice && (
          <p className="pg-notice" role="status">
            {notice}
          </p>
        )}
      </div>
    </section>
  );
}
