// API keys (/settings/api-keys): a new key is shown once, then only its masked form; the list shows
// when each was last used and how often.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { toast } from '../toasts';
import { errorText, reportOutcome, settingsApi } from './settings-api';

const KEY = ['api-keys'];
const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : 'Never');

export function ApiKeysSection(): ReactNode {
  const client = useQueryClient();
  const list = useQuery({ queryKey: KEY, queryFn: settingsApi.apiKeys });
  const [name, setName] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  return (
    <div className="settings-section">
      <p className="muted">Keys authenticate calls of the API (the x-api-key header) as you.</p>
      <form
        className="settings-form"
        aria-label="New API key"
        onSubmit={(event) => {
          event.preventDefault();
          void settingsApi
            .createApiKey(name || 'API key')
            .then((key) => {
              setCreated(key.api_key);
              setName('');
            })
            .catch((error: unknown) => toast.error(errorText(error)))
            .finally(() => void client.invalidateQueries({ queryKey: KEY }));
        }}
      >
        <label>
          Key name
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder="My key" />
        </label>
        <button type="submit" className="primary">
          Create key
        </button>
      </form>
      {created && (
        <div className="secret-once" role="status">
          <label htmlFor="new-api-key">Your new key. It is shown only this once: copy it now.</label>
          <input id="new-api-key" readOnly value={created} data-testid="new-api-key" onFocus={(e) => e.target.select()} />
          <span>
            <button type="button" onClick={() => void navigator.clipboard.writeText(created).then(() => toast.success('Key copied'), () => toast.error('The clipboard is not available'))}>
              Copy
            </button>{' '}
            <button type="button" onClick={() => setCreated(null)}>
              Done
            </button>
          </span>
        </div>
      )}
      {list.isError && <p role="alert">{list.error.message}</p>}
      <table className="settings-table" aria-label="API keys">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Key</th>
            <th scope="col">Created</th>
            <th scope="col">Last used</th>
            <th scope="col">Uses</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((key) => (
            <tr key={key.id}>
              <td>{key.name}</td>
              <td>
                <code>{key.api_key}</code>
              </td>
              <td>{when(key.created_at)}</td>
              <td>{when(key.last_used_at)}</td>
              <td>{key.total_uses}</td>
              <td className="actions">
                <button
                  type="button"
                  aria-label={`Delete key ${key.name ?? key.api_key}`}
                  onClick={() => reportOutcome(settingsApi.deleteApiKey(key.id), 'Key deleted', () => client.invalidateQueries({ queryKey: KEY }))}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data?.length === 0 && <p className="muted">No keys yet.</p>}
    </div>
  );
}
