// Global variables (/settings/global-variables): generic ones shown, credentials stored encrypted and
// never sent back (the list shows them masked); the fields a variable fills by default.
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { toast } from '../toasts';
import { errorText, reportOutcome, settingsApi, type Variable } from './settings-api';

const KEY = ['settings', 'variables'];

export function VariablesSection(): ReactNode {
  const client = useQueryClient();
  const list = useQuery({ queryKey: KEY, queryFn: settingsApi.variables });
  const [editing, setEditing] = useState<Variable | null>(null);
  const [name, setName] = useState('');
  const [value, setValue] = useState('');
  const [type, setType] = useState('Credential');
  const [fields, setFields] = useState('');

  function reset(): void {
    setEditing(null);
    setName('');
    setValue('');
    setType('Credential');
    setFields('');
  }

  async function save(): Promise<void> {
    const defaultFields = fields.split(',').map((f) => f.trim()).filter(Boolean);
    try {
      if (editing) await settingsApi.updateVariable(editing.id, { name, ...(value ? { value } : {}), default_fields: defaultFields });
      else await settingsApi.createVariable({ name, value, type, default_fields: defaultFields });
      toast.success(editing ? `Variable ${name} saved` : `Variable ${name} created`);
      reset();
    } catch (error) {
      toast.error(errorText(error));
    }
    await client.invalidateQueries({ queryKey: KEY });
  }

  return (
    <div className="settings-section">
      <p className="muted">Variables fill component fields by name. A credential's value is encrypted and never shown again.</p>
      <form
        className="settings-form"
        aria-label={editing ? `Edit variable ${editing.name}` : 'New variable'}
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <label>
          Name
          <input value={name} onChange={(e) => setName(e.target.value)} required />
        </label>
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value)} disabled={!!editing}>
            <option value="Credential">Credential</option>
            <option value="Generic">Generic</option>
          </select>
        </label>
        <label>
          Value
          <input type={type === 'Credential' ? 'password' : 'text'} value={value} onChange={(e) => setValue(e.target.value)} required={!editing} placeholder={editing ? 'Unchanged' : ''} autoComplete="off" />
        </label>
        <label>
          Apply to fields
          <input value={fields} onChange={(e) => setFields(e.target.value)} placeholder="e.g. openai_api_key" />
        </label>
        <button type="submit" className="primary">
          {editing ? 'Save variable' : 'Add variable'}
        </button>
        {editing && (
          <button type="button" onClick={reset}>
            Cancel
          </button>
        )}
      </form>
      {list.isError && <p role="alert">{list.error.message}</p>}
      <table className="settings-table" aria-label="Global variables">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Type</th>
            <th scope="col">Value</th>
            <th scope="col">Apply to fields</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {(list.data ?? []).map((v) => (
            <tr key={v.id}>
              <td>{v.name}</td>
              <td>{v.type}</td>
              <td>{v.type === 'Credential' || v.value === null ? '••••••••' : v.value}</td>
              <td>{v.default_fields.join(', ')}</td>
              <td className="actions">
                <button
                  type="button"
                  aria-label={`Edit ${v.name}`}
                  onClick={() => {
                    setEditing(v);
                    setName(v.name);
                    setType(v.type);
                    setValue(v.type === 'Credential' ? '' : (v.value ?? ''));
                    setFields(v.default_fields.join(', '));
                  }}
                >
                  Edit
                </button>
                <button
                  type="button"
                  aria-label={`Delete ${v.name}`}
                  onClick={() => reportOutcome(settingsApi.deleteVariable(v.id), `Variable ${v.name} deleted`, () => client.invalidateQueries({ queryKey: KEY }))}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.data?.length === 0 && <p className="muted">No variables yet.</p>}
    </div>
  );
}
