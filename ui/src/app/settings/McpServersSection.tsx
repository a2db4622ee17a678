// MCP servers (/settings/mcp-servers): the user's outgoing MCP servers (stdio, SSE, streamable HTTP),
// used by the MCP Tools component. The list connects to each and shows its tools.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { toast } from '../toasts';
import { errorText, reportOutcome, settingsApi } from './settings-api';

const KEY = ['settings', 'mcp-servers'];
type Transport = 'stdio' | 'sse' | 'streamablehttp';

/** `KEY=VALUE` (or `Key: Value`) lines as a record. */
function pairs(text: string, separator: '=' | ':'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const at = line.indexOf(separator);
    if (at > 0) out[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return out;
}
const lines = (record: unknown, separator: string) =>
  record && typeof record === 'object' ? Object.entries(record as Record<string, unknown>).map(([k, v]) => `${k}${separator}${String(v)}`).join('\n') : '';

export function McpServersSection(): ReactNode {
  const client = useQueryClient();
  const list = useQuery({ queryKey: KEY, queryFn: settingsApi.mcpServers });
  const [editing, setEditing] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [transport, setTransport] = useState<Transport>('streamablehttp');
  const [command, setCommand] = useState('');
  const [env, setEnv] = useState('');
  const [url, setUrl] = useState('');
  const [headers, setHeaders] = useState('');

  function reset(): void {
    setEditing(null);
    setName('');
    setTransport('streamablehttp');
    setCommand('');
    setEnv('');
    setUrl('');
    setHeaders('');
  }

  async function edit(server: string): Promise<void> {
    try {
      const config = (await settingsApi.mcpServer(server)) ?? {};
      setEditing(server);
      setName(server);
      if (typeof config.command === 'string') {
        setTransport('stdio');
        setCommand([config.command, ...(Array.isArray(config.args) ? config.args.map(String) : [])].join(' '));
        setEnv(lines(config.env, '='));
      } else {
        setTransport(config.transport === 'sse' || String(config.url ?? '').endsWith('/sse') ? 'sse' : 'streamablehttp');
        setUrl(String(config.url ?? ''));
        setHeaders(lines(config.headers, ': '));
      }
    } catch (error) {
      toast.error(errorText(error));
    }
  }

  async function save(): Promise<void> {
    const [cmd, ...args] = command.trim().split(/\s+/);
    const config: Record<string, unknown> =
      transport === 'stdio' ? { command: cmd, args, env: pairs(env, '=') } : { url, headers: pairs(headers, ':'), transport: transport === 'sse' ? 'sse' : 'streamablehttp' };
    try {
      await settingsApi.saveMcpServer(name, config, editing === null);
      toast.success(`Server ${name} saved`);
      reset();
    } catch (error) {
      toast.error(errorText(error));
    }
    await client.invalidateQueries({ queryKey: KEY });
  }

  return (
    <div className="settings-section">
      <p className="muted">Servers the MCP Tools component can use. Stdio servers run a command on this machine (superusers only, allow-listed commands).</p>
      <form
        className="settings-form"
        aria-label={editing ? `Edit server ${editing}` : 'New MCP server'}
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required disabled={!!editing} />
        </label>
        <label>
          Transport
          <select value={transport} onChange={(e) => setTransport(e.target.value as Transport)}>
            <option value="streamablehttp">Streamable HTTP</option>
            <option value="sse">SSE</option>
            <option value="stdio">Stdio (command)</option>
          </select>
        </label>
        {transport === 'stdio' ? (
          <>
            <label>
              Command and arguments
              <input value={command} onChange={(e) => setCommand(e.target.value)} required placeholder="uvx mcp-server-fetch" />
            </label>
            <label>
              Environment (KEY=VALUE per line)
              <textarea rows={2} value={env} onChange={(e) => setEnv(e.target.value)} />
            </label>
          </>
        ) : (
          <>
            <label>
              URL
              <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} required placeholder="https://example.com/mcp" />
            </label>
            <label>
              Headers (Name: value per line)
              <textarea rows={2} value={headers} onChange={(e) => setHeaders(e.target.value)} />
            </label>
          </>
        )}
        <button type="submit" className="primary">
          {editing ? 'Save server' : 'Add server'}
        </button>
        {editing && (
          <button type="button" onClick={reset}>
            Cancel
          </button>
        )}
      </form>
      {list.isPending && <p className="muted">Connecting to the servers…</p>}
      {list.isError && <p role="alert">{list.error.message}</p>}
      <table className="settings-table" aria-label="MCP servers">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Mode</th>
            <th scope="col">Tools</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((server) => (
            <tr key={server.name} data-testid="mcp-server">
              <td>{server.name}</td>
              <td>{server.mode ?? '—'}</td>
              <td>
                {server.error ? <span className="field-error">{server.error}</span> : `${server.toolsCount ?? 0} tools`}
                {server.tools && server.tools.length > 0 && (
                  <ul className="tool-list" aria-label={`Tools of ${server.name}`}>
                    {server.tools.map((tool) => (
                      <li key={tool.name}>
                        <code>{tool.name}</code>
                        {tool.description ? ` — ${tool.description}` : ''}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td className="actions">
                <button type="button" aria-label={`Edit ${server.name}`} onClick={() => void edit(server.name)}>
                  Edit
                </button>
                <button
                  type="button"
                  aria-label={`Delete ${server.name}`}
                  onClick={() => reportOutcome(settingsApi.deleteMcpServer(server.name), `Server ${server.name} deleted`, () => client.invalidateQueries({ queryKey: KEY }))}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data?.length === 0 && <p className="muted">No servers yet.</p>}
    </div>
  );
}
