// A flow's traces (`/flow/{id}/traces`): its runs, newest first, filtered by status, session or text;
// a selected run's spans as a waterfall (one bar per span on the run's time line) with tokens and errors.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useFlow } from '../api/queries';
import { tracesApi, type TraceFilters, type TraceSpan, type TraceSummary } from '../api/traces';
import { Link } from '../app/router';
import './traces.css';

const PAGE_SIZE = 25;

function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

function inputText(trace: TraceSummary): string {
  const value = trace.input?.input_value;
  return value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value);
}

export function TracesPage({ flowId }: { flowId: string }): ReactNode {
  const flow = useFlow(flowId);
  const client = useQueryClient();
  const [filters, setFilters] = useState<TraceFilters>({ status: '', sessionId: '', query: '' });
  const [page, setPage] = useState(1);
  const [selected, setSelected] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['traces', flowId, filters, page], queryFn: () => tracesApi.list(flowId, filters, page, PAGE_SIZE) });
  const update = (patch: Partial<TraceFilters>) => {
    setFilters((current) => ({ ...current, ...patch }));
    setPage(1);
  };
  const refresh = () => void client.invalidateQueries({ queryKey: ['traces', flowId] });
  const removeAll = async () => {
    if (!window.confirm('Delete every trace of this flow?')) return;
    await tracesApi.removeAll(flowId);
    setSelected(null);
    refresh();
  };
  const traces = list.data?.traces ?? [];
  return (
    <main className="traces-page">
      <header className="traces-header">
        <Link to={`/flow/${flowId}`} className="back-link" aria-label="Back to the flow">
          ←
        </Link>
        <h1>Traces{flow.data ? ` of ${flow.data.name}` : ''}</h1>
        <span className="toolbar-spacer" />
        <button type="button" onClick={refresh}>
          Refresh
        </button>
        <button type="button" onClick={() => void removeAll()} disabled={traces.length === 0}>
          Delete all
        </button>
      </header>
      <form className="trace-filters" role="search" aria-label="Filter traces" onSubmit={(event) => event.preventDefault()}>
        <label>
          Status
          <select value={filters.status} onChange={(event) => update({ status: event.target.value as TraceFilters['status'] })}>
            <option value="">Any</option>
            <option value="ok">OK</option>
            <option value="error">Error</option>
            <option value="unset">Unfinished</option>
          </select>
        </label>
        <label>
          Session
          <input value={filters.sessionId} onChange={(event) => update({ sessionId: event.target.value })} placeholder="session id" />
        </label>
        <label>
          Search
          <input type="search" value={filters.query} onChange={(event) => update({ query: event.target.value })} placeholder="name, id or session" />
        </label>
      </form>
      <div className="traces-body">
        <section className="trace-list" aria-label="Runs">
          {list.isError ? <p role="alert">{String(list.error.message)}</p> : null}
          {list.isSuccess && traces.length === 0 ? <p className="muted">No traces match. Runs of this flow record one each.</p> : null}
          <table>
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Status</th>
                <th scope="col">Input</th>
                <th scope="col">Time</th>
                <th scope="col">Tokens</th>
              </tr>
            </thead>
            <tbody>
              {traces.map((trace) => (
                <tr key={trace.id} className={trace.id === selected ? 'selected' : ''} aria-selected={trace.id === selected}>
                  <td>
                    <button type="button" className="link-button" onClick={() => setSelected(trace.id)} title={`Session ${trace.sessionId}`}>
                      {formatTime(trace.startTime)}
                    </button>
                  </td>
                  <td>
                    <span className={`trace-status ${trace.status}`}>{trace.status}</span>
                  </td>
                  <td className="trace-input">{inputText(trace)}</td>
                  <td>{trace.totalLatencyMs} ms</td>
                  <td>{trace.totalTokens}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {list.data && list.data.pages > 1 ? (
            <nav className="trace-pages" aria-label="Pages">
              <button type="button" onClick={() => setPage(page - 1)} disabled={page <= 1}>
                Previous
              </button>
              <span>
                Page {page} of {list.data.pages}
              </span>
              <button type="button" onClick={() => setPage(page + 1)} disabled={page >= list.data.pages}>
                Next
              </button>
            </nav>
          ) : null}
        </section>
        {selected ? <TraceDetailPanel key={selected} traceId={selected} onDeleted={() => (setSelected(null), refresh())} /> : null}
      </div>
    </main>
  );
}

function TraceDetailPanel({ traceId, onDeleted }: { traceId: string; onDeleted: () => void }): ReactNode {
  const detail = useQuery({ queryKey: ['trace', traceId], queryFn: () => tracesApi.get(traceId) });
  const [open, setOpen] = useState<TraceSpan | null>(null);
  if (detail.isError) return <section className="trace-detail" role="alert">{detail.error.message}</section>;
  if (!detail.data) return <section className="trace-detail muted">Loading…</section>;
  const trace = detail.data;
  const start = Date.parse(trace.startTime);
  const total = Math.max(1, trace.totalLatencyMs, ...flatten(trace.spans).map((s) => Date.parse(s.endTime ?? s.startTime) - start));
  const remove = async () => {
    await tracesApi.remove(trace.id);
    onDeleted();
  };
  return (
    <section className="trace-detail" aria-label="Spans">
      <header>
        <h2>
          <span className={`trace-status ${trace.status}`}>{trace.status}</span> {trace.totalLatencyMs} ms · {trace.totalTokens} tokens
        </h2>
        <button type="button" onClick={() => void remove()}>
          Delete
        </button>
      </header>
      <ol className="waterfall" aria-label="Waterfall">
        {rows(trace.spans, 0).map(({ span, depth }) => {
          const offset = ((Date.parse(span.startTime) - start) / total) * 100;
          const width = Math.max(0.5, (span.latencyMs / total) * 100);
          return (
            <li key={span.id} className={`span-row ${span.status}`} data-type={span.type}>
              <button type="button" className="span-label" style={{ paddingLeft: `${depth * 16 + 4}px` }} onClick={() => setOpen(open?.id === span.id ? null : span)} aria-expanded={open?.id === span.id}>
                <span className="span-name">{span.name}</span>
                <span className="span-meta">
                  {span.type}
                  {span.tokenUsage ? ` · ${span.tokenUsage.totalTokens} tokens${span.tokenUsage.estimated ? ' (estimated)' : ''}` : ''}
                </span>
              </button>
              <span className="span-track" aria-hidden="true">
                <span className="span-bar" style={{ left: `${Math.min(99.5, Math.max(0, offset))}%`, width: `${Math.min(100, width)}%` }} />
              </span>
              <span className="span-latency">{span.latencyMs} ms</span>
              {span.error ? <p className="span-error">{span.error}</p> : null}
            </li>
          );
        })}
      </ol>
      {open ? <SpanDetail span={open} /> : null}
    </section>
  );
}

function SpanDetail({ span }: { span: TraceSpan }): ReactNode {
  return (
    <div className="span-detail" aria-label={`Span ${span.name}`}>
      <h3>{span.name}</h3>
      {span.modelName ? <p>Model: {span.modelName}</p> : null}
      {span.tokenUsage ? (
        <p>
          Tokens: {span.tokenUsage.promptTokens} prompt + {span.tokenUsage.completionTokens} completion = {span.tokenUsage.totalTokens}
          {span.tokenUsage.estimated ? ' (estimated: the provider reported none)' : ''}
        </p>
      ) : null}
      <h4>Inputs</h4>
      <pre>{JSON.stringify(span.inputs, null, 2)}</pre>
      <h4>Outputs</h4>
      <pre>{JSON.stringify(span.outputs, null, 2)}</pre>
    </div>
  );
}

function flatten(spans: TraceSpan[]): TraceSpan[] {
  return spans.flatMap((span) => [span, ...flatten(span.children)]);
}

function rows(spans: TraceSpan[], depth: number): { span: TraceSpan; depth: number }[] {
  return spans.flatMap((span) => [{ span, depth }, ...rows(span.children, depth + 1)]);
}
