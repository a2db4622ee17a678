// The flow's recent runs beside the canvas, from the monitor API: chat messages, transactions (each
// component's inputs and outputs, secrets masked by the server) and component builds, with filters.
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api } from '../api/http';
import './logs.css';

interface Message {
  id: string;
  timestamp: string;
  sender: string;
  sender_name: string;
  session_id: string;
  text: string;
  error?: boolean;
}
interface Transaction {
  id: string;
  timestamp: string;
  vertex_id: string;
  target_id: string | null;
  status: string;
  inputs: unknown;
  outputs: unknown;
}
interface Build {
  id?: string;
  build_id?: string;
  timestamp: string;
  valid: boolean;
  params?: unknown;
  data?: { duration?: string; [key: string]: unknown };
}

type Tab = 'messages' | 'transactions' | 'builds';
const when = (iso: string) => new Date(iso).toLocaleString();
const short = (value: unknown) => {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text && text.length > 300 ? `${text.slice(0, 300)}…` : (text ?? '');
};

export function FlowLogsPanel({ flowId, onClose }: { flowId: string; onClose: () => void }): ReactNode {
  const [tab, setTab] = useState<Tab>('transactions');
  const [filter, setFilter] = useState('');
  const [status, setStatus] = useState('all');
  const messages = useQuery({ queryKey: ['logs', flowId, 'messages'], queryFn: () => api<Message[]>(`/api/v1/monitor/messages?flow_id=${flowId}`), enabled: tab === 'messages', staleTime: 0 });
  const transactions = useQuery({
    queryKey: ['logs', flowId, 'transactions'],
    queryFn: () => api<{ items: Transaction[]; total: number }>(`/api/v1/monitor/transactions?flow_id=${flowId}&page=1&size=100`),
    enabled: tab === 'transactions',
    staleTime: 0,
  });
  const builds = useQuery({ queryKey: ['logs', flowId, 'builds'], queryFn: () => api<{ vertex_builds: Record<string, Build[]> }>(`/api/v1/monitor/builds?flow_id=${flowId}`), enabled: tab === 'builds', staleTime: 0 });
  const current = tab === 'messages' ? messages : tab === 'transactions' ? transactions : builds;
  const needle = filter.trim().toLowerCase();
  const matches = (...parts: unknown[]) => !needle || parts.some((p) => short(p).toLowerCase().includes(needle));
  const okStatus = (ok: boolean) => status === 'all' || (status === 'error') === !ok;

  const buildRows = Object.entries(builds.data?.vertex_builds ?? {})
    .flatMap(([vertex, list]) => list.map((b) => ({ vertex, ...b })))
    .sort((a, b) => b.timestamp.localeCompare(a.timestamp));

  return (
    <section className="flow-logs" aria-labelledby="flow-logs-title">
      <header className="pg-head">
        <h2 id="flow-logs-title">Logs</h2>
        <span className="toolbar-spacer" />
        <button type="button" onClick={() => void current.refetch()}>
          Refresh
        </button>
        <button type="button" className="icon-button" aria-label="Close the logs" onClick={onClose}>
          ×
        </button>
      </header>
      <div className="logs-body">
        <div className="tabs" role="tablist" aria-label="Log kind">
          {(['transactions', 'builds', 'messages'] as Tab[]).map((t) => (
            <button key={t} type="button" role="tab" aria-selected={tab === t} className={`tab${tab === t ? ' selected' : ''}`} onClick={() => setTab(t)}>
              {t[0].toUpperCase() + t.slice(1)}
            </button>
          ))}
        </div>
        <div className="logs-filters">
          <input type="search" aria-label="Filter the logs" placeholder="Filter…" value={filter} onChange={(e) => setFilter(e.target.value)} />
          {tab !== 'messages' && (
            <select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="all">All</option>
              <option value="success">Succeeded</option>
              <option value="error">Failed</option>
            </select>
          )}
        </div>
        {current.isError && <p role="alert">{current.error.message}</p>}
        {current.isPending && <p className="muted">Loading…</p>}
        <div role="tabpanel" aria-label={tab} className="logs-table-wrap">
          {tab === 'transactions' && (
            <table className="settings-table logs-table" aria-label="Transactions">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Component</th>
                  <th scope="col">Status</th>
                  <th scope="col">Inputs</th>
                  <th scope="col">Outputs</th>
                </tr>
              </thead>
              <tbody>
                {(transactions.data?.items ?? [])
                  .filter((t) => okStatus(t.status === 'success') && matches(t.vertex_id, t.inputs, t.outputs))
                  .map((t) => (
                    <tr key={t.id} data-testid="log-row">
                      <td>{when(t.timestamp)}</td>
                      <td>{t.vertex_id}</td>
                      <td className={t.status === 'success' ? '' : 'field-error'}>{t.status}</td>
                      <td>
                        <code>{short(t.inputs)}</code>
                      </td>
                      <td>
                        <code>{short(t.outputs)}</code>
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
          {tab === 'builds' && (
            <table className="settings-table logs-table" aria-label="Component builds">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Component</th>
                  <th scope="col">Result</th>
                  <th scope="col">Duration</th>
                </tr>
              </thead>
              <tbody>
                {buildRows
                  .filter((b) => okStatus(b.valid) && matches(b.vertex, b.params))
                  .map((b, i) => (
                    <tr key={`${b.vertex}-${b.build_id ?? b.id ?? i}`} data-testid="log-row">
                      <td>{when(b.timestamp)}</td>
                      <td>{b.vertex}</td>
                      <td className={b.valid ? '' : 'field-error'}>{b.valid ? 'Built' : short(b.params) || 'Failed'}</td>
                      <td>{b.data?.duration ?? ''}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
          {tab === 'messages' && (
            <table className="settings-table logs-table" aria-label="Messages">
              <thead>
                <tr>
                  <th scope="col">Time</th>
                  <th scope="col">Session</th>
                  <th scope="col">Sender</th>
                  <th scope="col">Text</th>
                </tr>
              </thead>
              <tbody>
                {(messages.data ?? [])
                  .filter((m) => matches(m.text, m.sender_name, m.session_id))
                  .map((m) => (
                    <tr key={m.id} data-testid="log-row">
                      <td>{when(m.timestamp)}</td>
                      <td>{m.session_id === flowId ? 'Default' : m.session_id}</td>
                      <td>{m.sender_name}</td>
                      <td className={m.error ? 'field-error' : ''}>{short(m.text)}</td>
                    </tr>
                  ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
    </section>
  );
}
