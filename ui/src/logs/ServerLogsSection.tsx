// Server logs (/settings/logs, superusers): the recent lines of GET /logs and, with Follow, the new
// ones from /logs-stream as they are written. Both need LANGFLOW_ENABLE_LOG_RETRIEVAL on the server.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useState, type ReactNode } from 'react';
import { api, apiResponse, ApiError } from '../api/http';
import './logs.css';

type Lines = [number, string][];
const toLines = (record: Record<string, string>): Lines => Object.entries(record).map(([ts, line]) => [Number(ts), line] as [number, string]);

export function ServerLogsSection(): ReactNode {
  const [count, setCount] = useState(200);
  const [filter, setFilter] = useState('');
  const [follow, setFollow] = useState(false);
  const [live, setLive] = useState<Lines>([]);
  const recent = useQuery({ queryKey: ['server-logs', count], queryFn: () => api<Record<string, string>>(`/logs?lines_before=${count}`), staleTime: 0 });

  useEffect(() => {
    if (!follow) return;
    const controller = new AbortController();
    void (async () => {
      try {
        const response = await apiResponse('/logs-stream', { signal: controller.signal, headers: { accept: 'text/event-stream' } });
        const reader = response.body!.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { done, value } = await reader.read();
          if (done) return;
          buffer += decoder.decode(value, { stream: true });
          const parts = buffer.split('\n\n');
          buffer = parts.pop() ?? '';
          const added: Lines = [];
          for (const part of parts) {
            if (!part.trim() || part.trim() === 'keepalive') continue;
            try {
              added.push(...toLines(JSON.parse(part) as Record<string, string>));
            } catch {
              // not a log entry
            }
          }
          if (added.length > 0) setLive((current) => [...current, ...added].slice(-2000));
        }
      } catch {
        // stopped, or the stream ended
      }
    })();
    return () => controller.abort();
  }, [follow]);

  const disabled = recent.error instanceof ApiError && recent.error.status === 501;
  const needle = filter.trim().toLowerCase();
  const lines = [...toLines(recent.data ?? {}), ...live].filter(([, line]) => !needle || line.toLowerCase().includes(needle));
  return (
    <div className="settings-section">
      {disabled ? (
        <p role="status">Log retrieval is disabled on this server. Start it with LANGFLOW_ENABLE_LOG_RETRIEVAL=true to read its logs here.</p>
      ) : (
        <>
          <div className="settings-form">
            <label>
              Filter
              <input type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
            </label>
            <label>
              Recent lines
              <select value={count} onChange={(e) => setCount(Number(e.target.value))}>
                {[50, 200, 1000].map((n) => (
                  <option key={n} value={n}>
                    {n}
                  </option>
                ))}
              </select>
            </label>
            <label>
              <span>
                <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> Follow new lines
              </span>
            </label>
            <button type="button" onClick={() => void recent.refetch()}>
              Refresh
            </button>
          </div>
          {recent.isError && <p role="alert">{recent.error.message}</p>}
          <pre className="server-logs" tabIndex={0} aria-label="Server log lines" data-testid="server-logs">
            {lines.map(([ts, line], i) => `${new Date(ts).toISOString()}  ${line}${i < lines.length - 1 ? '\n' : ''}`).join('')}
          </pre>
        </>
      )}
    </div>
  );
}
